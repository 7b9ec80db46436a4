/** The IAM policy grammar: elements, their types, Effect, Sid, Principal, Action, ARNs, size. */
import type { PolicyNode as Node } from '../tree';
import { CatalogCache, matchActions, type Catalog } from '../catalog';
import {
  ACCOUNT_ID,
  checkAwsPrincipal,
  checkCanonicalUser,
  checkFederatedPrincipal,
  checkServicePrincipal,
  hasWhitespace,
  kmsResourceOf,
  looksLikePlaceholder,
  memoize,
  PARTITIONS,
  parseArn,
  REGION,
  KEY_ID,
  withoutVariables,
} from '../arn';
import { propertiesOf, spanOf, type Statement, type StringItem } from '../model';
import { closestMatch } from '../text';
import type { Fix, Span } from '../types';
import type { Rule, RuleContext } from './context';

const TOP_ELEMENTS = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPAL_ELEMENTS = ['Principal', 'NotPrincipal'];

/** The opening brace: where statement-level findings without a better anchor go. */
function statementAnchor(statement: Statement): Span {
  const sid = statement.elements.get('Sid');
  return sid ? sid.propertySpan : { start: statement.span.start, end: statement.span.start + 1 };
}

function renameFix(context: RuleContext, keySpan: Span, from: string, to: string): Fix {
  return { title: `Rename "${from}" to "${to}"`, edits: [context.edits.renameKey(keySpan, to)], safe: from.toLowerCase() === to.toLowerCase() };
}

export const policyVersion: Rule = {
  id: 'policy-version',
  severity: 'warning',
  check(context) {
    const { model, edits } = context;
    const version = model.topElements.get('Version');
    if (!version) {
      context.report({ start: model.root.offset, end: model.root.offset + 1 }, 'No Version: AWS then uses 2008-10-17, where policy variables such as ${aws:username} stay literal text. Add "Version": "2012-10-17".', {
        fixes: [{ title: 'Add "Version": "2012-10-17"', edits: [edits.addFirstProperty(model.root, 'Version', '2012-10-17')], safe: true }],
      });
      return;
    }
    if (version.value.type !== 'string') return; // element-type reports it
    const value = version.value.value as string;
    if (value === '2012-10-17') return;
    const fix: Fix = { title: 'Use "2012-10-17"', edits: [edits.replaceString(spanOf(version.value), '2012-10-17')], safe: true };
    if (value === '2008-10-17') {
      context.report(spanOf(version.value), 'Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not substituted. Use 2012-10-17.', { fixes: [fix] });
    } else {
      context.report(spanOf(version.value), `"${value}" is not a policy language version; AWS accepts only "2012-10-17" (current) and "2008-10-17".`, { severity: 'error', fixes: [fix] });
    }
  },
};

export const unknownElement: Rule = {
  id: 'unknown-element',
  severity: 'error',
  check(context) {
    const { model } = context;
    const checkKeys = (node: Node, allowed: string[], where: string) => {
      // Nearly every key is allowed: look at the key text first, build an element only to report.
      const properties = node.children ?? [];
      if (properties.every((p) => allowed.includes(p.children?.[0]?.value))) return;
      for (const element of propertiesOf(node)) {
        if (allowed.includes(element.name)) continue;
        const suggestion = closestMatch(element.name, allowed, 2);
        context.report(
          element.keySpan,
          `"${element.name}" is not a${where} policy element, so AWS rejects the policy.${suggestion ? ` Did you mean "${suggestion}"?` : ` Allowed: ${allowed.join(', ')}.`}`,
          suggestion ? { fixes: [renameFix(context, element.keySpan, element.name, suggestion)] } : {},
        );
      }
    };
    checkKeys(model.root, TOP_ELEMENTS, ' top-level');
    for (const statement of model.statements) checkKeys(statement.node, STATEMENT_ELEMENTS, ' statement');
  },
};

