/** KMS semantics: what a key policy or an IAM policy that uses keys really grants. */
import {
  ALIAS_MAX_LENGTH,
  ALIAS_NAME,
  AWS_MANAGED_ALIAS,
  formatArn,
  kmsResourceOf,
  parseArn,
  principalAccount,
  type Arn,
} from '../arn';
import type { Statement, StringItem } from '../model';
import type { Fix } from '../types';
import {
  ALIAS_ACTIONS,
  awsPrincipalItems,
  coveredActions,
  CRYPTO_ACTIONS,
  describeList,
  grantsToEveryone,
  isAllow,
  itemsCovering,
  MANAGEMENT_ACTIONS,
  restrictingCondition,
  statementCovers,
  USAGE_ACTIONS,
  type Rule,
  type RuleContext,
} from './context';

interface KmsArnItem {
  item: StringItem;
  arn: Arn;
}

function kmsArnItems(statement: Statement): KmsArnItem[] {
  if (!statement.resources || statement.resources.negated) return [];
  const result: KmsArnItem[] = [];
  for (const item of statement.resources.items) {
    const arn = parseArn(item.value);
    if (arn && arn.service === 'kms') result.push({ item, arn });
  }
  return result;
}

function aliasArnItems(statement: Statement): KmsArnItem[] {
  return kmsArnItems(statement).filter(({ arn }) => kmsResourceOf(arn).type === 'alias');
}

/** KMS actions the statement allows or denies, expanded; alias operations set apart. */
function kmsActionsOf(context: RuleContext, statement: Statement): { keyActions: string[]; aliasActions: string[] } {
  const covered = [...coveredActions(context.catalog, statement, 'kms')];
  const aliasActions = covered.filter((a) => ALIAS_ACTIONS.includes(a));
  return { keyActions: covered.filter((a) => !ALIAS_ACTIONS.includes(a)), aliasActions };
}

function isExternalManagedAlias(context: RuleContext, arn: Arn): boolean {
  const resource = kmsResourceOf(arn);
  if (resource.type !== 'alias' || !AWS_MANAGED_ALIAS.test(resource.name)) return false;
  return !context.model.ownerAccount || arn.account !== context.model.ownerAccount;
}

export const aliasArnAsResource: Rule = {
  id: 'alias-arn-as-resource',
  severity: 'error',
  check(context) {
    if (context.model.kind === 'key-policy') return; // key-policy-resource covers key policies
    for (const statement of context.model.statements) {
      const aliases = aliasArnItems(statement).filter(({ arn }) => !isExternalManagedAlias(context, arn));
      if (aliases.length === 0) continue;
      const { keyActions, aliasActions } = kmsActionsOf(context, statement);
      if (keyActions.length === 0) continue;
      const names = keyActions.map((a) => a);
      const fixes = aliasFix(context, statement, aliasActions.length > 0);
      // With only alias ARNs and no alias operations, the statement does nothing at all.
      const dead = aliasActions.length === 0 && aliases.length === (statement.resources?.items.length ?? 0);
      for (const { item } of aliases) {
        const verb = isAllow(statement) ? 'grants' : 'denies';
        context.report(
          item,
          `An alias ARN as Resource matches only the alias itself (CreateAlias, UpdateAlias, DeleteAlias); it ${verb} nothing on the key behind it, so ${describeList(names)} here ${isAllow(statement) ? 'have no effect' : 'are not denied'}. Use the key ARN, or key/* with a kms:ResourceAliases condition.`,
          { fixes, unnecessary: dead },
        );
      }
    }
  },
};

