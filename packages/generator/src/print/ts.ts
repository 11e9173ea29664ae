/**
 * Docs for the TypeScript constructs the emitters print, built as Prettier builds them for the
 * same code (`prettier.__debug.printToDoc` shows its Docs), so that printing them gives
 * Prettier's layout for names of any length.
 */
import { textWidth, WIDTH } from "./printer.js";
import { breakParent, conditionalGroup, group, groupId, hardline, ifBreak, indent, indentIfBreak, join, line, softline, willBreak, type Doc, type GroupId } from "./doc.js";

/** How an assignment (`const x = …`, `type T = …`, `key: …`) may break (Prettier's layouts). */
export type AssignLayout =
  /** Break the right side first, then after the operator (most values). */
  | "fluid"
  /** Break after the operator first (string literals, calls that break poorly, unions). */
  | "break-after-operator"
  /** Never break after the operator (short keys, arrow functions). */
  | "never-break-after-operator";

/**
 * What a value is, as far as the layout of `key: value` or `left = value` cares: a string
 * literal, a number or boolean, a chain that breaks poorly (`a.b.c`, `a.b(x)`: no arguments or
 * one short one), or another expression.
 */
export type ValueKind = "string" | "number" | "chain" | "expr";

/**
 * The layout of `key: value` (Prettier's choice): a key shorter than five columns, a number or
 * a boolean never break after the colon; a string literal or a poorly breaking chain breaks
 * there first; others break inside first.
 */
export function propertyLayout(key: string, kind: ValueKind): AssignLayout {
  if (key.length < 5 || kind === "number") return "never-break-after-operator";
  return kind === "string" || kind === "chain" ? "break-after-operator" : "fluid";
}

/** `,` and a line: the separator of arguments, items and properties (one Doc, shared). */
export const COMMA_LINE: Doc = [",", line];
/** The trailing comma of what breaks one item per line (one Doc, shared). */
export const TRAILING_COMMA: Doc = ifBreak(",");
const BROKEN = { shouldBreak: true } as const;

/** A property `key: value` of an object literal. */
export function property(key: string, value: Doc, kind: ValueKind = "expr"): Doc {
  return assign(key, ":", value, propertyLayout(key, kind));
}

/**
 * `left op right` (`op` like `" ="` or `":"`) laid out as `layout` says; `id` names the group
 * of the break after the operator (fluid layout), for a caller that asks whether it broke.
 */
export function assign(left: Doc, op: string, right: Doc, layout: AssignLayout = "fluid", id?: GroupId): Doc {
  // A text before the operator joins it: one text for the printer instead of two.
  const head = typeof left === "string" ? left + op : [group(left), op];
  if (layout === "break-after-operator") return group([head, group(indent([line, right]))]);
  if (layout === "never-break-after-operator") return group([head, " ", right]);
  const brk = id ?? groupId("assignment");
  return group([head, group(INDENT_LINE, { id: brk }), indentIfBreak(right, brk)]);
}

const INDENT_LINE = indent(line);

/** `lead` then `items` separated by `,` and a line, as one array (the body of a list that breaks one item per line). */
function listBody(lead: Doc, items: readonly Doc[]): Doc[] {
  const out: Doc[] = [lead, items[0] as Doc];
  for (let i = 1; i < items.length; i++) out.push(COMMA_LINE, items[i] as Doc);
  return out;
}

/**
 * A call's arguments `(a, b)`: on one line, or one per line with a trailing comma. With `hug`,
 * the last argument (an object, array or function) may break alone: `f(a, {` … `})`.
 */
export function args(items: readonly Doc[], hug = false): Doc {
  if (items.length === 0) return "()";
  if (!hug) return group(["(", indent(listBody(softline, items)), TRAILING_COMMA, softline, ")"]);
  const init = items.slice(0, -1);
  if (init.some(willBreak)) return brokenOutArgs(items);
  const last = items[items.length - 1] as Doc;
  const head: Doc = init.length === 0 ? "(" : ["(", join(", ", init), ", "];
  return [
    willBreak(last) ? breakParent : "",
    conditionalGroup([[head, last, ")"], [head, group(last, { shouldBreak: true }), ")"], brokenOutArgs(items)]),
  ];
}

/** Arguments one per line, with a trailing comma. */
function brokenOutArgs(items: readonly Doc[]): Doc {
  return group(["(", indent(listBody(line, items)), TRAILING_COMMA, line, ")"], BROKEN);
}

/**
 * Whether a call's lone argument (a name, a number or a string literal, as written) is short:
 * a call with none or one short one breaks poorly, so an assignment of it breaks after `=`
 * first (Prettier's `isLoneShortArgument`: a quarter of the width).
 */
export function isShortArgument(text: string): boolean {
  return textWidth(text) <= WIDTH / 4;
}

/** `callee(args)`. */
export function call(callee: Doc, items: readonly Doc[], hug = false): Doc {
  return [callee, args(items, hug)];
}

/**
 * A member chain `head.a().b(x)`: on one line, or each call on its own line one level deeper
 * (Prettier's member chain, for chains of two calls or more). `calls` are `[".name", args]`.
 */
export function chain(head: Doc, calls: readonly (readonly [string, Doc])[]): Doc {
  // Each call `[".name", args]` is a Doc as it is.
  const parts = calls as readonly Doc[];
  if (calls.length < 2) return group([head, ...parts]);
  const oneLine = [head, ...parts];
  const expanded = [head, indent(parts.map((p) => [hardline, p]))];
  return [willBreak(oneLine) ? breakParent : "", conditionalGroup([oneLine, expanded])];
}

/**
 * `[a, b]`, broken one per line with a trailing comma; `broken` for what Prettier always breaks
 * (an array of two or more arrays or objects of two or more elements each).
 */
export function array(items: readonly Doc[], broken = false): Doc {
  if (items.length === 0) return "[]";
  const body = listBody(softline, items);
  body.push(TRAILING_COMMA);
  return group(["[", indent(body), softline, "]"], broken ? BROKEN : undefined);
}

/** An arrow function `(a, b) => body` whose body is an expression (not an object or a block). */
export function arrow(params: readonly string[], body: Doc): Doc {
  return group([group(args(params)), " =>", group(indent([line, body]))]);
}

/**
 * An object literal `{ a, b: c }`; `broken` keeps it one property per line even when it would
 * fit (Prettier keeps an object broken when its first property is on a line of its own).
 */
export function object(props: readonly Doc[], broken = false): Doc {
  if (props.length === 0) return "{}";
  return group(["{", indent(listBody(line, props)), TRAILING_COMMA, line, "}"], broken ? BROKEN : undefined);
}

/** A property access: `.name`, or `["name"]` (`computed`) for a name that is not an identifier. */
export interface Access {
  readonly text: string;
  readonly computed: boolean;
}

/**
 * A member access `head.a.b["c"]`: a dotted name breaks before its dot, one level deeper, when
 * the line is too long; `a.b` alone never breaks (Prettier inlines it outside a chain).
 */
export function member(head: string, path: readonly Access[]): Doc {
  if (path.length === 1) return [head, (path[0] as Access).text];
  return [head, ...path.map((a) => (a.computed ? a.text : group(indent([softline, a.text]))))];
}

/** Statements or members, one per line. */
export function lines(docs: readonly Doc[]): Doc {
  return join(hardline, docs);
}
