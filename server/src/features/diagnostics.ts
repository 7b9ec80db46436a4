/** Engine findings as LSP diagnostics: rule id as code, a link to the rule's page, related spans. */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { RULE_DOCS_URL } from '../engine/ruleSupport/registry';
import type { LineIndex } from '../engine/text';
import type { Finding, Severity } from '../engine/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What the diagnostics say beyond the finding: where rule pages live (the client's copy, else the repository). */
export interface DiagnosticsContext {
  docsBase: string;
}

export const DEFAULT_DIAGNOSTICS: DiagnosticsContext = Object.freeze({ docsBase: RULE_DOCS_URL });

/** A context whose rule pages are under `base` (the extension's own docs folder). */
export function diagnosticsContext(base: string | undefined): DiagnosticsContext {
  if (!base) return DEFAULT_DIAGNOSTICS;
  return { docsBase: base.endsWith('/') ? base : base + '/' };
}

export function ruleDocsUri(ruleId: string, context: DiagnosticsContext = DEFAULT_DIAGNOSTICS): string {
  return `${context.docsBase}${ruleId}.md`;
}

/** A finding in a document, given where its lines start (`uri` for related spans in the same file). */
export function toDiagnostic(document: { uri: string; lines: LineIndex }, finding: Finding, context: DiagnosticsContext = DEFAULT_DIAGNOSTICS): Diagnostic {
  const diagnostic: Diagnostic = {
    range: document.lines.rangeOf(finding),
    severity: SEVERITY[finding.severity],
    source: 'keyshare',
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUri(finding.ruleId, context) },
    message: finding.message,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: r.uri ?? document.uri, range: r.uri ? (r.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }) : document.lines.rangeOf(r) },
      message: r.message,
    }));
  }
  if (finding.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}
