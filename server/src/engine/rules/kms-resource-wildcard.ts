import { parseArn } from '../arn';
import { describeList, documentRule, isAllow } from '../ruleSupport/context';
import { coveredActions } from '../actions';
import { ALIAS_ACTIONS } from '../kms/actions';
import type { StringItem } from '../model';

const KEY_SCOPING_KEYS = ['kms:resourcealiases', 'kms:requestalias', 'kms:viaservice', 'kms:calleraccount', 'aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths', 'kms:encryptioncontextkeys'];

export default documentRule({
  meta: { id: 'kms-resource-wildcard', severity: 'warning', category: 'kms', summary: 'KMS key actions on every key ("*", or key/* of an account) in an identity policy.', security: true, appliesTo: ['identity-policy'] },
  check(context) {
    if (context.model.kind !== 'identity-policy') return;
    // A Deny beside it that keeps keys out by tag or alias (KMS guide, "Using tags to control access") scopes the Allow.
    const denyScoped = context.model.statements.some((s) => s.effect?.value === 'Deny' && s.conditions.some((c) => KEY_SCOPING_KEYS.includes(c.lowerKey) || c.lowerKey.startsWith('aws:resourcetag/')));
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.resources || statement.resources.negated) continue;
      // "*", any account's keys, or every key of one account (`arn:aws:kms:us-east-1:111122223333:key/*`).
      const broad = statement.resources.items.filter((item) => {
        if (item.value === '*' || starBranch(item)) return true;
        const arn = parseArn(item.value);
        return !!arn && arn.service === 'kms' && /^key\/\*$|^\*$/.test(arn.resource);
      });
      if (broad.length === 0) continue;
      // Only statements about KMS: an administrator's "Action": "*" is not a KMS grant to judge here.
      if (!statement.actions || statement.actions.negated || !statement.actions.items.some((item) => item.value.toLowerCase().startsWith('kms:'))) continue;
      const keyScoped = [...coveredActions(context.catalog, statement, 'kms')].filter((name) => {
        const info = context.catalog.service('kms')?.actions.get(name.slice(4).toLowerCase());
        // Actions with no key resource (CreateKey, ListKeys, ListAliases, GenerateRandom) take only "*";
        // read and list actions are the read-only pattern AWS documents for the console.
        return !!info && info.resourceTypes.includes('key') && info.accessLevel !== 'Read' && info.accessLevel !== 'List';
      });
      if (keyScoped.length === 0) continue;
      if (statement.conditions.some((c) => KEY_SCOPING_KEYS.includes(c.lowerKey) || c.lowerKey.startsWith('aws:resourcetag/') || c.lowerKey.startsWith('kms:encryptioncontext:'))) continue;
      for (const item of broad) {
        const branch = starBranch(item);
        const written = branch ? `"*" (the template's choice when ${conditionWords(branch.condition)})` : `"${item.value}"`;
        const account = parseArn(item.value)?.account;
        const oneAccount = !!account && account !== '*';
        // The alias operations need permission on the key too, which key/* of the account gives (KMS guide, "Controlling access to aliases").
        const reported = oneAccount ? keyScoped.filter((action) => !ALIAS_ACTIONS.includes(action)) : keyScoped;
        if (reported.length === 0) continue;
        const reach = oneAccount ? `every KMS key of account ${account} whose key policy lets its IAM policies decide` : 'every KMS key this role can reach, in any account that shares one with it';
        // A Deny by tag or alias beside it narrows it: advice then. (Every key of one account stays a warning: the KMS guide's
        // best practices ask for the keys the principal needs, though its syntax page shows key/* of a trusted account.)
        const advice = denyScoped ? { severity: 'info' as const } : {};
        context.report(item, `${describeList(reported, 3)} on ${written} applies to ${reach}. Name the key ARNs, or scope with a condition (kms:ResourceAliases, aws:ResourceTag, kms:ViaService).`, advice);
      }
    }
  },
});

/** The branch of a template conditional (`!If [UseKeys, !Ref KeyList, "*"]`) that is "*", if one is. */
function starBranch(item: StringItem): { condition: string } | undefined {
  const parts = item.node.parts;
  const only = parts?.length === 1 ? parts[0] : undefined;
  return only && 'unknown' in only ? only.branches?.find((b) => b.value.trim() === '*') : undefined;
}

/** `UseKeys` → "UseKeys is true", `!UseKeys` → "UseKeys is false". */
function conditionWords(condition: string): string {
  return condition.startsWith('!') ? `condition ${condition.slice(1)} is false` : `condition ${condition} is true`;
}
