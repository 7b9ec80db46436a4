/** What `explain` is asked and what it answers: the request, the facts of the key, the answer. */
import type { PolicyModel, Statement } from '../model';
import type { Caller, OrganizationFacts } from './request';

export type Verdict = 'allowed' | 'denied' | 'depends';

/** A policy taking part in the answer, and where it is (`file`: as the caller wants it named). */
export interface PolicyInput {
  file: string;
  /** The file as messages name it (relative to the workspace); `file` when not given. */
  shown?: string;
  model: PolicyModel;
}

export interface KeyFacts {
  /** The key's ARN; for a template key no keyshare.json declares, a pattern over its account's keys (what the statements can be matched with). */
  arn: string;
  /** How to name the key for people when `arn` is only such a pattern: `stack.yaml#DataKey`. */
  label?: string;
  /** The key's aliases as keyshare.json declares them. */
  aliases: string[];
  /** Whether keyshare.json declares the key with its aliases (then they are all of them). */
  aliasesDeclared?: boolean;
  managed: 'customer' | 'aws';
  /** The key policy, when the workspace holds it. */
  policy?: PolicyInput;
  /** A key a template defines: the file, and the template resource (logical id or address) of the key. */
  template?: { file: string; resource: string };
  /** The key has no policy of its own and gets the default key policy (the owner account's root, kms:*). */
  defaultPolicy?: boolean;
  /** Grants of the key that the workspace creates (Terraform `aws_kms_grant`). */
  grants?: GrantFact[];
  /** A template key's properties as condition keys (`kms:keyspec`: `RSA_2048`), lower-cased keys. */
  properties?: Record<string, string>;
  /** Aliases the key surely has (its template creates them), where keyshare.json does not declare them all. */
  knownAliases?: string[];
}

/** A grant as explain reads it. */
export interface GrantFact {
  /** The grantee principal; with `granteeKnown` false, as a template spells it (`${aws_iam_role.app.arn}`). */
  grantee: string;
  granteeKnown: boolean;
  /** The operations it allows, without `kms:` (`Decrypt`); with `operationsKnown` false, some are filled in by a template. */
  operations: string[];
  operationsKnown: boolean;
  /** An encryption-context constraint narrows it. */
  constrained: boolean;
  /** The constraint's pairs, where known: the request's context must be these (`equals`) or include them (`subset`). */
  constraint?: { equals?: Record<string, string>; subset?: Record<string, string> };
  /** The principal that may retire the grant (RetireGrant), with `known` false as a template spells it. */
  retiring?: { principal: string; known: boolean };
  /** For the caller to cite it (a file and a place); opaque here. */
  ref: unknown;
}

export interface ExplainRequest {
  caller: Caller;
  /** An action or a pattern (`kms:*`, `kms:Generate*`). */
  action: string;
  key: KeyFacts;
  /** The caller's identity policies; undefined when unknown. */
  identity?: PolicyInput[];
  /** The permissions boundary of the caller's role or user, where the workspace holds it. */
  boundary?: PolicyInput[];
  /** Request facts: condition key to value (`kms:ViaService=s3.us-east-1.amazonaws.com`); several values comma-separated. */
  context: Record<string, string>;
  organization?: OrganizationFacts;
}

/** A statement that decides the answer. */
export interface Decider {
  policy: PolicyInput;
  statement: Statement;
  effect: 'Allow' | 'Deny';
  half: 'key' | 'identity';
}

export interface ActionAnswer {
  action: string;
  /** Grants that allow it (or would, when the answer depends on them). */
  grants?: GrantFact[];
  verdict: Verdict;
  because: Decider[];
  depends: string[];
  /** Why it is denied when no statement says so (nothing allows it). */
  notes?: string[];
}

export interface Explanation {
  verdict: Verdict;
  /** The KMS actions the request's action matches, each answered. */
  actions: ActionAnswer[];
  because: Decider[];
  /** The key's grants that decide it (beside the statements). */
  grants: GrantFact[];
  depends: string[];
  /** Why it is denied when no statement says so. */
  notes: string[];
  /** One line for people: "allowed: the key policy allows ... and ... allows it". */
  summary: string;
}

