/**
 * Prints a Doc at a width, as Prettier's `printDocToString` does (same decisions, so the output
 * is a Prettier fixed point when the Doc is the one Prettier would build): a group is printed
 * flat when its contents, and what follows up to the next possible line break, fit in the rest
 * of the line; else broken. Indentation is two spaces; trailing spaces are trimmed at each break.
 */
import type { Doc, DocNode, GroupId } from "./doc.js";
import { groupFlatWidth, textWidth } from "./width.js";

export { textWidth } from "./width.js";

/** Prettier's default `printWidth`. */
export const WIDTH = 80;

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;

/**
 * The commands still to print, as three parallel stacks (indentation, mode, Doc): printing
 * allocates no object per command, which keeps the collector out of the way on big models.
 */
class Commands {
  readonly indents: number[] = [];
  readonly modes: Mode[] = [];
  readonly docs: Doc[] = [];

  push(indent: number, mode: Mode, doc: Doc): void {
    this.indents.push(indent);
    this.modes.push(mode);
    this.docs.push(doc);
  }

  get length(): number {
    return this.docs.length;
  }
}

/** The text of `doc` laid out in `width` columns, starting `depth` levels (two spaces each) deep. */
export function printDoc(doc: Doc, depth = 0, width = WIDTH): string {
  // Text alone (many a line is) has one layout: no printer state to set up.
  const plain = plainText(doc);
  if (plain !== undefined) return pad(depth) + plain;
  return print(doc, depth, width).out.join("");
}

/** `printDoc`, and whether each group with an id broke (for a caller that must know a layout). */
export function printWithGroups(doc: Doc, depth = 0, width = WIDTH): { text: string; broke: (id: GroupId) => boolean } {
  const state = print(doc, depth, width);
  return { text: state.out.join(""), broke: (id) => state.groupModes.get(id) === BREAK };
}

function print(doc: Doc, depth: number, width: number): PrintState {
  const indent = depth * 2;
  const state: PrintState = { out: [" ".repeat(indent)], pos: indent, width, groupModes: new Map(), remeasure: false };
  const cmds = new Commands();
  cmds.push(indent, BREAK, doc);
  while (cmds.length > 0) step(state, cmds, cmds.indents.pop() as number, cmds.modes.pop() as Mode, cmds.docs.pop() as Doc);
  return state;
}

/** The text of a Doc made of texts only (in arrays, at any depth), else undefined. */
function plainText(doc: Doc): string | undefined {
  if (typeof doc === "string") return doc;
  if (!Array.isArray(doc)) return undefined;
  let text = "";
  for (const part of doc as readonly Doc[]) {
    const t = typeof part === "string" ? part : plainText(part);
    if (t === undefined) return undefined;
    text += t;
  }
  return text;
}

const PADS: string[] = [];

/** The indentation of a line `depth` levels deep, for the fixed lines a template places around printed ones. */
export function pad(depth: number): string {
  return (PADS[depth] ??= "  ".repeat(depth));
}

/** The lines of `doc` printed `depth` levels deep, for a template that places lines. */
export function printLines(doc: Doc, depth = 0): string[] {
  return printDoc(doc, depth).split("\n");
}

interface PrintState {
  readonly out: string[];
  pos: number;
  readonly width: number;
  readonly groupModes: Map<GroupId, Mode>;
  /** A hard line was printed inside a flat group: groups after it are measured again. */
  remeasure: boolean;
}

function step(state: PrintState, cmds: Commands, indent: number, mode: Mode, doc: Doc): void {
  if (typeof doc === "string") {
    state.out.push(doc);
    state.pos += textWidth(doc);
    return;
  }
  if (Array.isArray(doc)) {
    const parts = doc as readonly Doc[];
    // Leading texts are printed at once; the rest waits on the stack, in order.
    let first = 0;
    for (; first < parts.length && typeof parts[first] === "string"; first++) {
      state.out.push(parts[first] as string);
      state.pos += textWidth(parts[first] as string);
    }
    for (let i = parts.length - 1; i >= first; i--) cmds.push(indent, mode, parts[i] as Doc);
    return;
  }
  const node = doc as DocNode;
  switch (node.kind) {
    case "indent":
      cmds.push(indent + 2, mode, node.contents);
      return;
    case "indentIfBreak":
      cmds.push(state.groupModes.get(node.groupId) === BREAK ? indent + 2 : indent, mode, node.contents);
      return;
    case "ifBreak": {
      const m = node.groupId === undefined ? mode : (state.groupModes.get(node.groupId) ?? FLAT);
      cmds.push(indent, mode, m === BREAK ? node.breakContents : node.flatContents);
      return;
    }
    case "breakParent":
      return;
    case "group":
      printGroup(state, cmds, indent, mode, node);
      return;
    case "line":
      printLine(state, indent, mode, node);
      return;
  }
}

