/**
 * The printer's command stack, and `fits`, which reads it: Prettier's `fits` measures the
 * next command flat followed by the commands still to print, up to their first line break.
 */
import type { Doc, DocNode, GroupId } from "./doc.js";
import { textWidth } from "./width.js";

/** Lines print as spaces (or nothing). */
export const FLAT = 0;
/** Lines print as line breaks. */
export const BREAK = 1;
/** How a command prints: its lines as spaces (or nothing), or as line breaks. */
export type Mode = typeof FLAT | typeof BREAK;

/**
 * The commands still to print, as three parallel stacks (indentation, mode, Doc) of height
 * `length`: printing allocates no object per command, and the stacks are reused from one print
 * to the next (printing is synchronous and never nested), which keeps the collector out of the
 * way on big models.
 */
export class Commands {
  readonly indents: number[] = [];
  readonly modes: Mode[] = [];
  readonly docs: Doc[] = [];
  length = 0;

  push(indent: number, mode: Mode, doc: Doc): void {
    const i = this.length++;
    this.indents[i] = indent;
    this.modes[i] = mode;
    this.docs[i] = doc;
  }
}

/**
 * The stack `fits` works on, reused between calls (printing is synchronous); `fitsTop` is its
 * height, so that neither pushing nor emptying it resizes the arrays.
 */
const fitsModes: Mode[] = [];
const fitsDocs: Doc[] = [];
let fitsTop = 0;

function fitsPush(mode: Mode, doc: Doc): void {
  fitsModes[fitsTop] = mode;
  fitsDocs[fitsTop++] = doc;
}

/**
 * Whether `next` fits in `width` columns flat, followed by the rest of the commands up to their
 * first line break (Prettier's `fits`; groups already broken count as broken).
 */
export function fits(next: Doc, rest: Commands, width: number, groupModes: ReadonlyMap<GroupId, Mode>): boolean {
  let restIdx = rest.length;
  fitsTop = 0;
  fitsPush(FLAT, next);
  while (width >= 0) {
    if (fitsTop === 0) {
      if (restIdx === 0) return true;
      restIdx--;
      fitsPush(rest.modes[restIdx] as Mode, rest.docs[restIdx] as Doc);
      continue;
    }
    fitsTop--;
    const mode = fitsModes[fitsTop] as Mode;
    const doc = fitsDocs[fitsTop] as Doc;
    if (typeof doc === "string") {
      width -= textWidth(doc);
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      let first = 0;
      for (; first < parts.length && typeof parts[first] === "string"; first++) width -= textWidth(parts[first] as string);
      for (let i = parts.length - 1; i >= first; i--) fitsPush(mode, parts[i] as Doc);
      continue;
    }
    const node = doc as DocNode;
    switch (node.kind) {
      case "indent":
      case "indentIfBreak":
        fitsPush(mode, node.contents);
        break;
      case "group": {
        const m = node.broken ? BREAK : mode;
        // A nested group printed flat knows its width.
        if (m === FLAT && node.flat >= 0) {
          width -= node.flat;
          break;
        }
        fitsPush(m, node.states !== undefined && m === BREAK ? (node.states[node.states.length - 1] as Doc) : node.contents);
        break;
      }
      case "ifBreak": {
        const m = node.groupId === undefined ? mode : (groupModes.get(node.groupId) ?? FLAT);
        fitsPush(mode, m === BREAK ? node.breakContents : node.flatContents);
        break;
      }
      case "line":
        if (mode === BREAK || node.hard) return true;
        if (!node.soft) width -= 1;
        break;
      case "breakParent":
        break;
    }
  }
  return false;
}
