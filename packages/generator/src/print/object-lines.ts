/**
 * Object literals written line by line (the codec table, the app's wiring, statements of
 * defaults): most of their properties fit on their line, and writing those as text spares
 * building and printing a Doc for each of thousands of them.
 *
 * The writers restate only the printer's simplest rules, where the text starts a line at a
 * known depth and a line break follows its trailing text (a property of a broken object): a group
 * without forced breaks prints flat exactly when its flat text fits in the width; a value that
 * cannot break moves below `key:` (unless the key is short); a broken object stays below
 * `key: {`. Anything else is printed from its Doc. `test/line-writers.test.ts` holds each writer
 * to `printDoc` of the same Doc, for names of every length.
 */
import { textWidth, WIDTH, pad, printLines } from "./printer.js";
import type { Doc } from "./doc.js";
import { object, property, propertyLayout, type ValueKind } from "./ts.js";

/** `key: value`, or `key: { … }`. */
export type PropNode = ValueProp | ObjectProp;

/**
 * `key: value`: `flat` is the value printed flat, `doc` its Doc when it may break (else `flat` is
 * the value as written). Without `flat` (its Doc holds a forced break, or its flat text is not
 * known) it is printed from its Doc, and an object holding it is broken: only leave it out where
 * that object breaks anyway, or where the Doc does force a break.
 */
export interface ValueProp {
  readonly key: string;
  readonly flat: string | undefined;
  readonly kind: ValueKind;
  readonly doc?: Doc;
}

/** `key: { … }`, `broken` when one property per line even where it would fit (or a property forces it). */
export interface ObjectProp {
  readonly key: string;
  readonly props: readonly PropNode[];
  readonly broken: boolean;
}

/** `key: value` whose value (a name, a literal) is its own text. */
export function valueProp(key: string, value: string, kind: ValueKind = "expr"): ValueProp {
  return { key, flat: value, kind };
}

/** `key: value` whose value may break: its Doc, and its text printed flat (none when it always breaks). */
export function docProp(key: string, flat: string | undefined, doc: Doc, kind: ValueKind = "expr"): ValueProp {
  return { key, flat, kind, doc };
}

/** `key: { props }` (`{}` without props), as `object(props, broken)` lays it out. */
export function objectProp(key: string, props: readonly PropNode[], broken = false): PropNode {
  if (props.length === 0) return valueProp(key, "{}");
  return { key, props, broken: broken || props.some(forcesBreak) };
}

function forcesBreak(p: PropNode): boolean {
  return "props" in p ? p.broken : p.flat === undefined;
}

/** A Doc's text when it is made of texts only (which never break), else undefined. */
export function plainText(doc: Doc): string | undefined {
  if (typeof doc === "string") return doc;
  if (!Array.isArray(doc)) return undefined;
  let text = "";
  for (const part of doc as readonly Doc[]) {
    const t = plainText(part);
    if (t === undefined) return undefined;
    text += t;
  }
  return text;
}

/** A value of a known layout kind: its text when it is plain (else printed from its Doc, see `ValueProp`). */
export function entryProp(key: string, value: Doc, kind: ValueKind): ValueProp {
  const flat = plainText(value);
  return flat === undefined ? docProp(key, undefined, value, kind) : valueProp(key, flat, kind);
}

/**
 * `left = { props };` with the object always broken: below `left = {` when that line fits (as
 * the printer puts it), else as printed.
 */
export function objectStatementLines(left: string, props: readonly PropNode[], fallback: () => Doc): string[] {
  const head = `${left} = {`;
  if (props.length === 0 || textWidth(head) > WIDTH) return printLines([fallback(), ";"]);
  const out = [head];
  writeProps(out, 1, props);
  out.push("};");
  return out;
}

/** The Doc of a property, for the printer. */
export function propDoc(p: PropNode): Doc {
  if ("props" in p) return property(p.key, object(p.props.map(propDoc), p.broken));
  return property(p.key, p.doc ?? (p.flat as string), p.kind);
}

/** `key: value` printed flat (of a property that forces no break). */
function flatText(p: PropNode): string {
  if (!("props" in p)) return `${p.key}: ${p.flat as string}`;
  let text = `${p.key}: {`;
  for (let i = 0; i < p.props.length; i++) text += `${i === 0 ? " " : ", "}${flatText(p.props[i] as PropNode)}`;
  return `${text} }`;
}

/** Appends the lines of `props` at `depth`, each followed by `trailing` (a broken object's `,`). */
export function writeProps(out: string[], depth: number, props: readonly PropNode[], trailing = ","): void {
  for (const p of props) writeProp(out, depth, p, trailing);
}

function writeProp(out: string[], depth: number, p: PropNode, trailing: string): void {
  const indent = pad(depth);
  if (!forcesBreak(p)) {
    const line = `${indent}${flatText(p)}${trailing}`;
    if (textWidth(line) <= WIDTH) {
      out.push(line);
      return;
    }
  }
  // A value that cannot break (a name, a literal) goes below `key:`, unless the layout keeps it on the line.
  if (!("props" in p) && p.doc === undefined && p.flat !== undefined) {
    if (propertyLayout(p.key, p.kind) === "never-break-after-operator") out.push(`${indent}${p.key}: ${p.flat}${trailing}`);
    else out.push(`${indent}${p.key}:`, `${pad(depth + 1)}${p.flat}${trailing}`);
    return;
  }
  // A broken object stays below `key: {` unless even that line is too long (then the printer decides).
  if ("props" in p) {
    const head = `${indent}${p.key}: {`;
    if (propertyLayout(p.key, "expr") === "never-break-after-operator" || textWidth(head) <= WIDTH) {
      out.push(head);
      writeProps(out, depth + 1, p.props);
      out.push(`${indent}}${trailing}`);
      return;
    }
  }
  for (const l of printLines([propDoc(p), trailing], depth)) out.push(l);
}

/**
 * Appends `key: { … }` always broken, as `writeProps` writes `objectProp(key, props, true)`, its
 * properties made group by group (a context's, say) by `props`: each group's lines are joined
 * as soon as written, so a model-wide table keeps one string per group alive while it is
 * built, not every property's node and line. `key: {}` when no group has a property.
 */
export function writeTable<T>(out: string[], depth: number, key: string, groups: readonly T[], props: (group: T) => readonly PropNode[], trailing = ","): void {
  const head = `${pad(depth)}${key}: {`;
  if (propertyLayout(key, "expr") !== "never-break-after-operator" && textWidth(head) > WIDTH) {
    writeProp(out, depth, objectProp(key, groups.flatMap(props), true), trailing);
    return;
  }
  let empty = true;
  for (const group of groups) {
    const some = props(group);
    if (some.length === 0) continue;
    if (empty) out.push(head);
    empty = false;
    const lines: string[] = [];
    writeProps(lines, depth + 1, some);
    out.push(lines.join("\n"));
  }
  if (empty) writeProp(out, depth, valueProp(key, "{}"), trailing);
  else out.push(`${pad(depth)}}${trailing}`);
}

/**
 * The lines of `doc` at `depth` followed by `trailing`, where a line break follows: `flat` (its
 * text printed flat, when it has no forced break) when that fits, else as printed.
 */
export function fitLines(depth: number, flat: string | undefined, doc: () => Doc, trailing = ""): string[] {
  if (flat !== undefined) {
    const line = `${pad(depth)}${flat}${trailing}`;
    if (textWidth(line) <= WIDTH) return [line];
  }
  return printLines([doc(), trailing], depth);
}
