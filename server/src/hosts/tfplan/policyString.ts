/**
 * One policy a plan holds as a JSON string (`"policy": "{\"Statement\":[...]}"`): decoded, parsed,
 * and its tree copied with every span in the plan's text. The mapping is the JSON host's for
 * policies in strings (`json/wrappers.ts`): `cloudformation/embedded.ts#mapString` gives the text
 * offset of each decoded character (a JSON escape maps to its backslash), so a finding on
 * `"kms:Decrpyt"` lands on `\"kms:Decrpyt\"` in plan.json.
 *
 * Unlike the wrapper reader, the host knows the string is meant to be a policy (the resource
 * attribute says so): text that is not JSON gets a json-syntax finding, JSON that is no object an
 * element-type finding, and an object without Statement is handed to the engine like any policy.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import type { PolicyNode } from '../../engine/tree';
import { TreeNode } from '../../engine/tree';
import type { Finding, Span } from '../../engine/types';
import { mapSpan, mapString, type StringMap } from '../cloudformation/embedded';
import { findDuplicateKeys } from '../json/index';
import { MAX_NESTING, scanText } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { syntaxFindings } from '../json/syntax';

export interface PolicyString {
  /** The policy's tree, spans in the plan; undefined when the string holds no JSON object. */
  root?: PolicyNode;
  findings: Finding[];
}

/**
 * Reads the policy in `node`, a JSON string token of `text` (the plan). `subject` names it in
 * messages: `the policy of aws_kms_key.data`.
 */
export function readPolicyString(text: string, node: PolicyNode, subject: string): PolicyString {
  const findings: Finding[] = [];
  const map = mapString(text, node as Parameters<typeof mapString>[1], true);
  const json = map.value;
  const mapped = (span: Span) => mapSpan(map, span.start, span.end);
  const report = (ruleId: string, span: Span, message: string, related?: Finding['related']) => {
    const finding: Finding = { ruleId, severity: 'error', ...span, message };
    if (related && related.length > 0) finding.related = related;
    findings.push(finding);
  };

  let tree = parseStrict(json, MAX_NESTING)?.root;
  if (!tree) {
    const scan = scanText(json);
    if (scan.tooDeepAt !== undefined) {
      report('json-syntax', map.whole, `${capitalized(subject)} nests deeper than ${MAX_NESTING} levels: this is not a policy AWS would accept, and it is not analysed further.`);
      return { findings };
    }
    const errors: ParseError[] = [];
    tree = parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false }) as PolicyNode | undefined;
    if (!tree || errors.length > 0) {
      for (const finding of syntaxFindings(scan.normalized, json.length, errors, tree, `${subject} is not valid JSON, and AWS rejects it`)) {
        report('json-syntax', mapped(finding), finding.message, finding.related?.map((r) => ({ ...mapped(r), message: r.message })));
      }
      return { findings };
    }
    // Comments, trailing commas, typographic quotes inside the string: reported where they are (the plan is not edited).
    for (const finding of scan.findings) report(finding.ruleId, mapped(finding), finding.message, finding.related?.map((r) => ({ ...mapped(r), message: r.message })));
  }
  if (tree.type !== 'object') {
    report('element-type', mapped({ start: tree.offset, end: tree.offset + tree.length }), `${capitalized(subject)} is a JSON ${tree.type}; a policy is a JSON object with a Statement.`);
    return { findings };
  }
  const root = copy(map, tree, undefined, 0);
  findDuplicateKeys(root, findings);
  return { root, findings };
}

/** The tree of the decoded JSON, with spans in the plan. */
function copy(map: StringMap, source: PolicyNode, parent: TreeNode | undefined, depth: number): TreeNode {
  const span = mapSpan(map, source.offset, source.offset + source.length);
  const node = new TreeNode(source.type, span.start, span.end - span.start, source.value, parent);
  if (source.colonOffset !== undefined) node.colonOffset = mapSpan(map, source.colonOffset, source.colonOffset + 1).start;
  if (source.children && depth <= MAX_NESTING) node.children = source.children.map((child) => copy(map, child, node, depth + 1));
  return node;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