/** key/* in the alias's account and region, plus ForAnyValue:StringLike on kms:ResourceAliases. */
function aliasFix(context: RuleContext, statement: Statement, mixesAliasOperations: boolean): Fix[] {
  if (mixesAliasOperations || !statement.resources || statement.resources.negated) return [];
  const items = statement.resources.items;
  const parsed = items.map((item) => parseArn(item.value));
  if (parsed.some((arn) => !arn || arn.service !== 'kms' || kmsResourceOf(arn).type !== 'alias')) return [];
  const first = parsed[0]!;
  if (parsed.some((arn) => arn!.partition !== first.partition || arn!.region !== first.region || arn!.account !== first.account)) return [];
  if (statement.conditions.some((c) => c.key.toLowerCase() === 'kms:resourcealiases')) return [];
  const aliasNames = parsed.map((arn) => arn!.resource);
  const keyPattern = formatArn({ ...first, resource: 'key/*' });
  const aliasValue = aliasNames.length === 1 ? aliasNames[0] : aliasNames;
  const { edits } = context;
  const edit = [edits.replaceValue(statement.resources.element.value, keyPattern)];
  const condition = statement.condition?.value;
  if (!condition) {
    edit.push(edits.addProperty(statement.node, 'Condition', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': aliasValue } }));
  } else if (condition.type === 'object') {
    const existing = condition.children?.find((p) => p.children?.[0]?.value === 'ForAnyValue:StringLike');
    const block = existing?.children?.[1];
    if (block && block.type === 'object') edit.push(edits.addProperty(block, 'kms:ResourceAliases', aliasValue));
    else if (!existing) edit.push(edits.addProperty(condition, 'ForAnyValue:StringLike', { 'kms:ResourceAliases': aliasValue }));
    else return [];
  } else {
    return [];
  }
  return [{ title: `Use ${keyPattern} with a kms:ResourceAliases condition`, edits: edit, safe: true }];
}

function aliasValueItems(statement: Statement): { item: StringItem; key: string; operator: string }[] {
  const result: { item: StringItem; key: string; operator: string }[] = [];
  for (const entry of statement.conditions) {
    const key = entry.key.toLowerCase();
    if (key !== 'kms:resourcealiases' && key !== 'kms:requestalias') continue;
    for (const value of entry.values) {
      if (typeof value.value === 'string') result.push({ item: value as StringItem, key: entry.key, operator: entry.operator });
    }
  }
  return result;
}

export const aliasNameInvalid: Rule = {
  id: 'alias-name-invalid',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      const check = (item: StringItem, name: string, wildcardsAllowed: boolean, where: string) => {
        if (name.includes('${')) return;
        const bare = wildcardsAllowed ? name.replace(/[*?]/g, 'x') : name;
        if (!bare.startsWith('alias/')) {
          const fixed = `alias/${name}`;
          const fixes: Fix[] = where === 'condition' && ALIAS_NAME.test(fixed.replace(/[*?]/g, 'x'))
            ? [{ title: `Change to "${fixed}"`, edits: [context.edits.replaceString(item, fixed)], safe: true }]
            : [];
          context.report(item, `Alias names start with "alias/" (e.g. alias/${name}); "${name}" never matches any alias.`, { fixes });
        } else if (name.length > ALIAS_MAX_LENGTH) {
          context.report(item, `Alias names are at most ${ALIAS_MAX_LENGTH} characters; this one has ${name.length}.`);
        } else if (!ALIAS_NAME.test(bare)) {
          context.report(item, `"${name}" is not a valid alias name: after "alias/" only letters, digits, "/", "_" and "-" are allowed${wildcardsAllowed ? ' (and * ? as wildcards)' : ''}.`);
        }
      };
      for (const { item, arn } of aliasArnItems(statement)) check(item, arn.resource, true, 'resource');
      for (const { item, operator } of aliasValueItems(statement)) check(item, item.value, operator.includes('Like'), 'condition');
    }
  },
};

export const awsManagedKeyShared: Rule = {
  id: 'aws-managed-key-shared',
  severity: 'error',
  check(context) {
    if (context.model.kind === 'key-policy') return;
    const message =
      'AWS managed keys (alias/aws/...) cannot be shared: their key policies allow use only through the owning service from the owning account. Use a customer managed key, and share that.';
    for (const statement of context.model.statements) {
      if (!isAllow(statement)) continue;
      for (const { item, arn } of aliasArnItems(statement)) {
        if (isExternalManagedAlias(context, arn)) context.report(item, message);
      }
      const keyAccounts = kmsArnItems(statement).map(({ arn }) => arn.account);
      const external = keyAccounts.some((a) => a !== '*' && (!context.model.ownerAccount || a !== context.model.ownerAccount));
      if (!external) continue;
      for (const { item } of aliasValueItems(statement)) {
        if (AWS_MANAGED_ALIAS.test(item.value)) context.report(item, message);
      }
    }
  },
};

