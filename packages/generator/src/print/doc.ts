/**
 * The document algebra of Wadler's "prettier printer", in the form Prettier uses: text, lines
 * that break or not, groups that decide together, indentation, and the few extensions
 * TypeScript's layout needs (break-dependent content, group ids, conditional groups). A Doc says
 * what may break; `printDoc` decides what does, for a given width.
 */
import { textWidth } from "./width.js";

/** A group's id, for `ifBreak` and `indentIfBreak` to ask how that group was printed. */
export type GroupId = symbol;

export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  | { readonly kind: "line"; readonly soft: boolean; readonly hard: boolean }
  | { readonly kind: "breakParent" }
  | { readonly kind: "indent"; readonly contents: Doc }
  | { readonly kind: "group"; readonly contents: Doc; readonly broken: boolean; readonly id: GroupId | undefined; readonly states: readonly Doc[] | undefined; readonly flat: number }
  | { readonly kind: "ifBreak"; readonly breakContents: Doc; readonly flatContents: Doc; readonly groupId: GroupId | undefined }
  | { readonly kind: "indentIfBreak"; readonly contents: Doc; readonly groupId: GroupId };

/**
 * A group's `flat` when its width printed flat depends on more than the Doc (a forced break, a
 * broken group, an `ifBreak` asking another group); else `flat` is that width, measured when the
 * group is built (its nested groups already know theirs), so the printer never walks a group to
 * measure it: `fits` skips it at once, and a group that fits is written flat without the stack.
 */
export const LAYOUT_DEPENDENT = -1;

/** A space, or a line break when the enclosing group breaks. */
export const line: Doc = { kind: "line", soft: false, hard: false };
/** Nothing, or a line break when the enclosing group breaks. */
export const softline: Doc = { kind: "line", soft: true, hard: false };
/** Forces every enclosing group to break. */
export const breakParent: Doc = { kind: "breakParent" };
/** Always a line break; every enclosing group breaks. */
export const hardline: Doc = [{ kind: "line", soft: false, hard: true }, breakParent];

/** `contents`, its line breaks indented one level (two spaces) deeper. */
export function indent(contents: Doc): Doc {
  return { kind: "indent", contents };
}

/**
 * Lines that break together: all of them if the group does not fit in the rest of the line (or
 * holds a hard line, or `shouldBreak`), else none.
 */
export function group(contents: Doc, options?: { shouldBreak?: boolean; id?: GroupId }): Doc {
  const id = options?.id;
  const shouldBreak = options?.shouldBreak === true;
  // Text alone cannot break: its group would decide nothing.
  if (typeof contents === "string" && id === undefined && !shouldBreak) return contents;
  forced = false;
  const flat = measure(contents);
  const broken = shouldBreak || forced;
  return { kind: "group", contents, broken, id, states: undefined, flat: broken ? LAYOUT_DEPENDENT : flat };
}

/**
 * The first of `states` that fits, tried flat; the last one, broken, when none does (Prettier's
 * `conditionalGroup`, for call arguments whose last one may hug). A hard line inside does not
 * break the enclosing groups.
 */
export function conditionalGroup(states: readonly Doc[]): Doc {
  const contents = states[0] ?? "";
  return { kind: "group", contents, broken: false, id: undefined, states, flat: measure(contents) };
}

/** `breakContents` when the group (the enclosing one, or `groupId`'s) breaks, else `flatContents`. */
export function ifBreak(breakContents: Doc, flatContents: Doc = "", groupId?: GroupId): Doc {
  return { kind: "ifBreak", breakContents, flatContents, groupId };
}

/** `contents`, indented when the group `groupId` broke. */
export function indentIfBreak(contents: Doc, groupId: GroupId): Doc {
  return { kind: "indentIfBreak", contents, groupId };
}

/** `docs` with `separator` between them. */
export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = docs.length === 0 ? [] : [docs[0] as Doc];
  for (let i = 1; i < docs.length; i++) out.push(separator, docs[i] as Doc);
  return out;
}

/** A fresh group id; `label` only helps a reader of a dumped Doc. */
export function groupId(label: string): GroupId {
  return Symbol(label);
}

/**
 * Whether `doc` holds a forced break outside any nested group that already knows it breaks;
 * conditional groups keep their hard lines to themselves (as Prettier's `propagateBreaks`).
 */
export function willBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).some(willBreak);
  const node = doc as DocNode;
  switch (node.kind) {
    case "line":
      return node.hard;
    case "breakParent":
      return true;
    case "group":
      return node.states === undefined && node.broken;
    case "ifBreak":
      return willBreak(node.breakContents) || willBreak(node.flatContents);
    default:
      return willBreak(node.contents);
  }
}

/** Set by `measure` when it meets a forced break: the group being built breaks (`willBreak`). */
let forced = false;

/**
 * The columns `doc` takes printed flat, or `LAYOUT_DEPENDENT`; sets `forced` on a forced break
 * outside nested groups that know it (as `willBreak`), so one walk serves both. Nested groups
 * answer from their own `flat`: building a Doc measures each text once.
 */
function measure(doc: Doc): number {
  if (typeof doc === "string") return textWidth(doc);
  if (Array.isArray(doc)) {
    let width = 0;
    for (const part of doc as readonly Doc[]) {
      // Texts, the most frequent parts, without a call of `measure`.
      const w = typeof part === "string" ? textWidth(part) : measure(part);
      if (w >= 0) {
        if (width >= 0) width += w;
      } else if (forced) return LAYOUT_DEPENDENT;
      else width = LAYOUT_DEPENDENT;
    }
    return width;
  }
  const node = doc as DocNode;
  switch (node.kind) {
    case "line":
      if (!node.hard) return node.soft ? 0 : 1;
      forced = true;
      return LAYOUT_DEPENDENT;
    case "breakParent":
      forced = true;
      return LAYOUT_DEPENDENT;
    case "group":
      if (node.broken && node.states === undefined) forced = true;
      return node.flat;
    case "ifBreak": {
      measure(node.breakContents);
      const flat = measure(node.flatContents);
      return node.groupId === undefined ? flat : LAYOUT_DEPENDENT;
    }
    default:
      return measure(node.contents);
  }
}
