import { hasTemplatePlaceholder, hasWhitespace, markPlaceholders } from '../arn';
import { UNKNOWN_MARK } from '../tree';
import { type Catalog, CatalogCache, matchActions } from '../catalog';
import { closestMatch } from '../text';
import { documentRule } from '../ruleSupport/context';

/** What is wrong with one Action value: a message, and the value to offer instead (if any). */
interface ActionProblem {
  message: string;
  replacement?: string;
  /** The replacement is certainly what was meant (whitespace removed). */
  safe?: boolean;
}

/**
 * Actions the catalog lacks that AWS services write into the policies they create themselves:
 * SNS's default topic access policy lists "SNS:Receive" (Amazon SNS Developer Guide, "Amazon SNS
 * access control", https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 */
const SERVICE_WRITTEN: ReadonlySet<string> = new Set(['sns:receive']);

/** Per catalog: Action value to its problem (null when it is fine). */
const actionProblems = new CatalogCache((catalog: Catalog, value: string) => findActionProblem(catalog, value), 20000);

function findActionProblem(catalog: Catalog, value: string): ActionProblem | null {
  if (value === '*') return null;
  if (hasTemplatePlaceholder(value)) {
    // A template fills it in: a placeholder in the service part could be anything; in the
    // action name it stands for some text, so the literal rest must still match an action.
    const marked = markPlaceholders(value);
    const colon = marked.indexOf(':');
    if (colon < 0 || marked.slice(0, colon).includes(UNKNOWN_MARK)) return null;
    const problem = findActionProblem(catalog, marked.split(UNKNOWN_MARK).join('*'));
    return problem && { message: `${problem.message} (with the template's placeholders read as any text)` };
  }
  if (value.includes('${')) {
    return { message: `Action "${value}" holds a policy variable, but IAM substitutes variables only in Resource and Condition values: here it is literal text, and the action matches nothing.` };
  }
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
  if (SERVICE_WRITTEN.has(value.toLowerCase())) return null;
  const service = catalog.service(prefix)!;
  if (name.includes('*') || name.includes('?')) return { message: `"${value}" matches no ${service.name} action, so it grants or denies nothing.` };
  const names = [...service.actions.values()].map((a) => a.name);
  // The start of several actions (kms:ReEncrypt for ReEncryptFrom and ReEncryptTo) means them all.
  const lower = name.toLowerCase();
  const extended = names.filter((n) => n.toLowerCase().startsWith(lower));
  const suggestion = name.length >= 4 && extended.length > 1 ? `${name}*` : closestMatch(name, names, 3);
  return {
    message: `${service.name} has no action "${name}".${suggestion ? ` Did you mean "${prefix}:${suggestion}"?` : ''}`,
    replacement: suggestion ? `${prefix}:${suggestion}` : undefined,
  };
}

export default documentRule({
  meta: { id: 'action-unknown', awsChecks: ['INVALID_ACTION', 'INVALID_SERVICE_IN_ACTION', 'INVALID_SERVICE', 'VARIABLE_UNSUPPORTED_IN_ELEMENT'], severity: 'error', category: 'grammar', summary: 'An action (or wildcard) that matches no AWS action.', security: false },
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
});
