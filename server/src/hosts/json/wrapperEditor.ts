/**
 * The editor of a JSON wrapper (CLI output, a file of named policies): edits of a policy written
 * as JSON in the file go to the JSON editor; edits inside a policy given as a JSON string are made
 * by the JSON editor on the string's decoded text and written back re-escaped; a URL-encoded or
 * conservatively mapped string is never rewritten (`canEdit` refuses its nodes, and its edits
 * carry UNKNOWN_MARK, which the engine drops).
 */
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode as Node } from '../../engine/tree';
import { EmbeddedEditor } from '../cloudformation/editor';
import { JsonEditor } from './editor';
import { RefusingEditor } from '../refusingEditor';
import { RegionEditor } from '../regionEditor';
import type { EmbeddedPolicy } from './wrappers';

/** A JSON string's inside (line breaks kept as `\n`, as the CLI writes them). */
const escapeForJsonString = (newText: string) => JSON.stringify(newText).slice(1, -1);

export class WrapperEditor extends RegionEditor {
  private baseEditor: JsonEditor | undefined;
  /** The strings that hold policies, in text order (they never overlap); each editor made when first asked (most reads edit nothing). */
  private readonly regions: { start: number; end: number; policy: EmbeddedPolicy; editor?: PolicyEditor }[];

  constructor(
    private readonly text: string,
    embedded: readonly EmbeddedPolicy[],
    frozen: WeakSet<Node>,
  ) {
    super(frozen, UNKNOWN_MARK);
    this.regions = embedded.map((policy) => ({ start: policy.map.whole.start, end: policy.map.whole.end, policy })).sort((a, b) => a.start - b.start);
  }

  private get base(): JsonEditor {
    return (this.baseEditor ??= new JsonEditor(this.text));
  }

  /** The editor of the text at `offset`: a policy string's (its quotes included) or the file's. */
  protected at(offset: number): PolicyEditor {
    const regions = this.regions;
    let low = 0;
    let high = regions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const region = regions[mid];
      if (offset < region.start) high = mid - 1;
      else if (offset >= region.end) low = mid + 1;
      else return (region.editor ??= region.policy.editable ? new EmbeddedEditor(region.policy, escapeForJsonString) : new RefusingEditor(region.policy.map.whole));
    }
    return this.base;
  }
}