function printGroup(state: PrintState, cmds: Commands, indent: number, mode: Mode, node: Extract<DocNode, { kind: "group" }>): void {
  if (mode === FLAT && !state.remeasure) {
    cmds.push(indent, node.broken ? BREAK : FLAT, node.contents);
  } else {
    state.remeasure = false;
    const rest = state.width - state.pos;
    // Measured once: a group whose width is known prints flat at once, without the command stack.
    const flat = node.broken ? -1 : groupFlatWidth(node, rest);
    if (flat >= 0 && flat <= rest && fits("", cmds, rest - flat, state.groupModes)) {
      printFlat(state, node);
      return;
    }
    if (flat === -1 && !node.broken && fits(node.contents, cmds, rest, state.groupModes)) cmds.push(indent, FLAT, node.contents);
    else if (node.states !== undefined) chooseState(state, cmds, indent, node.states, rest);
    else cmds.push(indent, BREAK, node.contents);
  }
  if (node.id !== undefined) state.groupModes.set(node.id, cmds.modes[cmds.length - 1] as Mode);
}

/** Prints a group whose flat width is known (no forced break, no `ifBreak` asking another group) flat. */
function printFlat(state: PrintState, node: Extract<DocNode, { kind: "group" }>): void {
  writeFlat(state, node);
  state.pos += node.flat;
}

function writeFlat(state: PrintState, doc: Doc): void {
  if (typeof doc === "string") state.out.push(doc);
  else if (Array.isArray(doc)) for (const part of doc as readonly Doc[]) writeFlat(state, part);
  else {
    const node = doc as DocNode;
    if (node.kind === "line") {
      if (!node.soft) state.out.push(" ");
    } else if (node.kind === "ifBreak") writeFlat(state, node.flatContents);
    else if (node.kind === "group") {
      if (node.id !== undefined) state.groupModes.set(node.id, FLAT);
      writeFlat(state, node.contents);
    } else if (node.kind !== "breakParent") writeFlat(state, node.contents);
  }
}

/** Pushes a conditional group's first state (after the first) that fits flat, else its last broken. */
function chooseState(state: PrintState, cmds: Commands, indent: number, states: readonly Doc[], rest: number): void {
  for (let i = 1; i < states.length; i++) {
    if (fits(states[i] as Doc, cmds, rest, state.groupModes)) {
      cmds.push(indent, FLAT, states[i] as Doc);
      return;
    }
  }
  cmds.push(indent, BREAK, states[states.length - 1] as Doc);
}

function printLine(state: PrintState, indent: number, mode: Mode, node: Extract<DocNode, { kind: "line" }>): void {
  if (mode === FLAT && !node.hard) {
    if (!node.soft) {
      state.out.push(" ");
      state.pos += 1;
    }
    return;
  }
  if (mode === FLAT) state.remeasure = true;
  trimTrailingSpaces(state.out);
  state.out.push(newline(indent));
  state.pos = indent;
}

/** A line break and `indent` spaces, made once per indentation. */
const NEWLINES: string[] = [];
function newline(indent: number): string {
  return (NEWLINES[indent] ??= "\n" + " ".repeat(indent));
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1] as string;
    let end = last.length;
    while (end > 0 && (last.charCodeAt(end - 1) === 32 || last.charCodeAt(end - 1) === 9)) end--;
    if (end > 0 || last.length === 0) {
      if (end < last.length) out[out.length - 1] = last.slice(0, end);
      return;
    }
    out.pop();
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
function fits(next: Doc, rest: Commands, width: number, groupModes: ReadonlyMap<GroupId, Mode>): boolean {
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
        // A nested group printed flat is measured once, then answered from its cache.
        const flat = m === FLAT ? groupFlatWidth(node, width) : -1;
        if (flat >= 0) {
          width -= flat;
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
