/**
 * `# keyshare:ignore <rule-id> <reason>` comments (also after `//`, or in a block comment) in a Terraform module, each
 * covering its line and the block, attribute or object that starts there (read from the syntax
 * tree: a heredoc's `#` is text, not a comment).
 */
import { commentCover, readDirective, type Suppression } from '../../engine/suppressions';
import type { Span } from '../../engine/types';
import type { SyntaxCursor } from './syntax';

const CONTAINERS = new Set(['config_file', 'body']);

/** Walks the whole tree from the cursor (at the root): its comments, and every node's span in text order. */
export function commentSuppressions(cursor: SyntaxCursor, text: string): Suppression[] {
  const comments: Span[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (;;) {
    if (cursor.nodeType === 'comment') comments.push({ start: cursor.startIndex, end: cursor.endIndex });
    // The file and a block's body start where their first item does: they would carry every item after it.
    else if (cursor.nodeIsNamed && !CONTAINERS.has(cursor.nodeType)) {
      starts.push(cursor.startIndex);
      ends.push(cursor.endIndex);
    }
    if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) continue;
    let up = false;
    while (cursor.gotoParent()) {
      if (cursor.gotoNextSibling()) {
        up = true;
        break;
      }
    }
    if (!up) break;
  }
  const result: Suppression[] = [];
  const commentStarts = new Set(comments.map((c) => c.start));
  for (const comment of comments) {
    const directive = readDirective(text.slice(comment.start, comment.end));
    if (!directive) continue;
    const covers = commentCover(text, comment, commentStarts, (lineStart, lineEnd) => furthestEnd(starts, ends, lineStart, lineEnd));
    result.push({ ...directive, span: comment, covers, form: 'comment' });
  }
  return result;
}

/** The furthest end of the nodes starting in [lineStart, lineEnd]; `starts` is in text order (a pre-order walk). */
function furthestEnd(starts: number[], ends: number[], lineStart: number, lineEnd: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < lineStart) low = mid + 1;
    else high = mid;
  }
  let furthest = lineEnd;
  for (let i = low; i < starts.length && starts[i] <= lineEnd; i++) furthest = Math.max(furthest, ends[i]);
  return furthest;
}