function isStringList(node: Node): boolean {
  return node.type === 'string' || (node.type === 'array' && (node.children ?? []).length > 0 && node.children!.every((c) => c.type === 'string'));
}

export const elementType: Rule = {
  id: 'element-type',
  severity: 'error',
  check(context) {
    const { model } = context;
    const expectString = (name: string, node: Node | undefined) => {
      if (node && node.type !== 'string') context.report(spanOf(node), `${name} must be a string.`);
    };
    expectString('Version', model.topElements.get('Version')?.value);
    expectString('Id', model.topElements.get('Id')?.value);
    const statementValue = model.statementElement?.value;
    if (statementValue) {
      if (statementValue.type === 'array') {
        if ((statementValue.children ?? []).length === 0) context.report(spanOf(statementValue), 'Statement is empty: a policy needs at least one statement.');
        for (const child of statementValue.children ?? []) {
          if (child.type !== 'object') context.report(spanOf(child), 'Each statement must be an object ({ "Effect": ..., "Action": ..., ... }).');
        }
      } else if (statementValue.type !== 'object') {
        context.report(spanOf(statementValue), 'Statement must be an array of statement objects (or a single object).');
      }
    }
    for (const statement of model.statements) {
      expectString('Sid', statement.elements.get('Sid')?.value);
      expectString('Effect', statement.elements.get('Effect')?.value);
      for (const name of LIST_ELEMENTS) {
        const element = statement.elements.get(name);
        if (element && !isStringList(element.value)) {
          context.report(spanOf(element.value), `${name} must be a string or a non-empty array of strings.`);
        }
      }
      for (const name of PRINCIPAL_ELEMENTS) {
        const element = statement.elements.get(name);
        if (!element) continue;
        const value = element.value;
        if (value.type === 'string') {
          if (value.value !== '*') {
            const fix: Fix[] = /^arn:|^\d{12}$/.test(value.value)
              ? [{ title: `Wrap in { "AWS": ... }`, edits: [context.edits.replaceValue(value, { AWS: value.value })], safe: true }]
              : [];
            context.report(spanOf(value), `${name} as a string can only be "*"; name accounts and roles as { "AWS": "<ARN or account ID>" }.`, { fixes: fix });
          }
        } else if (value.type === 'object') {
          for (const entry of propertiesOf(value)) {
            if (!isStringList(entry.value)) context.report(spanOf(entry.value), `${name} "${entry.name}" must be a string or a non-empty array of strings.`);
          }
        } else {
          context.report(spanOf(value), `${name} must be "*" or an object such as { "AWS": [...] }.`);
        }
      }
      const condition = statement.condition?.value;
      if (condition) {
        if (condition.type !== 'object') {
          context.report(spanOf(condition), 'Condition must be an object of operators, e.g. { "StringEquals": { "aws:PrincipalOrgID": "o-..." } }.');
        } else {
          for (const operator of propertiesOf(condition)) {
            if (operator.value.type !== 'object') {
              context.report(spanOf(operator.value), `The "${operator.name}" block must be an object of condition keys to values.`);
              continue;
            }
            for (const key of propertiesOf(operator.value)) {
              const v = key.value;
              const scalar = (n: Node) => n.type === 'string' || n.type === 'number' || n.type === 'boolean';
              const ok = scalar(v) || (v.type === 'array' && (v.children ?? []).length > 0 && v.children!.every(scalar));
              if (!ok) context.report(spanOf(v), `The value of "${key.name}" must be a string, number, boolean or a non-empty array of them.`);
            }
          }
        }
      }
    }
  },
};

