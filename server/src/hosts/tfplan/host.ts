/**
 * The Terraform plan host in the registry: `terraform show -json` of a plan or a state. It claims
 * no file name (a plan is a `.json` the JSON host's names already bring in): it reads a text by
 * its content, and leaves any other JSON to the next host.
 */
import type { Host } from '../host';
import { readTerraformPlan, TERRAFORM_PLAN_HOST_ID } from './index';

export const terraformPlanHost: Host = {
  id: TERRAFORM_PLAN_HOST_ID,
  claimsName: () => false,
  read: (text) => readTerraformPlan(text),
  jsonFeatures: false,
  needsGrammar: false,
};