export const keyPolicyResource: Rule = {
  id: 'key-policy-resource',
  severity: 'warning',
  check(context) {
    if (context.model.kind !== 'key-policy') return;
    for (const statement of context.model.statements) {
      const resources = statement.resources;
      if (!resources) continue;
      // Most key policies already say "*": the fix is built only for a finding that offers it.
      const toStar = (): Fix[] => (resources.items.length === 1 ? [{ title: 'Use "Resource": "*" (this key)', edits: [context.edits.replaceValue(resources.element.value, '*')], safe: true }] : []);
      if (resources.negated) {
        context.report(resources.element.keySpan, 'In a key policy, NotResource has no use: the policy only ever applies to this key. Use "Resource": "*".', {
          fixes: [{ title: 'Use "Resource": "*" (this key)', edits: [context.edits.renameKey(resources.element.keySpan, 'Resource'), context.edits.replaceValue(resources.element.value, '*')], safe: false }],
        });
        continue;
      }
      for (const item of resources.items) {
        if (item.value === '*') continue;
        const arn = parseArn(item.value);
        const resource = arn?.service === 'kms' ? kmsResourceOf(arn) : undefined;
        if (resource?.type === 'alias') {
          context.report(item, 'A key policy cannot name an alias as Resource: the policy applies to its own key only, and an alias ARN matches nothing here. Use "*".', { severity: 'error', fixes: toStar() });
        } else if (context.options.keyArn && item.value !== context.options.keyArn) {
          context.report(item, `This key policy belongs to ${context.options.keyArn}; a key policy can only grant on its own key, so this Resource matches nothing. Use "*".`, { severity: 'error', fixes: toStar() });
        } else if (!context.options.keyArn) {
          context.report(item, 'In a key policy "Resource": "*" means this key. A specific ARN works only if it is exactly this key\'s own ARN, and breaks silently when copied to another key. Use "*".', { fixes: toStar() });
        }
      }
    }
  },
};

export const wildcardPrincipal: Rule = {
  id: 'wildcard-principal',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.principals) continue;
      if (statement.principals.negated) {
        context.report(statement.principals.element.keySpan, 'Allow with NotPrincipal grants access to every principal in every AWS account except those listed. Name the principals you mean in Principal instead.');
        continue;
      }
      const star = grantsToEveryone(statement);
      if (!star || restrictingCondition(statement)) continue;
      const what = context.model.kind === 'key-policy' ? 'this key' : 'this resource';
      context.report(star, `"*" as principal with no restricting condition lets any AWS account use ${what}. Add a condition such as "StringEquals": { "aws:PrincipalOrgID": "o-..." } (your organization) or kms:CallerAccount, or name the accounts.`);
    }
  },
};

export const crossAccountAdmin: Rule = {
  id: 'cross-account-admin',
  severity: 'warning',
  check(context) {
    const { model } = context;
    if (model.kind !== 'key-policy') return;
    for (const statement of model.statements) {
      if (!isAllow(statement) || !statement.actions || statement.actions.negated) continue;
      const principals = awsPrincipalItems(statement);
      const outsiders = principals.filter((p) => p.value === '*' ? restrictingCondition(statement) : !!model.ownerAccount && principalAccount(p.value) !== undefined && principalAccount(p.value) !== model.ownerAccount);
      if (outsiders.length === 0) continue;
      const granted = MANAGEMENT_ACTIONS.filter((a) => statementCovers(statement, a));
      if (granted.length === 0) continue;
      const offending = new Set(granted.flatMap((a) => itemsCovering(statement, a)));
      const allOutside = outsiders.length === principals.length;
      const fixes: Fix[] = allOutside
        ? [{ title: 'Reduce to the standard key usage actions', edits: [context.edits.replaceValue(statement.actions.element.value, USAGE_ACTIONS)], safe: false }]
        : [];
      const who = outsiders.map((p) => p.value);
      for (const item of offending) {
        context.report(item, `This gives ${describeList(who, 2)}, outside the key's owner account${model.ownerAccount ? ` ${model.ownerAccount}` : ''}, management rights (${describeList(granted.map((a) => a.slice(4)))}): they could change the key policy, disable or delete the key. Share usage, keep management home.`, {
          fixes,
          related: outsiders.map((p) => ({ start: p.start, end: p.end, message: 'principal outside the owner account' })),
        });
      }
    }
  },
};