export const statementEffect: Rule = {
  id: 'statement-effect',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      const element = statement.elements.get('Effect');
      if (!element) {
        context.report(statementAnchor(statement), 'This statement has no Effect: every statement needs "Effect": "Allow" or "Deny".');
        continue;
      }
      const effect = statement.effect;
      if (!effect || effect.value === 'Allow' || effect.value === 'Deny') continue;
      const suggestion = closestMatch(effect.value.trim(), ['Allow', 'Deny'], 2);
      context.report(effect, `Effect must be exactly "Allow" or "Deny" (case-sensitive), not "${effect.value}".`, {
        fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [context.edits.replaceString(effect, suggestion)], safe: effect.value.trim().toLowerCase() === suggestion.toLowerCase() }] : [],
      });
    }
  },
};

export const statementSid: Rule = {
  id: 'statement-sid',
  severity: 'error',
  check(context) {
    const { model, edits } = context;
    const seen = new Map<string, StringItem>();
    const allSids = new Set(model.statements.map((s) => s.sid?.value).filter((v): v is string => !!v));
    for (const statement of model.statements) {
      const sid = statement.sid;
      if (!sid || sid.value === '') continue;
      if (model.kind === 'identity-policy' && !/^[A-Za-z0-9]+$/.test(sid.value)) {
        const cleaned = sid.value.replace(/[^A-Za-z0-9]/g, '');
        const fixes: Fix[] = cleaned && !allSids.has(cleaned) ? [{ title: `Change Sid to "${cleaned}"`, edits: [edits.replaceString(sid, cleaned)], safe: true }] : [];
        context.report(sid, 'In an IAM identity policy a Sid may hold only letters and digits (A-Z, a-z, 0-9); IAM rejects the policy otherwise.', { fixes });
      }
      const first = seen.get(sid.value);
      if (first) {
        context.report(sid, `Sid "${sid.value}" is used by an earlier statement; Sids must be unique within a policy.`, {
          severity: model.kind === 'identity-policy' ? 'error' : 'warning',
          related: [{ start: first.start, end: first.end, message: 'first used here' }],
        });
      } else {
        seen.set(sid.value, sid);
      }
    }
  },
};

export const statementConflict: Rule = {
  id: 'statement-conflict',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      for (const [plain, negated] of [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']]) {
        const a = statement.elements.get(plain);
        const b = statement.elements.get(negated);
        if (a && b) {
          const later = a.propertySpan.start > b.propertySpan.start ? a : b;
          const earlier = later === a ? b : a;
          context.report(later.keySpan, `A statement cannot have both ${plain} and ${negated}; AWS rejects the policy. Keep one.`, {
            related: [{ ...earlier.keySpan, message: `${earlier.name} is here` }],
          });
        }
      }
      if (!statement.elements.has('Action') && !statement.elements.has('NotAction')) {
        context.report(statementAnchor(statement), 'This statement has no Action (or NotAction), so it allows or denies nothing and AWS rejects it.');
      }
      if (!statement.elements.has('Resource') && !statement.elements.has('NotResource')) {
        const hint = context.model.kind === 'key-policy' ? ' In a key policy use "Resource": "*" (it means this key).' : '';
        context.report(statementAnchor(statement), `This statement has no Resource (or NotResource); AWS rejects it.${hint}`);
      }
    }
  },
};

export const principalMissing: Rule = {
  id: 'principal-missing',
  severity: 'error',
  check(context) {
    if (context.model.kind === 'identity-policy') return;
    const what = context.model.kind === 'key-policy' ? 'a key policy' : 'a resource policy';
    for (const statement of context.model.statements) {
      if (statement.principals) continue;
      context.report(statementAnchor(statement), `Every statement in ${what} needs a Principal: who the statement applies to. Without it AWS rejects the policy.`);
    }
  },
};

export const principalNotAllowed: Rule = {
  id: 'principal-not-allowed',
  severity: 'error',
  check(context) {
    if (context.model.kind !== 'identity-policy') return;
    for (const statement of context.model.statements) {
      if (!statement.principals) continue;
      const element = statement.principals.element;
      context.report(element.keySpan, `An identity policy applies to the user or role it is attached to, so it cannot name a ${element.name}; IAM rejects the policy. Remove it (to let another account in, edit the key policy instead).`, {
        fixes: [{ title: `Remove ${element.name}`, edits: [context.edits.removeProperty(element.property)], safe: true }],
      });
    }
  },
};

