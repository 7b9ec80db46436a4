/** The shape of a keyshare.json as Keyshare reads it (see config.ts for how it is read). */
import type { SeveritySetting, Span } from '../engine/types';

export interface AccountConfig {
  id: string;
  name?: string;
  paths: string[];
}

export interface KeyConfig {
  /** Empty for a key of a template named by `policy` ("stack.yaml#DataKey") without its ARN. */
  arn: string;
  policy?: string;
  aliases: string[];
  /** `aliases` is written, even empty (`[]`: the key has no alias), not left out (its aliases unknown). */
  aliasesWritten?: boolean;
  managed: 'customer' | 'aws';
}

export interface OrganizationConfig {
  id?: string;
  units: { id: string; path?: string; accounts: string[] }[];
}

/** A principal whose identity policies are files of the workspace (`principals`). */
export interface PrincipalConfig {
  arn: string;
  /** Paths relative to keyshare.json (a template policy as "file#LogicalId"). */
  policies: string[];
}

/** What must (or must not) be possible (`expect`), checked as `access-expectation`. */
export interface ExpectConfig {
  principal: string;
  action: string;
  key: string;
  allowed: boolean;
  context: Record<string, string>;
  /** Where the entry is in keyshare.json. */
  span: Span;
}

/** A KMS grant that exists outside the files (`grants`): an access path of its key for explain and expect. */
export interface GrantConfig {
  /** A key ARN, an alias of `keys`, or a key policy reference. */
  key: string;
  grantee: string;
  /** Grant operations without `kms:` (`Decrypt`). */
  operations: string[];
  /** The grant has an encryption-context constraint. */
  constrained: boolean;
  /** Its pairs, where each is a string: the request's context must be these (`equals`) or include them (`subset`). */
  constraint?: { equals?: Record<string, string>; subset?: Record<string, string> };
  span: Span;
}

export interface KeyshareConfig {
  accounts: AccountConfig[];
  keys: KeyConfig[];
  organization?: OrganizationConfig;
  principals: PrincipalConfig[];
  expect: ExpectConfig[];
  grants: GrantConfig[];
  rules: Record<string, SeveritySetting>;
  ignore: IgnoreConfig[];
}

export interface IgnoreConfig {
  rule: string;
  files: string[];
  /** Why the finding does not apply: shown on hover where the rule is off. */
  reason?: string;
  /** Only findings inside these statements (by Sid) are hidden; the rule stays on elsewhere. */
  sids?: string[];
}

export interface ConfigProblem extends Span {
  message: string;
  /** The text is not valid JSON here (an editor's own JSON support may report this already). */
  syntax?: boolean;
}
