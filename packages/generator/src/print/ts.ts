/**
 * Docs for the TypeScript constructs the emitters print, built as Prettier builds them for the
 * same code (`prettier.__debug.printToDoc` shows its Docs), so that printing them gives
 * Prettier's layout for names of any length.
 */
import { breakParent, conditionalGroup, group, groupId, hardline, ifBreak, indent, indentIfBreak, join, line, softline, willBreak, type Doc } from "./doc.js";

/** How an assignment (`const x = …`, `type T = …`, `key: …`) may break (Prettier's layouts). */
export type AssignLayout =
  /** Break the right side first, then after the operator (most values). */
  | "fluid"
  /** Break after the operator first (string literals, calls that break poorly, unions). */
  | "break-after-operator"
  /** Never break after the operator (short keys, arrow functions). */
  | "never-break-after-operator";

/** `left op right` (`op` like `" ="` or `":"`) laid out as `layout` says. */
export function assign(left: Doc, op: string, right: Doc, layout: AssignLayout = "fluid"): Doc {
  if (layout === "break-after-operator") return group([group(left), op, group(indent([line, right]))]);
  if (layout === "never-break-after-operator") return group([group(left), op, " ", right]);
  const id = groupId("assignment");
  return group([group(left), op, group(indent(line), { id }), indentIfBreak(right, id)]);
}

/**
 * A call's arguments `(a, b)`: on one line, or one per line with a trailing comma. With `hug`,
 * the last argument (an object, array or function) may break alone: `f(a, {` … `})`.
 */
export function args(items: readonly Doc[], hug = false): Doc {
  if (items.length === 0) return "()";
  const brokenOut = (): Doc => group(["(", indent([line, join([",", line], items)]), ifBreak(","), line, ")"], { shouldBreak: true });
  if (!hug) return group(["(", indent([softline, join([",", line], items)]), ifBreak(","), softline, ")"]);
  const init = items.slice(0, -1);
  if (init.some(willBreak)) return brokenOut();
  const last = items[items.length - 1] as Doc;
  const head = init.length === 0 ? [] : [join(", ", init), ", "];
  return [
    willBreak(last) ? breakParent : "",
    conditionalGroup([["(", ...head, last, ")"], ["(", ...head, group(last, { shouldBreak: true }), ")"], brokenOut()]),
  ];
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
  const parts = calls.map(([name, a]) => [name, a]);
  if (calls.length < 2) return group([head, ...parts]);
  const oneLine = [head, ...parts];
  const expanded = [head, indent(parts.map((p) => [hardline, p]))];
  return [willBreak(oneLine) ? breakParent : "", conditionalGroup([oneLine, expanded])];
}

/** `[a, b]`, broken one per line with a trailing comma. */
export function array(items: readonly Doc[]): Doc {
  if (items.length === 0) return "[]";
  return group(["[", indent([softline, join([",", line], items), ifBreak(",")]), softline, "]"]);
}

/**
 * An object literal `{ a, b: c }`; `broken` keeps it one property per line even when it would
 * fit (Prettier keeps an object broken when its first property is on a line of its own).
 */
export function object(props: readonly Doc[], broken = false): Doc {
  if (props.length === 0) return "{}";
  return group(["{", indent([line, join([",", line], props)]), ifBreak(","), line, "}"], { shouldBreak: broken });
}

/** An object type literal `{ a: A; b: B }`, broken one member per line when too long or `broken`. */
export function typeLiteral(members: readonly Doc[], broken = false): Doc {
  if (members.length === 0) return "{}";
  return group(["{", indent([line, join([ifBreak(";", "; "), line], members)]), ifBreak(";"), line, "}"], { shouldBreak: broken });
}

/** Type arguments or parameters `<A, B>`, broken one per line (no trailing comma for arguments). */
export function typeArgs(items: readonly Doc[], trailingComma = false): Doc {
  if (items.length === 0) return "";
  return group(["<", indent([softline, join([",", line], items)]), trailingComma ? ifBreak(",") : "", softline, ">"]);
}

/** A union `A | B`, broken one `| member` per line; `indented` inside a member or argument. */
export function union(members: readonly Doc[], indented = true): Doc {
  if (members.length === 1) return members[0] as Doc;
  const code = [ifBreak([indented ? line : "", "| "]), join([line, "| "], members)];
  return group(indented ? indent(code) : code);
}

/** Statements or members, one per line. */
export function lines(docs: readonly Doc[]): Doc {
  return join(hardline, docs);
}
