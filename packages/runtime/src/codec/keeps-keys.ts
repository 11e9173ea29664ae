/**
 * Whether a schema may hold data under keys it does not name — a record (a `map` field), a
 * `json` value, anything the runtime cannot see into. Only there can a stored key `__proto__`
 * be dropped by the parse (a named object's unknown keys are dropped anyway, whatever they are),
 * so the codec walks a stored payload for that key only when its version's schema says so: most
 * events' schemas are named objects of scalars, and the walk costs about a tenth of a
 * `deserialize`. Read from Zod 4's schema definitions (`_zod.def`) and remembered per schema; a
 * schema this does not understand counts as one that may (the walk runs).
 */
import type { SchemaLike } from "./issues.js";

interface ZodDef {
  readonly type?: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly catchall?: unknown;
  readonly element?: unknown;
  readonly items?: readonly unknown[];
  readonly rest?: unknown;
  readonly innerType?: unknown;
  readonly options?: readonly unknown[];
  readonly left?: unknown;
  readonly right?: unknown;
  readonly in?: unknown;
  readonly out?: unknown;
}

/** Values that hold no keys at all. */
const SCALARS = new Set(["string", "number", "int", "boolean", "bigint", "date", "literal", "enum", "null", "undefined", "nan", "template_literal", "never", "void"]);
/** Wrappers whose data is their inner type's. */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

const remembered = new WeakMap<object, boolean>();

/** See the module comment. */
export function mayKeepAnyKey(schema: SchemaLike): boolean {
  return keeps(schema, 0);
}

function keeps(schema: unknown, depth: number): boolean {
  if (typeof schema !== "object" || schema === null || depth > 64) return true;
  const known = remembered.get(schema);
  if (known !== undefined) return known;
  const answer = decide((schema as { _zod?: { def?: ZodDef } })._zod?.def, depth + 1);
  remembered.set(schema, answer);
  return answer;
}

function decide(def: ZodDef | undefined, depth: number): boolean {
  const type = def?.type;
  if (def === undefined || type === undefined) return true;
  if (SCALARS.has(type)) return false;
  if (WRAPPERS.has(type)) return keeps(def.innerType, depth);
  switch (type) {
    case "object":
      // A loose or catch-all object keeps keys it does not name.
      if (def.catchall !== undefined && (def.catchall as { _zod?: { def?: ZodDef } })._zod?.def?.type !== "never") return true;
      return Object.values(def.shape ?? {}).some((field) => keeps(field, depth));
    case "array":
      return keeps(def.element, depth);
    case "tuple":
      return (def.items ?? []).some((item) => keeps(item, depth)) || (def.rest != null && keeps(def.rest, depth));
    case "union":
      return (def.options ?? []).some((option) => keeps(option, depth));
    case "intersection":
      return keeps(def.left, depth) || keeps(def.right, depth);
    case "pipe":
      return keeps(def.in, depth) || keeps(def.out, depth);
    default:
      // record, map, any, unknown, lazy, custom, transform, and whatever comes later.
      return true;
  }
}
