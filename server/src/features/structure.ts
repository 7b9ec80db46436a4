/** Outline, folding, selection ranges and formatting: the document's structure. */
import { format, findNodeAtOffset, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type FormattingOptions, type Position, type SelectionRange, type TextEdit } from 'vscode-languageserver';
import type { Analysis } from '../project';

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const model = analysis.result.model;
  if (!model) return [];
  const symbols: DocumentSymbol[] = [];
  for (const element of model.topElements.values()) {
    const range = analysis.lines.rangeOf(element.propertySpan);
    const symbol: DocumentSymbol = { name: element.name, kind: element.name === 'Statement' ? SymbolKind.Array : SymbolKind.Property, range, selectionRange: analysis.lines.rangeOf(element.keySpan) };
    if (element.name === 'Version' || element.name === 'Id') symbol.detail = typeof element.value.value === 'string' ? element.value.value : undefined;
    if (element === model.statementElement) {
      symbol.detail = model.kind;
      symbol.children = model.statements.map((statement) => {
        const actions = statement.actions?.items.map((a) => a.value) ?? [];
        const detail = `${statement.effect?.value ?? '?'}${statement.actions?.negated ? ' all but' : ''} ${actions.length > 3 ? `${actions.slice(0, 3).join(', ')}, …` : actions.join(', ')}`.trim();
        const selection = statement.sid ?? { start: statement.span.start, end: statement.span.start + 1 };
        return {
          name: statement.sid?.value || `Statement ${statement.index + 1}`,
          detail,
          kind: statement.effect?.value === 'Deny' ? SymbolKind.Event : SymbolKind.Object,
          range: analysis.lines.rangeOf(statement.span),
          selectionRange: analysis.lines.rangeOf(selection),
        };
      });
    }
    symbols.push(symbol);
  }
  return symbols;
}

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const root = analysis.result.model?.root;
  if (!root) return [];
  const ranges: FoldingRange[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object' || node.type === 'array') {
      const start = analysis.lines.positionAt(node.offset).line;
      const end = analysis.lines.positionAt(node.offset + node.length).line;
      if (end > start) ranges.push({ startLine: start, endLine: end - 1 });
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}

export function selectionRanges(analysis: Analysis, positions: Position[]): SelectionRange[] {
  const root = analysis.result.model?.root;
  return positions.map((position) => {
    const whole = { range: analysis.lines.rangeOf({ start: 0, end: analysis.text.length }) };
    if (!root) return whole;
    let node: Node | undefined = findNodeAtOffset(root, analysis.lines.offsetAt(position), true);
    const chain: Node[] = [];
    while (node) {
      chain.push(node);
      node = node.parent;
    }
    let result: SelectionRange = whole;
    for (const n of chain.reverse()) result = { range: analysis.lines.rangeOf({ start: n.offset, end: n.offset + n.length }), parent: result };
    return result;
  });
}

export function formatDocument(analysis: Analysis, options: FormattingOptions, range?: { start: Position; end: Position }): TextEdit[] {
  if (!analysis.result.isPolicy) return [];
  const eol = analysis.text.includes('\r\n') ? '\r\n' : '\n';
  const span = range ? { offset: analysis.lines.offsetAt(range.start), length: analysis.lines.offsetAt(range.end) - analysis.lines.offsetAt(range.start) } : undefined;
  return format(analysis.text, span, { tabSize: options.tabSize, insertSpaces: options.insertSpaces, eol, insertFinalNewline: options.insertFinalNewline ?? false }).map((edit) => ({
    range: analysis.lines.rangeOf({ start: edit.offset, end: edit.offset + edit.length }),
    newText: edit.content,
  }));
}