/** Wildcards like kms:* or kms:Create* belong to admin and root statements; only explicit grants are checked. */
function grantItems(statement: Statement): StringItem[] {
  return itemsCovering(statement, 'kms:CreateGrant').filter((item) => !['*', 'kms:*', 'kms:create*'].includes(item.value.toLowerCase()));
}

export const grantWithoutAwsResourceCondition: Rule = {
  id: 'grant-without-aws-resource-condition',
  severity: 'warning',
  check(context) {
    for (const statement of context.model.statements) {
      if (!isAllow(statement)) continue;
      const items = grantItems(statement);
      if (items.length === 0) continue;
      const constrained = statement.conditions.some(
        (c) => c.key.toLowerCase() === 'kms:grantisforawsresource' && c.values.some((v) => String(v.value).toLowerCase() === 'true'),
      );
      if (constrained) continue;
      const { edits } = context;
      const condition = statement.condition?.value;
      let fixEdit;
      const existing = statement.conditions.find((c) => c.key.toLowerCase() === 'kms:grantisforawsresource' && c.operator === 'Bool');
      if (existing) fixEdit = edits.replaceValue(existing.valueNode, 'true');
      else if (!condition) fixEdit = edits.addProperty(statement.node, 'Condition', { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
      else if (condition.type === 'object') {
        const bool = condition.children?.find((p) => p.children?.[0]?.value === 'Bool')?.children?.[1];
        if (bool?.type === 'object') fixEdit = edits.addProperty(bool, 'kms:GrantIsForAWSResource', 'true');
        else if (!bool) fixEdit = edits.addProperty(condition, 'Bool', { 'kms:GrantIsForAWSResource': 'true' });
      }
      for (const item of items) {
        context.report(item, 'CreateGrant without "kms:GrantIsForAWSResource": "true" lets the principal create grants for anyone, handing on its rights to the key. Restrict it to grants that integrated AWS services create for you.', {
          fixes: fixEdit ? [{ title: 'Add "Bool": { "kms:GrantIsForAWSResource": "true" }', edits: [fixEdit], safe: false }] : [],
        });
      }
    }
  },
};

export const lockoutRisk: Rule = {
  id: 'lockout-risk',
  severity: 'warning',
  check(context) {
    const { model } = context;
    if (model.kind !== 'key-policy' || model.statements.length === 0) return;
    for (const statement of model.statements) {
      if (statement.effect?.value !== 'Deny' || statement.conditions.length > 0) continue;
      const star = grantsToEveryone(statement);
      const items = itemsCovering(statement, 'kms:PutKeyPolicy');
      if (star && items.length > 0) {
        context.report(items[0], 'This denies kms:PutKeyPolicy to everyone, with no condition: nobody, not even the account root, could ever change this key policy again. KMS refuses such a policy unless the lockout safety check is bypassed.', { severity: 'error' });
      }
    }
    const canChange = model.statements.some((s) => isAllow(s) && s.principals && !s.principals.negated && statementCovers(s, 'kms:PutKeyPolicy'));
    if (canChange) return;
    const anchor = model.statementElement?.keySpan ?? { start: model.root.offset, end: model.root.offset + 1 };
    context.report(anchor, 'No statement lets anyone call kms:PutKeyPolicy (no owner-root statement, no key administrator): once set, this policy could never be changed. KMS\'s lockout safety check refuses it unless bypassed. Keep the "Enable IAM User Permissions" statement for the owner account\'s root.');
  },
};

export const missingDescribeKey: Rule = {
  id: 'missing-describe-key',
  severity: 'info',
  check(context) {
    const { model, edits } = context;
    if (model.kind === 'resource-policy') return;
    const allows = model.statements.filter(isAllow);
    const grantsUse = (s: Statement) => CRYPTO_ACTIONS.some((a) => statementCovers(s, a));
    if (model.kind === 'identity-policy') {
      const usesKeys = allows.filter((s) => grantsUse(s) && kmsArnItems(s).length > 0);
      if (usesKeys.length === 0 || allows.some((s) => statementCovers(s, 'kms:DescribeKey'))) return;
      reportMissing(usesKeys[0]);
      return;
    }
    const describers = new Set<string>();
    for (const s of allows) if (statementCovers(s, 'kms:DescribeKey')) for (const p of awsPrincipalItems(s)) describers.add(p.value);
    for (const statement of allows) {
      if (!grantsUse(statement)) continue;
      const principals = awsPrincipalItems(statement).map((p) => p.value);
      if (principals.length > 0 && !principals.every((p) => describers.has(p))) reportMissing(statement);
    }
    function reportMissing(statement: Statement) {
      const actions = statement.actions!;
      const who = model.kind === 'identity-policy' ? 'This policy allows using the key' : 'These principals may use the key';
      context.report(actions.element.keySpan, `${who} but not kms:DescribeKey: AWS service consoles cannot show or select the key, and integrations that look the key up first fail. Add kms:DescribeKey.`, {
        fixes: actions.negated ? [] : [{ title: 'Add "kms:DescribeKey"', edits: [edits.addToList(actions.element.value, actions.items, ['kms:DescribeKey'])], safe: true }],
      });
    }
  },
};

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ORG_PATH = /^o-[a-z0-9]{10,32}\/(r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*\/?)?\*?$/;

export const orgConditionInvalid: Rule = {
  id: 'org-condition-invalid',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const key = entry.key.toLowerCase();
        const isId = ['aws:principalorgid', 'aws:resourceorgid', 'aws:sourceorgid'].includes(key);
        const isPath = ['aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths'].includes(key);
        if (!isId && !isPath) continue;
        const like = entry.operator.includes('Like');
        for (const value of entry.values) {
          if (typeof value.value !== 'string' || value.value.includes('${')) continue;
          const text = value.value;
          if (isId) {
            const bare = like ? text.replace(/[*?]/g, 'a') : text;
            if (!ORG_ID.test(bare)) {
              context.report(value, `"${text}" is not an organization ID: they look like o- followed by 10 to 32 lowercase letters or digits (o-a1b2c3d4e5). With this value the condition never matches, and nobody in the organization gets access.`);
            }
          } else {
            const bare = like ? text.replace(/\*$/, '*').replace(/(?<!\/)[*?]/g, 'a') : text;
            if (!ORG_PATH.test(bare)) {
              context.report(value, `"${text}" is not an organization path: they look like o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (OUs come from the organization tree, not from account ID ranges).`);
            }
          }
        }
      }
    }
  },
};

