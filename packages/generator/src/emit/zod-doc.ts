/**
 * Zod expressions as Docs, built as Prettier builds them: a chain of two calls or more is a member
 * chain (one line, or one call per line); an assignment of a chain that breaks poorly (no
 * arguments, or one short one) breaks after its operator instead.
 */
import { group, type Doc } from "../print/doc.js";
import { args, assign, chain, isShortArgument, type AssignLayout } from "../print/ts.js";
import type { ZodArg, ZodCall, ZodExpr } from "./zod-expr.js";

/** The Doc of a Zod expression. */
export function zodDoc(e: ZodExpr): Doc {
  const head: Doc = e.callArgs === undefined ? e.head : [e.head, args(e.callArgs)];
  const calls = e.calls.map((c) => [`.${c.name}`, callDoc(c)] as const);
  // A capitalised identifier heads a chain as a factory: Prettier keeps its first call with it.
  if (calls.length < chainLength(e)) return group([head, ...calls.map(([n, a]) => [n, a])]);
  return chain(head, calls);
}

function callDoc(c: ZodCall): Doc {
  const typeArgs = c.typeArgs === undefined ? "" : `<${c.typeArgs.join(", ")}>`;
  return [typeArgs, args(c.args.map((a) => (typeof a === "string" ? a : "doc" in a ? a.doc : zodDoc(a))), c.hug === true)];
}

/** How `left = e` or `key: e` breaks (Prettier's choice for this right side). */
export function zodLayout(e: ZodExpr, shortKey = false): AssignLayout {
  if (shortKey) return "never-break-after-operator";
  return e.calls.length > 0 && breaksPoorly(e) ? "break-after-operator" : "fluid";
}

/** A chain whose calls all have no argument or a lone short one (Prettier's `isPoorlyBreakableMemberOrCallChain`). */
function breaksPoorly(e: ZodExpr): boolean {
  if (e.callArgs !== undefined) return false;
  if (e.calls.length >= chainLength(e)) return false;
  return e.calls.every((c) => c.args.length === 0 || (c.args.length === 1 && c.hug !== true && typeof c.args[0] === "string" && isShortArgument(c.args[0])));
}

/**
 * How many calls make a member chain: two, or three after a capitalised identifier, which
 * Prettier takes for a factory and keeps its first call with it.
 */
function chainLength(e: ZodExpr): number {
  const first = e.head.charAt(0);
  const factory = e.callArgs === undefined && !e.head.includes(".") && first >= "A" && first <= "Z";
  return factory ? 3 : 2;
}

/** `key: e` as a property of an object literal. */
export function zodProperty(key: string, e: ZodExpr): Doc {
  return assign(key, ":", zodDoc(e), zodLayout(e, key.length < 5));
}

/**
 * The text `zodDoc(e)` prints on one line (chains, calls and arguments flat), or undefined when
 * an argument is a Doc other than text (a default's object literal), which only the printer lays out.
 */
export function zodFlat(e: ZodExpr): string | undefined {
  let text = e.callArgs === undefined ? e.head : `${e.head}(${e.callArgs.join(", ")})`;
  for (const c of e.calls) {
    let list = "";
    for (let i = 0; i < c.args.length; i++) {
      const a = c.args[i] as ZodArg;
      const arg = typeof a === "string" ? a : "doc" in a ? (typeof a.doc === "string" ? a.doc : undefined) : zodFlat(a);
      if (arg === undefined) return undefined;
      list = i === 0 ? arg : `${list}, ${arg}`;
    }
    text += c.typeArgs === undefined ? `.${c.name}(${list})` : `.${c.name}<${c.typeArgs.join(", ")}>(${list})`;
  }
  return text;
}
