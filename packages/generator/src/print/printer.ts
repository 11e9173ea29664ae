/**
 * Prints a Doc at a width, as Prettier's `printDocToString` does (same decisions, so the output
 * is a Prettier fixed point when the Doc is the one Prettier would build): a group is printed
 * flat when its contents, and what follows up to the next possible line break, fit in the rest
 * of the line; else broken. Indentation is two spaces; trailing spaces are trimmed at each break.
 */
import type { Doc, DocNode, GroupId } from "./doc.js";
import { BREAK, Commands, FLAT, fits, type Mode } from "./commands.js";
import { textWidth } from "./width.js";

export { textWidth } from "./width.js";

/** Prettier's default `printWidth`. */
export const WIDTH = 80;

const COMMANDS = new Commands();
/** How the groups with an id printed, for `printDoc` (emptied before each print; nothing asks later). */
const GROUP_MODES = new Map<GroupId, Mode>();

/** The text of `doc` laid out in `width` columns, starting `depth` levels (two spaces each) deep. */
export function printDoc(doc: Doc, depth = 0, width = WIDTH): string {
  // Text alone (many a line is) has one layout: no printer state to set up.
  if (isPlain(doc)) return pad(depth) + plainText(doc);
  // Clearing an empty map would still allocate its table anew.
  if (GROUP_MODES.size > 0) GROUP_MODES.clear();
  return print(doc, depth, width, GROUP_MODES).out.join("");
}

/** `printDoc`, and whether each group with an id broke (for a caller that must know a layout). */
export function printWithGroups(doc: Doc, depth = 0, width = WIDTH): { text: string; broke: (id: GroupId) => boolean } {
  const state = print(doc, depth, width, new Map());
  return { text: state.out.join(""), broke: (id) => state.groupModes.get(id) === BREAK };
}

function print(doc: Doc, depth: number, width: number, groupModes: Map<GroupId, Mode>): PrintState {
  const indent = depth * 2;
  const state: PrintState = { out: [pad(depth)], pos: indent, width, groupModes, remeasure: false };
  const cmds = COMMANDS;
  // Empty unless a print before this one threw.
  cmds.length = 0;
  cmds.push(indent, BREAK, doc);
  while (cmds.length > 0) {
    const i = --cmds.length;
    step(state, cmds, cmds.indents[i] as number, cmds.modes[i] as Mode, cmds.docs[i] as Doc);
  }
  return state;
}

/** Whether `doc` is made of texts only (in arrays, at any depth). */
function isPlain(doc: Doc): boolean {
  if (typeof doc === "string") return true;
  if (!Array.isArray(doc)) return false;
  for (const part of doc as readonly Doc[]) if (typeof part !== "string" && !isPlain(part)) return false;
  return true;
}

/** The text of a Doc of texts only (`isPlain`). */
function plainText(doc: Doc): string {
  if (typeof doc === "string") return doc;
  let text = "";
  for (const part of doc as readonly Doc[]) text += typeof part === "string" ? part : plainText(part);
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
  // A group whose width is known prints flat at once, without the command stack.
  const flat = node.flat;
  if (mode === FLAT && !state.remeasure) {
    if (flat >= 0) {
      printFlat(state, node);
      return;
    }
    cmds.push(indent, node.broken ? BREAK : FLAT, node.contents);
  } else {
    state.remeasure = false;
    const rest = state.width - state.pos;
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
  // One text for the whole group: joining the output is faster with fewer, longer texts.
  flatKeep = -1;
  const text = flatText(state, node, "");
  if (flatKeep >= 0 && isBlank(text.slice(flatKeep))) {
    // An empty text stops the trimming of trailing spaces where it stood: keep it there.
    state.out.push(text.slice(0, flatKeep), "", text.slice(flatKeep));
  } else state.out.push(text);
  state.pos += node.flat;
}

/** Where the last empty text of a flat group stood in its text (-1: none). */
let flatKeep = -1;

/** `text` followed by `doc` printed flat. */
function flatText(state: PrintState, doc: Doc, text: string): string {
  if (typeof doc === "string") {
    if (doc.length === 0) flatKeep = text.length;
    return text + doc;
  }
  if (Array.isArray(doc)) {
    for (const part of doc as readonly Doc[]) text = flatText(state, part, text);
    return text;
  }
  const node = doc as DocNode;
  if (node.kind === "line") return node.soft ? text : text + " ";
  if (node.kind === "ifBreak") return flatText(state, node.flatContents, text);
  if (node.kind === "group") {
    if (node.id !== undefined) state.groupModes.set(node.id, FLAT);
    return flatText(state, node.contents, text);
  }
  return node.kind === "breakParent" ? text : flatText(state, node.contents, text);
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return false;
  return true;
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