export const principalInvalid: Rule = {
  id: 'principal-invalid',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      const principals = statement.principals;
      if (!principals) continue;
      for (const entry of principals.entries) {
        if (!PRINCIPAL_TYPES.includes(entry.type)) {
          const suggestion = closestMatch(entry.type, PRINCIPAL_TYPES, 2);
          context.report(entry.typeSpan, `"${entry.type}" is not a principal type; use one of ${PRINCIPAL_TYPES.join(', ')}.`, {
            fixes: suggestion ? [renameFix(context, entry.typeSpan, entry.type, suggestion)] : [],
          });
          continue;
        }
        const checker = entry.type === 'AWS' ? checkAwsPrincipal : entry.type === 'Service' ? checkServicePrincipal : entry.type === 'Federated' ? checkFederatedPrincipal : checkCanonicalUser;
        for (const item of entry.items) {
          const result = checker(item.value);
          if (result.ok) continue;
          const fixes: Fix[] = result.fix ? [{ title: `Change to "${result.fix}"`, edits: [context.edits.replaceString(item, result.fix)], safe: true }] : [];
          context.report(item, `Principal "${item.value}" ${result.reason}. AWS rejects a policy with an invalid principal.`, { fixes });
        }
      }
    }
  },
};

/** What is wrong with one Action value: a message, and the value to offer instead (if any). */
interface ActionProblem {
  message: string;
  replacement?: string;
  /** The replacement is certainly what was meant (whitespace removed). */
  safe?: boolean;
}

/** Per catalog: Action value to its problem (null when it is fine). */
const actionProblems = new CatalogCache((catalog: Catalog, value: string) => findActionProblem(catalog, value), 20000);

