/** Quick fixes from engine fixes, "fix all of a rule", and source.fixAll.keyshare. */
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { Finding } from '../engine/types';
import { applyFixesRepeatedly, type Analysis } from './analysis';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.keyshare`;

function sameRange(analysis: Analysis, finding: Finding, range: CodeActionParams['range']): boolean {
  const r = analysis.lines.rangeOf(finding);
  return r.start.line === range.start.line && r.start.character === range.start.character && r.end.line === range.end.line && r.end.character === range.end.character;
}

function wholeDocumentEdit(analysis: Analysis, newText: string): TextEdit {
  // Replace only the changed middle, so undo and cursor positions stay sensible.
  const old = analysis.text;
  let start = 0;
  while (start < old.length && start < newText.length && old[start] === newText[start]) start++;
  let oldEnd = old.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && old[oldEnd - 1] === newText[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  return { range: analysis.lines.rangeOf({ start, end: oldEnd }), newText: newText.slice(start, newEnd) };
}

export function fixAllAction(analysis: Analysis, ruleId?: string): CodeAction | undefined {
  const text = applyFixesRepeatedly(analysis, (finding) => !ruleId || finding.ruleId === ruleId);
  if (text === undefined) return undefined;
  return {
    title: ruleId ? `Fix all ${ruleId} problems in this file` : 'Fix all safe Keyshare problems in this file',
    kind: ruleId ? CodeActionKind.QuickFix : FIX_ALL_KIND,
    edit: { changes: { [analysis.uri]: [wholeDocumentEdit(analysis, text)] } },
  };
}

/** `extra`: findings not in the analysis itself (the workspace index's cross-file findings). */
export function codeActions(analysis: Analysis, params: CodeActionParams, extra: Finding[] = []): CodeAction[] {
  const findings = [...analysis.result.findings, ...extra];
  const only = params.context.only;
  if (only && only.some((kind) => FIX_ALL_KIND.startsWith(kind) || kind === CodeActionKind.SourceFixAll)) {
    const all = fixAllAction(analysis);
    return all ? [all] : [];
  }
  const actions: CodeAction[] = [];
  const rulesWithFixes = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'keyshare') continue;
    const finding = findings.find((f) => f.ruleId === diagnostic.code && sameRange(analysis, f, diagnostic.range) && f.message === diagnostic.message);
    if (!finding?.fixes) continue;
    finding.fixes.forEach((fix, i) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.safe && i === 0,
        edit: fix.uri
          ? { changes: { [fix.uri]: fix.edits.map((e, j) => ({ range: fix.ranges![j], newText: e.newText })) } }
          : { changes: { [analysis.uri]: fix.edits.map((e) => ({ range: analysis.lines.rangeOf(e), newText: e.newText })) } },
      });
    });
    rulesWithFixes.add(finding.ruleId);
  }
  for (const ruleId of rulesWithFixes) {
    const sameRule = analysis.result.findings.filter((f) => f.ruleId === ruleId && f.fixes?.some((x) => x.safe));
    if (sameRule.length < 2) continue;
    const all = fixAllAction(analysis, ruleId);
    if (all) actions.push(all);
  }
  if (actions.length > 0 && (!only || only.includes(CodeActionKind.Source))) {
    const all = fixAllAction(analysis);
    if (all) actions.push({ ...all, kind: CodeActionKind.QuickFix });
  }
  return actions;
}
