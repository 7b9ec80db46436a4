/**
 * What the rules about role trust policies share: which kind of principal a Principal value
 * names, and which STS action that kind of principal calls to assume the role.
 *
 * IAM User Guide, "AWS JSON policy elements: Principal"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):
 * an OIDC federated principal (an `oidc-provider/<host>` ARN, or one of the four providers named by
 * host) is the principal of `AssumeRoleWithWebIdentity` (#principal-federated-web-identity); a SAML
 * federated principal (a `saml-provider/<name>` ARN) that of `AssumeRoleWithSAML`
 * (#principal-saml). IAM principals and AWS services call `AssumeRole` ("Pass session tags in AWS
 * STS", id_session-tags.html#id_session-tags_operations, says who calls each operation).
 */
import { FEDERATED_PROVIDERS, hasTemplatePlaceholder, isUnknownPart, markPlaceholders } from '../arn';
import { hasWildcard } from '../catalog';
import type { Statement, StringItem } from '../model';
import { isWhollyUnknown, UNKNOWN_MARK } from '../tree';

/** Who calls which assume operation: an IAM principal (AWS), a service, a SAML or an OIDC provider's users. */
export type TrustPrincipalKind = 'aws' | 'service' | 'saml' | 'oidc';

export interface TrustPrincipal {
  item: StringItem;
  /** Undefined when the value does not say (a template fills it in, or it is malformed: principal-invalid's). */
  kind: TrustPrincipalKind | undefined;
  /** For an OIDC provider: its host as condition keys spell it (`token.actions.githubusercontent.com`); undefined when a template fills any of it in. */
  provider?: string;
}

/** The assume operations, by lower-cased action name, with the one kind of principal that calls each. */
export const ASSUME_ACTIONS: Readonly<Record<string, { name: string; callers: readonly TrustPrincipalKind[] }>> = {
  'sts:assumerole': { name: 'sts:AssumeRole', callers: ['aws', 'service'] },
  'sts:assumerolewithsaml': { name: 'sts:AssumeRoleWithSAML', callers: ['saml'] },
  'sts:assumerolewithwebidentity': { name: 'sts:AssumeRoleWithWebIdentity', callers: ['oidc'] },
};

/** The assume action a kind of principal calls. */
export const ACTION_OF: Readonly<Record<TrustPrincipalKind, string>> = {
  aws: 'sts:AssumeRole',
  service: 'sts:AssumeRole',
  saml: 'sts:AssumeRoleWithSAML',
  oidc: 'sts:AssumeRoleWithWebIdentity',
};

/** A kind of principal as messages name it. */
export const PRINCIPAL_KIND_NAMES: Readonly<Record<TrustPrincipalKind, string>> = {
  aws: 'an AWS account or IAM principal',
  service: 'an AWS service',
  saml: 'a SAML provider',
  oidc: 'an OIDC (web identity) provider',
};

/** The value with every part a template fills in as one UNKNOWN_MARK (policy variables stay as written). */
export function markedValue(item: StringItem): string {
  const parts = item.node.parts;
  if (parts) return parts.map((part) => ('literal' in part ? part.literal : UNKNOWN_MARK)).join('');
  return hasTemplatePlaceholder(item.value) ? markPlaceholders(item.value) : item.value;
}

const SAML_PROVIDER = /^arn:[^:]*:iam::[^:]*:saml-provider\/./;
const OIDC_PROVIDER = /^arn:[^:]*:iam::[^:]*:oidc-provider\/(.+)$/;

/** What a Federated value names: a SAML or an OIDC provider (with its host), or undefined when it does not say. */
export function federatedKind(item: StringItem): { kind: 'saml' | 'oidc'; provider?: string } | undefined {
  if (isWhollyUnknown(item.node)) return undefined;
  const value = markedValue(item).trim();
  if (FEDERATED_PROVIDERS.includes(value)) return { kind: 'oidc', provider: value };
  if (SAML_PROVIDER.test(value)) return { kind: 'saml' };
  const oidc = OIDC_PROVIDER.exec(value);
  if (oidc) return { kind: 'oidc', provider: isUnknownPart(oidc[1]) ? undefined : oidc[1] };
  return undefined;
}

/**
 * The principals of a statement with the kind each is, or undefined when the Principal element
 * cannot be read that way: NotPrincipal, `"*"`, or no Principal at all.
 */
export function trustPrincipals(statement: Statement): TrustPrincipal[] | undefined {
  const principals = statement.principals;
  if (!principals || principals.negated || principals.wildcard) return undefined;
  const result: TrustPrincipal[] = [];
  for (const entry of principals.entries) {
    const typeKnown = !isWhollyUnknown(entry.typeNode);
    for (const item of entry.items) {
      if (!typeKnown) result.push({ item, kind: undefined });
      else if (entry.type === 'AWS') result.push({ item, kind: 'aws' });
      else if (entry.type === 'Service') result.push({ item, kind: isWhollyUnknown(item.node) ? undefined : 'service' });
      else if (entry.type === 'Federated') {
        const federated = federatedKind(item);
        result.push({ item, kind: federated?.kind, provider: federated?.provider });
      } else result.push({ item, kind: undefined });
    }
  }
  return result;
}

/** The assume action an Action item names, written out in full (no wildcard, nothing a template fills in); undefined for any other. */
export function assumeActionOf(item: StringItem): { name: string; callers: readonly TrustPrincipalKind[] } | undefined {
  if (item.node.parts || hasTemplatePlaceholder(item.value) || hasWildcard(item.value)) return undefined;
  return ASSUME_ACTIONS[item.value.trim().toLowerCase()];
}

/** Whether any Action item of the statement is filled in by a template: its actions are then unknown. */
export function actionsFilledIn(statement: Statement): boolean {
  return !!statement.actions && (isWhollyUnknown(statement.actions.element.value) || statement.actions.items.some((item) => !!item.node.parts || hasTemplatePlaceholder(item.value)));
}
