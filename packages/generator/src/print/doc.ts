/**
 * The document algebra of Wadler's "prettier printer", in the form Prettier uses: text, lines
 * that break or not, groups that decide together, indentation, and the few extensions
 * TypeScript's layout needs (break-dependent content, group ids, conditional groups). A Doc says
 * what may break; `printDoc` decides what does, for a given width.
 */
/** A group's id, for `ifBreak` and `indentIfBreak` to ask how that group was printed. */
export type GroupId = symbol;

export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  | { readonly kind: "line"; readonly soft: boolean; readonly hard: boolean }
  | { readonly kind: "breakParent" }
  | { readonly kind: "indent"; readonly contents: Doc }
  | { readonly kind: "group"; readonly contents: Doc; readonly broken: boolean; readonly id: GroupId | undefined; readonly states: readonly Doc[] | undefined; flat: number }
  | { readonly kind: "ifBreak"; readonly breakContents: Doc; readonly flatContents: Doc; readonly groupId: GroupId | undefined }
  | { readonly kind: "indentIfBreak"; readonly contents: Doc; readonly groupId: GroupId };

/**
 * A group's `flat` before the printer measured it: then the columns its contents take printed
 * flat, or -1 when that depends on more than the Doc (a forced break, a broken group, an `ifBreak`
 * asking another group). The printer's cache, so that `fits` walks each group once.
 */
export const UNMEASURED = -2;

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
export function group(contents: Doc, options: { shouldBreak?: boolean; id?: GroupId } = {}): Doc {
  // Text alone cannot break: its group would decide nothing.
  if (typeof contents === "string" && options.id === undefined && options.shouldBreak !== true) return contents;
  const broken = options.shouldBreak === true || willBreak(contents);
  return { kind: "group", contents, broken, id: options.id, states: undefined, flat: UNMEASURED };
}

/**
 * The first of `states` that fits, tried flat; the last one, broken, when none does (Prettier's
 * `conditionalGroup`, for call arguments whose last one may hug). A hard line inside does not
 * break the enclosing groups.
 */
export function conditionalGroup(states: readonly Doc[]): Doc {
  return { kind: "group", contents: states[0] ?? "", broken: false, id: undefined, states, flat: UNMEASURED };
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
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
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
