/**
 * What a host is: one file format that carries policies. Each host lives in its own folder and
 * joins by one line in hosts/index.ts's registry; everything else (which files the project walks,
 * which the editor sends, which features apply, what explain asks of a template) is derived from
 * the registry.
 */
import type { PolicySource } from '../engine/tree';
import type { ReadOptions } from './index';
import type { TerraformParser } from './terraform/syntax';

/**
 * The parsers that need loading before a host can read (a grammar is WebAssembly, loaded with
 * file reads and an async start by `project/grammars.ts`). They are handed in with each read,
 * never kept in a module: a host without its parser reads a text as holding no policy.
 */
export interface Grammars {
  terraform?: TerraformParser;
}

/** The template file a question about a template is asked of: its name and the parsers to read it with. */
export interface TemplateFile {
  fileName: string;
  grammars?: Grammars;
}

export interface Host {
  /** Stable: `PolicySource.host` of what it reads. */
  id: string;
  /** Whether a file of this name is the host's by name alone (before its content is read). */
  claimsName(fileName: string): boolean;
  /**
   * Reads the policies a text holds; undefined when the text is not the host's after all (a JSON
   * file that is no CloudFormation template), and the next host in the registry reads it.
   */
  read(text: string, options: ReadOptions): PolicySource | undefined;
  /** JSON editing features (completion, folding, selection ranges, formatting) apply to its documents. */
  jsonFeatures: boolean;
  /** Its parser must be loaded before it reads (Terraform's grammar). */
  needsGrammar: boolean;
  /** The template resources whose policies apply to a role or user of this name (for explain). */
  attachedPolicies?(text: string, file: TemplateFile, kind: 'role' | 'user', name: string): string[];
  /** Whether the template defines `address` as a key with no policy of its own (it then has the default key policy). */
  keyWithoutPolicy?(text: string, file: TemplateFile, address: string): boolean;
  /** The template resource of the permissions boundary of the role or user of this name, when the template sets one it defines (for explain). */
  permissionsBoundary?(text: string, file: TemplateFile, kind: 'role' | 'user', name: string): string | undefined;
  /** What the template says of the key `address` (for explain): its properties as condition keys and the aliases it creates for it. */
  keyFacts?(text: string, file: TemplateFile, address: string): TemplateKeyFacts | undefined;
}

/**
 * A template key's properties as the KMS condition keys that read them (lower-cased:
 * `kms:keyspec`, `kms:keyusage`, `kms:multiregion`, `kms:keyorigin`), with CreateKey's defaults
 * where the template leaves one out; and the aliases the template points at it (the key may have
 * others).
 */
export interface TemplateKeyFacts {
  properties: Record<string, string>;
  aliases: string[];
}