const TAGGING_ACTIONS = ['kms:TagResource', 'kms:UntagResource', 'kms:CreateKey', 'kms:ReplicateKey'];

export const requestTagMisuse: Rule = {
  id: 'request-tag-misuse',
  severity: 'warning',
  check(context) {
    for (const statement of context.model.statements) {
      const tagEntries = statement.conditions.filter((c) => c.key.toLowerCase().startsWith('aws:requesttag/'));
      if (tagEntries.length === 0 || !statement.actions) continue;
      if (statement.actions.items.some((i) => !i.value.toLowerCase().startsWith('kms:') && i.value !== '*')) continue;
      if (TAGGING_ACTIONS.some((a) => statementCovers(statement, a))) continue;
      for (const entry of tagEntries) {
        const tag = entry.key.slice('aws:RequestTag/'.length);
        context.report(entry.keySpan, `aws:RequestTag compares tags sent in the request (TagResource, CreateKey); ${describeList(statement.actions.items.map((i) => i.value), 3)} carry none, so this condition never matches. For the caller's tags use aws:PrincipalTag, for the key's tags aws:ResourceTag.`, {
          fixes: [
            { title: `Use aws:PrincipalTag/${tag} (the caller's tag)`, edits: [context.edits.renameKey(entry.keySpan, `aws:PrincipalTag/${tag}`)], safe: false },
            { title: `Use aws:ResourceTag/${tag} (the key's tag)`, edits: [context.edits.renameKey(entry.keySpan, `aws:ResourceTag/${tag}`)], safe: false },
          ],
        });
      }
    }
  },
};

