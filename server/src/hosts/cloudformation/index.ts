/**
 * The CloudFormation host: templates in YAML (with the short-form tags) and JSON (CDK output
 * included). Finds every policy property of the template's resources, reads intrinsics as
 * strings with unknown parts, and renders fixes in the template's own syntax.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { detectEol } from '../../engine/text';
import type { PolicySource } from '../../engine/tree';
import type { Finding, Span } from '../../engine/types';
import { findDuplicateKeys } from '../json';
import { JsonEditor } from '../json/editor';
import { MAX_NESTING, scanText } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { TemplateEditor, YamlEditor } from './editor';
import { findPolicies, isTemplate } from './policies';
import { commentSuppressions, metadataSuppressions } from './suppressions';
import { serviceKeyFindings } from './serviceKeys';
import type { TemplateNode } from './templateTree';
import { readYamlTree, reportYamlErrors, type YamlRead } from './yamlTree';
import { markForeignPlaceholders, markTemplateValues } from '../json/template';
import type { YamlTreeCache } from './yamlIncremental';

export { isTemplate, POLICY_PROPERTIES } from './policies';
export { readYamlTree } from './yamlTree';

export type TemplateSyntax = 'yaml' | 'json';

/** Words only a CloudFormation or SAM template writes. */
const LOOKS_LIKE_TEMPLATE = /AWSTemplateFormatVersion|\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]+/;

function emptySource(text: string, editor = new YamlEditor(text)): PolicySource {
  return { text, host: 'cloudformation', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
}

/** The template tree of a JSON text (strict fast path, else the tolerant parse), or undefined when it does not parse. */
export function readJsonTemplateTree(text: string): TemplateNode | undefined {
  const strict = parseStrict(text, MAX_NESTING);
  if (strict) return strict.root as TemplateNode;
  const scan = scanText(text);
  if (scan.tooDeepAt !== undefined) return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false }) as TemplateNode | undefined;
  return errors.length > 0 ? undefined : root;
}

/**
 * Reads a CloudFormation template. A text that is no template gives no policies (and is not a
 * policy file). `buffer`: an editor buffer, whose YAML parse is kept for its next version.
 */
export function readCloudFormation(text: string, syntax: TemplateSyntax, tree?: TemplateNode, parameters?: Readonly<Record<string, string>>, buffer?: { trees: YamlTreeCache; key: string }): PolicySource {
  let root = tree;
  let errors = 0;
  let yamlRead: YamlRead | undefined;
  // Suppressions are looked for only in a text that names Keyshare: most templates pay nothing.
  const mayHaveSuppressions = text.includes('keyshare');
  let comments: Span[] | undefined;
  if (!root) {
    if (syntax === 'json') {
      root = readJsonTemplateTree(text);
    } else {
      const read = buffer ? buffer.trees.read(buffer.key, text, mayHaveSuppressions) : readYamlTree(text, mayHaveSuppressions);
      root = read.root;
      errors = read.errors;
      comments = read.comments;
      yamlRead = read;
    }
  }
  if (!root || !isTemplate(root)) {
    // A template the parser could not read as one: said, not skipped (it may hold policies CI must see).
    return yamlRead && LOOKS_LIKE_TEMPLATE.test(text) ? reportYamlErrors(emptySource(text), yamlRead) : emptySource(text);
  }
  const found = findPolicies(text, root, syntax === 'json', parameters);
  const base = syntax === 'json' ? new JsonEditor(text) : new YamlEditor(text);
  const editor = new TemplateEditor(base, found.frozen, found.embedded, detectEol(text));
  const findings: Finding[] = found.findings;
  if (text.includes('AWS::Logs::LogGroup')) findings.push(...serviceKeyFindings(root));
  // A template of another language too (Go's `{{.Cluster.ID}}`, Jinja's `{{ env }}`): its placeholders are unknown parts.
  const holes = yamlRead?.holes;
  const foreign = text.includes('{{');
  for (const policy of found.policies) {
    findDuplicateKeys(policy.root, findings);
    if (holes) markTemplateValues(policy.root, holes);
    if (foreign) markForeignPlaceholders(policy.root);
  }
  for (const finding of findings) {
    finding.start = Math.max(0, Math.min(finding.start, text.length));
    finding.end = Math.max(finding.start, Math.min(finding.end, text.length));
  }
  const source: PolicySource = {
    text,
    host: 'cloudformation',
    policies: found.policies,
    findings,
    // A template whose only finding is a key its service cannot use is still worth reporting on.
    isPolicyFile: found.policies.length > 0 || findings.some((f) => f.ruleId === 'service-key-unusable'),
    // A YAML text with errors is read as far as the parser recovers: fixes could land anywhere.
    broken: errors > 0,
    template: true,
    editor,
  };
  if (found.declaredParameters) source.declaredInputs = found.declaredParameters;
  if (yamlRead) reportYamlErrors(source, yamlRead);
  if (mayHaveSuppressions) {
    const suppressions = [...(comments ? commentSuppressions(text, comments, root) : []), ...metadataSuppressions(root)];
    if (suppressions.length > 0) source.suppressions = suppressions;
  }
  return source;
}

/** Whether a JSON text is worth reading as a template (cheap: most JSON files are not). */
export function mayBeJsonTemplate(text: string): boolean {
  return text.includes('"AWSTemplateFormatVersion"') || text.includes('"Resources"');
}

