/**
 * Formats that hold policies in resources of their own shape (Pulumi YAML, Ansible tasks) are read
 * as the CloudFormation template they amount to: the host builds the template around the user's
 * nodes, and the finder does the rest (JSON strings, spans, the editor, frozen nodes).
 */
import { detectEol } from '../../engine/text';
import type { PolicySource } from '../../engine/tree';
import { findDuplicateKeys } from '../json';
import { TemplateEditor, type YamlEditor } from './editor';
import { findPolicies } from './policies';
import { syntheticObject, syntheticProperty, type TemplateNode } from './templateTree';

/** Reads the resources (properties named by logical id, over the user's nodes) into `source`; `address` renames each policy's address. */
export function readAsTemplate(source: PolicySource, root: TemplateNode, resources: TemplateNode[], editor: YamlEditor, address: (cfnAddress: string) => string | undefined): PolicySource {
  const found = findPolicies(source.text, syntheticObject(root, [syntheticProperty('Resources', syntheticObject(root, resources))]), false);
  for (const policy of found.policies) policy.address = address(policy.address ?? '') ?? policy.address;
  for (const policy of found.policies) findDuplicateKeys(policy.root, found.findings);
  source.policies = found.policies;
  source.findings = found.findings;
  source.isPolicyFile = found.policies.length > 0;
  source.editor = new TemplateEditor(editor, found.frozen, found.embedded, detectEol(source.text));
  return source;
}