export const s3SseKmsActions: Rule = {
  id: 's3-sse-kms-actions',
  severity: 'warning',
  check(context) {
    const { model } = context;
    const allows = model.statements.filter(isAllow);
    const ofService = (item: StringItem, prefix: string) => item.value.slice(0, prefix.length).toLowerCase() === prefix;
    const names = (s: Statement, prefix: string) => !!s.actions && !s.actions.negated && s.actions.items.some((i) => ofService(i, prefix));
    // Only policies that name both S3 and KMS actions can miss this pairing.
    if (!allows.some((s) => names(s, 's3:'))) return;
    const kmsStatements = allows.filter((s) => names(s, 'kms:'));
    if (kmsStatements.length === 0) return;
    const target = kmsStatements[0];
    const needs: [string, string, string][] = [
      ['s3:PutObject', 'kms:GenerateDataKey', 'Uploading to a bucket encrypted with SSE-KMS needs kms:GenerateDataKey on the key'],
      ['s3:GetObject', 'kms:Decrypt', 'Reading SSE-KMS objects needs kms:Decrypt on the key'],
    ];
    for (const [s3Action, kmsAction, why] of needs) {
      const s3Items: StringItem[] = [];
      for (const s of allows) for (const item of itemsCovering(s, s3Action)) if (ofService(item, 's3:')) s3Items.push(item);
      if (s3Items.length === 0) continue;
      if (allows.some((s) => statementCovers(s, kmsAction))) continue;
      const actions = target.actions!;
      context.report(s3Items[0], `${why}, and no statement here allows it: the request fails with AccessDenied from KMS.`, {
        fixes: [{ title: `Add "${kmsAction}"`, edits: [context.edits.addToList(actions.element.value, actions.items, [kmsAction])], safe: false }],
      });
    }
  },
};

const KEY_SCOPING_KEYS = ['kms:resourcealiases', 'kms:requestalias', 'kms:viaservice', 'kms:calleraccount', 'aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths', 'kms:encryptioncontextkeys'];

export const kmsResourceWildcard: Rule = {
  id: 'kms-resource-wildcard',
  severity: 'warning',
  check(context) {
    if (context.model.kind !== 'identity-policy') return;
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.resources || statement.resources.negated) continue;
      const broad = statement.resources.items.filter((item) => {
        if (item.value === '*') return true;
        const arn = parseArn(item.value);
        return !!arn && arn.service === 'kms' && (arn.account === '*' || arn.account === '') && /^key\/\*$|^\*$/.test(arn.resource);
      });
      if (broad.length === 0) continue;
      const keyScoped = [...coveredActions(context.catalog, statement, 'kms')].filter((name) => {
        const info = context.catalog.service('kms')?.actions.get(name.slice(4).toLowerCase());
        return info?.resourceTypes.includes('key') && name !== 'kms:DescribeKey' && !name.startsWith('kms:List');
      });
      if (keyScoped.length === 0) continue;
      if (statement.conditions.some((c) => KEY_SCOPING_KEYS.includes(c.key.toLowerCase()) || c.key.toLowerCase().startsWith('aws:resourcetag/') || c.key.toLowerCase().startsWith('kms:encryptioncontext:'))) continue;
      for (const item of broad) {
        context.report(item, `${describeList(keyScoped, 3)} on "${item.value}" applies to every KMS key this role can reach, in any account that shares one with it. Name the key ARNs, or scope with a condition (kms:ResourceAliases, aws:ResourceTag, kms:ViaService).`);
      }
    }
  },
};

export const kmsRules: Rule[] = [
  aliasArnAsResource,
  aliasNameInvalid,
  awsManagedKeyShared,
  keyPolicyResource,
  wildcardPrincipal,
  crossAccountAdmin,
  grantWithoutAwsResourceCondition,
  lockoutRisk,
  missingDescribeKey,
  orgConditionInvalid,
  requestTagMisuse,
  s3SseKmsActions,
  kmsResourceWildcard,
];

