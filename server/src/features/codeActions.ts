/**
 * Quick fixes from engine fixes, "fix all of a rule", and source.fixAll.keyshare. Fix-all costs
 * many engine passes, so the light bulb offers it unresolved and `resolveFixAll` computes the
 * edit only when it is chosen (codeAction/resolve).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../engine/types';
import { applyEdits } from '../engine/text';
import { analyseText, type Analysis } from '../project';
import type { FixAllData } from '../protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.keyshare`;

/**
 * Applies safe fixes one at a time, re-checking in between, so that fixes computed on the same
 * text never collide. Returns the final text, or undefined when nothing changed.
 */
export function applyFixesRepeatedly(analysis: Analysis, accept: (finding: Finding, fix: Fix) => boolean, limit = 200): string | undefined {
  let text = analysis.text;
  let result = analysis.result;
  for (let round = 0; round < limit; round++) {
    let chosen: Fix | undefined;
    for (const finding of result.findings) {
      chosen = finding.fixes?.find((fix) => fix.safe && accept(finding, fix));
      if (chosen) break;
    }
    if (!chosen) break;
    const next = applyEdits(text, chosen.edits);
    if (next === text) break;
    text = next;
    result = analyseText(text, analysis.options);
  }
  return text === analysis.text ? undefined : text;
}

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

const fixAllTitle = (ruleId?: string) => (ruleId ? `Fix all ${ruleId} problems in this file` : 'Fix all safe Keyshare problems in this file');

/** The fix-all edit, computed now (many engine passes); undefined when nothing changes. */
export function fixAllEdit(analysis: Analysis, ruleId?: string): CodeAction['edit'] | undefined {
  const text = applyFixesRepeatedly(analysis, (finding) => !ruleId || finding.ruleId === ruleId);
  return text === undefined ? undefined : { changes: { [analysis.uri]: [wholeDocumentEdit(analysis, text)] } };
}

export function fixAllAction(analysis: Analysis, ruleId?: string): CodeAction | undefined {
  const edit = fixAllEdit(analysis, ruleId);
  if (!edit) return undefined;
  return { title: fixAllTitle(ruleId), kind: ruleId ? CodeActionKind.QuickFix : FIX_ALL_KIND, edit };
}

/** A fix-all action whose edit is left to codeAction/resolve; offered when some safe fix applies. */
function unresolvedFixAll(analysis: Analysis, ruleId?: string): CodeAction | undefined {
  const applies = analysis.result.findings.some((f) => (!ruleId || f.ruleId === ruleId) && f.fixes?.some((fix) => fix.safe));
  if (!applies) return undefined;
  const data: FixAllData = { uri: analysis.uri, version: analysis.version, ruleId };
  return { title: fixAllTitle(ruleId), kind: ruleId ? CodeActionKind.QuickFix : FIX_ALL_KIND, data };
}

/** codeAction/resolve for a fix-all action: its edit, on the document's current analysis. */
export function resolveFixAll(action: CodeAction, analysis: Analysis | undefined): CodeAction {
  const data = action.data as FixAllData | undefined;
  if (!data || !analysis || analysis.uri !== data.uri || analysis.version !== data.version) return action;
  const edit = fixAllEdit(analysis, data.ruleId);
  return edit ? { ...action, edit } : action;
}

/**
 * `extra`: findings not in the analysis itself (the project's cross-file findings).
 * `lazy`: the client resolves code actions, so fix-all is offered without its edit.
 */
export function codeActions(analysis: Analysis, params: CodeActionParams, extra: Finding[] = [], lazy = false): CodeAction[] {
  const findings = [...analysis.result.findings, ...extra];
  const only = params.context.only;
  if (only && only.some((kind) => FIX_ALL_KIND.startsWith(kind) || kind === CodeActionKind.SourceFixAll)) {
    // Asked for by name (e.g. on save): computed now.
    const all = fixAllAction(analysis);
    return all ? [all] : [];
  }
  const fixAll = lazy ? unresolvedFixAll : fixAllAction;
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
    const all = fixAll(analysis, ruleId);
    if (all) actions.push(all);
  }
  if (actions.length > 0 && (!only || only.includes(CodeActionKind.Source))) {
    const all = fixAll(analysis);
    if (all) actions.push({ ...all, kind: CodeActionKind.QuickFix });
  }
  return actions;
}