function findActionProblem(catalog: Catalog, value: string): ActionProblem | null {
  if (value === '*') return null;
  if (hasWhitespace(value)) {
    const compact = value.replace(/\s+/g, '');
    return { message: `Action "${value}" has whitespace in it, so it matches no action.`, replacement: compact, safe: true };
  }
  const colon = value.indexOf(':');
  if (colon <= 0) return { message: `Action "${value}" must have the form service:Action (for example kms:Decrypt).` };
  const prefix = value.slice(0, colon);
  const name = value.slice(colon + 1);
  const match = matchActions(catalog, value);
  if (match.allServices) return null;
  if (match.unknownService) {
    const suggestion = closestMatch(prefix, catalog.servicePrefixes(), 2);
    return {
      message: `"${prefix}" is not an AWS service prefix, so "${value}" matches no action.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      replacement: suggestion ? `${suggestion}:${name}` : undefined,
    };
  }
  if (match.actions.length > 0) return null;
  const service = catalog.service(prefix)!;
  if (name.includes('*') || name.includes('?')) return { message: `"${value}" matches no ${service.name} action, so it grants or denies nothing.` };
  const suggestion = closestMatch(name, [...service.actions.values()].map((a) => a.name), 3);
  return {
    message: `${service.name} has no action "${name}".${suggestion ? ` Did you mean "${prefix}:${suggestion}"?` : ''}`,
    replacement: suggestion ? `${prefix}:${suggestion}` : undefined,
  };
}

export const actionUnknown: Rule = {
  id: 'action-unknown',
  severity: 'error',
  check(context) {
    const { catalog, edits } = context;
    for (const statement of context.model.statements) {
      for (const item of statement.actions?.items ?? []) {
        const problem = actionProblems.get(catalog, item.value, undefined);
        if (!problem) continue;
        const { message, replacement, safe = false } = problem;
        context.report(item, message, {
          fixes: replacement !== undefined ? [{ title: `Change to "${replacement}"`, edits: [edits.replaceString(item, replacement)], safe }] : [],
        });
      }
    }
  },
};

/** Problems with one Resource ARN, or undefined when it is well formed. */
export const arnProblem = memoize(arnProblemUncached);

function arnProblemUncached(value: string): string | undefined {
  if (value === '*') return undefined;
  if (hasWhitespace(value)) return 'has whitespace inside it, so it matches nothing';
  if (!value.startsWith('arn:')) return looksLikePlaceholder(value) ? 'is a placeholder, not an ARN' : 'is neither "*" nor an ARN (arn:partition:service:region:account:resource)';
  const arn = parseArn(value);
  if (!arn) return 'has fewer than the six colon-separated parts of an ARN (arn:partition:service:region:account:resource)';
  if (looksLikePlaceholder(value)) return 'still holds a placeholder where a real value belongs';
  const plain = (s: string) => withoutVariables(s);
  if (!PARTITIONS.includes(arn.partition) && !/[*?]/.test(arn.partition)) return `has an unknown partition "${arn.partition}" (aws, aws-cn, aws-us-gov, ...)`;
  if (arn.service === '') return 'has no service part';
  if (arn.service === 'kms') {
    if (!REGION.test(plain(arn.region)) && !/[*?]/.test(arn.region) && !/^x$/.test(plain(arn.region))) return `has "${arn.region}" where a region such as us-east-1 belongs (KMS keys are regional)`;
    if (!ACCOUNT_ID.test(arn.account) && !/[*?$]/.test(arn.account)) return `has "${arn.account}" where a 12-digit account ID belongs`;
    const resource = kmsResourceOf(arn);
    if (resource.type === 'key' && !KEY_ID.test(resource.id) && !/[*?$]/.test(resource.id)) return `has "${resource.id}" where a key ID (a UUID, or mrk- and 32 hex digits for a multi-Region key) belongs`;
    if (resource.type === 'other') return 'names neither key/<key-id> nor alias/<name>';
  }
  return undefined;
}

export const arnInvalid: Rule = {
  id: 'arn-invalid',
  severity: 'error',
  check(context) {
    // Key policy Resources are key-policy-resource's business.
    if (context.model.kind === 'key-policy') return;
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        const problem = arnProblem(item.value);
        if (!problem) continue;
        const compact = item.value.replace(/\s+/g, '');
        const fixes: Fix[] = hasWhitespace(item.value) && !arnProblem(compact) ? [{ title: `Change to "${compact}"`, edits: [context.edits.replaceString(item, compact)], safe: true }] : [];
        context.report(item, `Resource "${item.value}" ${problem}.`, { fixes });
      }
    }
  },
};

export const policySize: Rule = {
  id: 'policy-size',
  severity: 'warning',
  check(context) {
    const { model } = context;
    const anchor = { start: model.root.offset, end: model.root.offset + 1 };
    const length = model.root.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes: most policies are decided by their length alone.
    if (model.kind === 'key-policy' ? length * 3 <= 32768 : length <= 6144) return;
    const policyText = context.text.slice(model.root.offset, model.root.offset + length);
    if (model.kind === 'key-policy') {
      const bytes = Buffer.byteLength(policyText, 'utf8');
      if (bytes > 32768) context.report(anchor, `This key policy is ${bytes} bytes; KMS accepts at most 32,768 (32 KB). Split grants into IAM policies or use grants.`, { severity: 'error' });
    } else if (model.kind === 'identity-policy') {
      const characters = policyText.replace(/\s+/g, '').length;
      if (characters > 6144) context.report(anchor, `This policy has ${characters} characters without whitespace; an IAM managed policy may have at most 6,144 (inline: 2,048 for users, 5,120 for groups, 10,240 for roles).`);
    }
  },
};

export const grammarRules: Rule[] = [
  policyVersion,
  unknownElement,
  elementType,
  statementEffect,
  statementSid,
  statementConflict,
  principalMissing,
  principalNotAllowed,
  principalInvalid,
  actionUnknown,
  arnInvalid,
  policySize,
];
