/**
 * The rules' findings per policy, kept between versions of an editor buffer. An edit in one
 * resource of a large template leaves the other policies as they were, only moved: their findings
 * are taken from the last check, shifted, instead of running every rule again.
 *
 * A policy is the same when everything a rule can read of it is: its tree (types, values, the
 * parts a template fills in with their meaning, spans relative to its start), its text from the
 * start of its first line (fixes keep the user's indentation), how the host placed it (kind,
 * address, resource) and the options. Rules read nothing else: they see one model at a time.
 */
import type { Catalog } from './catalog';
import type { HostedPolicy, PolicyNode } from './tree';
import type { BufferStore, CheckOptions, Finding } from './types';

interface Kept {
  /** Where the policy started when its findings were kept. */
  base: number;
  findings: Finding[];
}

interface FileResults {
  catalog: Catalog;
  options: string;
  policies: Map<string, Kept>;
}

/** Per buffer, the findings of its policies at the last check. */
export class PolicyResults implements BufferStore {
  private readonly files = new Map<string, FileResults>();

  forget(fileName: string): void {
    this.files.delete(fileName);
  }

  /** A check of one version of a buffer: what it can reuse, and what it keeps for the next. */
  begin(fileName: string, catalog: Catalog, options: CheckOptions): PolicyResultsCheck {
    const signature = optionsSignature(options);
    const last = this.files.get(fileName);
    const previous = last && last.catalog === catalog && last.options === signature ? last.policies : undefined;
    const next: FileResults = { catalog, options: signature, policies: new Map() };
    this.files.set(fileName, next);
    return new PolicyResultsCheck(previous, next.policies);
  }
}

export class PolicyResultsCheck {
  constructor(
    private readonly previous: Map<string, Kept> | undefined,
    private readonly next: Map<string, Kept>,
  ) {}

  /** The policy's findings at its place now, if the last check had the same policy; `key` is what to keep them under. */
  reuse(text: string, policy: HostedPolicy, kind: string | undefined, keyArn: string | undefined): { key: string; findings?: Finding[] } {
    const key = policyKey(text, policy, kind, keyArn);
    const kept = this.previous?.get(key);
    if (!kept) return { key };
    this.next.set(key, kept);
    return { key, findings: kept.findings.map((f) => moved(f, policy.root.offset - kept.base)) };
  }

  keep(key: string, policy: HostedPolicy, findings: Finding[]): void {
    this.next.set(key, { base: policy.root.offset, findings: findings.map((f) => moved(f, 0)) });
  }
}

function optionsSignature(options: CheckOptions): string {
  const { buffers: _buffers, ...rest } = options;
  return JSON.stringify(rest);
}

const SEPARATOR = '\u0001';

/** Everything a rule can read of one policy, as one string. */
function policyKey(text: string, policy: HostedPolicy, kind: string | undefined, keyArn: string | undefined): string {
  const { root } = policy;
  const lineStart = text.lastIndexOf('\n', root.offset - 1) + 1;
  const out: (string | number)[] = [kind ?? '', policy.kindSource ?? '', policy.address ?? '', policy.resource ?? '', policy.fragment ? 'f' : '', policy.inlineIn ?? '', policy.boundary ? 'b' : '', keyArn ?? ''];
  out.push(text.slice(lineStart, root.offset + root.length));
  write(root, root.offset, out);
  return out.join(SEPARATOR);
}

function write(node: PolicyNode, base: number, out: (string | number)[]): void {
  // Seven entries per node (a string value after its length), then its children between brackets: no value can pass for another's entries.
  out.push(node.type, node.offset - base, node.length, node.colonOffset === undefined ? '' : node.colonOffset - base);
  const value = node.value;
  if (typeof value === 'string') out.push(value.length, value);
  else out.push(-1, value === undefined ? '' : String(value));
  out.push(node.onlyIf ?? '', node.parts ? JSON.stringify(node.parts) : '');
  if (node.children) {
    out.push('[');
    for (const child of node.children) write(child, base, out);
    out.push(']');
  }
}

/** A copy of a finding moved by `delta` in this text (what points into another file stays). */
function moved(finding: Finding, delta: number): Finding {
  const copy: Finding = { ...finding, start: finding.start + delta, end: finding.end + delta };
  if (finding.related) copy.related = finding.related.map((r) => (r.uri ? { ...r } : { ...r, start: r.start + delta, end: r.end + delta }));
  if (finding.fixes) copy.fixes = finding.fixes.map((fix) => (fix.uri ? { ...fix, edits: fix.edits.map((e) => ({ ...e })) } : { ...fix, edits: fix.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) }));
  return copy;
}
