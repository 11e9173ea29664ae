/** A field's type, constraints, optionality and default as a Zod expression (head + calls). */
import type { FieldModel, TypeRefModel, Value } from "@eda/language";
import { jsonLiteral, propertyKey, stringLiteral } from "../escape.js";
import { BRANDS } from "../brands.js";
import type { Doc } from "../print/doc.js";
import { group } from "../print/doc.js";
import { array, arrow, object, property, type ValueKind } from "../print/ts.js";

/** A call of a chain: `.min(1)`, `.brand<"Timestamp">()`; an argument may be a schema itself. */
export interface ZodCall {
  readonly name: string;
  readonly typeArgs?: readonly string[];
  readonly args: readonly ZodArg[];
  /** The last argument is an object literal or a function, which Prettier lets break alone. */
  readonly hug?: boolean;
}

/** An argument: text, a schema, or a value already built as a Doc (a default's thunk). */
export type ZodArg = string | ZodExpr | { readonly doc: Doc };

export interface ZodExpr {
  readonly head: string;
  readonly calls: readonly ZodCall[];
  /** Arguments of the head itself, when it is a function (`decimalAtLeast("0")`). */
  readonly callArgs?: readonly string[];
  /** True when it names another schema: the property must be a getter (ESM cycles, recursion). */
  readonly lazy: boolean;
}

/** Resolves references to other schemas: `OrderLine`, `SharedSchemas.Money`. */
export type RefName = (t: Extract<TypeRefModel, { kind: "type" | "enum" }>) => string;

/** Registers a regular expression and returns the name of the constant holding it. */
export type PatternName = (pattern: string) => string;

export interface ExprContext {
  readonly ref: RefName;
  readonly pattern: PatternName;
  /** Whether scalars are branded in this generation (`GenModel.options.brandedScalars`). */
  readonly branded: boolean;
}

/** A call `.name(args)`. */
export function zodCall(name: string, ...args: (string | ZodExpr)[]): ZodCall {
  return { name, args };
}

/** The schema of each scalar (shared: expressions are never changed, only extended into new ones). */
const SCALARS: Record<string, ZodExpr> = {
  string: scalar("z", zodCall("string")),
  email: scalar("z", zodCall("email")),
  url: scalar("z", zodCall("url")),
  uuid: scalar("z", zodCall("uuid")),
  int: scalar("z", zodCall("int")),
  float: scalar("z", zodCall("number")),
  decimal: scalar("z", zodCall("string"), zodCall("regex", "DECIMAL")),
  bool: scalar("z", zodCall("boolean")),
  timestamp: scalar("z.iso", { name: "datetime", args: ["{ offset: true }"], hug: true }),
  date: scalar("z.iso", zodCall("date")),
  duration: scalar("z", zodCall("int"), zodCall("nonnegative")),
  json: scalar("z", zodCall("json")),
};

function scalar(head: string, ...calls: ZodCall[]): ZodExpr {
  return { head, calls, lazy: false };
}

/** The schema of a type reference, without the field's own constraints. */
export function typeExpr(t: TypeRefModel, cx: ExprContext): ZodExpr {
  switch (t.kind) {
    case "scalar":
      return SCALARS[t.name] as ZodExpr;
    case "type":
    case "enum":
      return { head: cx.ref(t), calls: [], lazy: true };
    case "list": {
      const inner = withBrand(t.element, typeExpr(t.element, cx), cx.branded);
      return { head: "z", calls: [zodCall("array", inner)], lazy: inner.lazy };
    }
    case "map": {
      const inner = withBrand(t.value, typeExpr(t.value, cx), cx.branded);
      return { head: "z", calls: [zodCall("record", { head: "z", calls: [zodCall("string")], lazy: false }, inner)], lazy: inner.lazy };
    }
    case "unresolved":
      return { head: "z", calls: [zodCall("never")], lazy: false };
  }
}

/**
 * The full expression of a field: type, constraints, then `.optional()` or `.default(…)`. A
 * branded scalar is branded after its default (which is a plain string) and before `.optional()`.
 */
export function fieldExpr(f: FieldModel, cx: ExprContext): ZodExpr {
  const base = typeExpr(f.type, cx);
  const calls = [...base.calls, ...constraintCalls(f, cx)];
  // A field forgotten with its subject reads as the placeholder (`@pii(subject)` on required text).
  if (f.piiSubject !== undefined && !f.optional && f.defaultValue === undefined) calls.push(zodCall("or", { head: "z", calls: [zodCall("literal", '"[forgotten]"')], lazy: false }));
  const brand = brandCall(f.type, cx.branded);
  if (f.defaultValue) {
    const thunk = f.defaultValue.kind === "emptyList" || f.defaultValue.kind === "emptyObject";
    calls.push({ name: "default", args: [{ doc: valueExpr(f.defaultValue, f.type, cx.branded) }], hug: thunk }, ...brand);
  }
  else if (f.optional) calls.push(...brand, zodCall("optional"));
  else calls.push(...brand);
  return { head: base.head, calls, lazy: base.lazy };
}

/** `.brand<"Timestamp">()` for a scalar that is branded in this generation, else nothing. */
function brandCall(t: TypeRefModel, branded: boolean): ZodCall[] {
  const b = t.kind === "scalar" && branded ? BRANDS[t.name] : undefined;
  return b ? [{ name: "brand", typeArgs: [stringLiteral(b.brand)], args: [] }] : [];
}

function withBrand(t: TypeRefModel, e: ZodExpr, branded: boolean): ZodExpr {
  const brand = brandCall(t, branded);
  return brand.length === 0 ? e : { ...e, calls: [...e.calls, ...brand] };
}

/** Whether a literal of this type holds a branded scalar (then it is cast: the checker has validated it). */
function holdsBrand(t: TypeRefModel, branded: boolean, seen: Set<unknown> = new Set()): boolean {
  if (!branded) return false;
  if (t.kind === "scalar") return BRANDS[t.name] !== undefined;
  if (t.kind !== "type" || seen.has(t.decl)) return false;
  seen.add(t.decl);
  return t.decl.fields.some((f) => f.defaultValue !== undefined && holdsBrand(f.type, branded, seen));
}

/**
 * A literal value of a field written into typed code (initial states, upcasts, sends): its
 * JSON, cast with `as never` when it holds a branded scalar.
 */
export function literalExpr(v: Value, type: TypeRefModel, branded: boolean): Doc {
  const doc = literalDoc(valueJson(v, type));
  return holdsBrand(type, branded) && v.kind !== "emptyList" ? [doc, " as never"] : doc;
}

/** JSON as a TypeScript literal Doc: objects and arrays break as Prettier breaks them when too long. */
function literalDoc(value: unknown): Doc {
  if (Array.isArray(value)) return array(value.map(literalDoc));
  if (value !== null && typeof value === "object") return object(Object.entries(value).map(([k, v]) => property(propertyKey(k), literalDoc(v), kindOf(v))));
  return typeof value === "string" ? stringLiteral(value) : jsonLiteral(value);
}

function kindOf(value: unknown): ValueKind {
  if (typeof value === "string") return "string";
  return typeof value === "number" ? (value < 0 ? "expr" : "number") : typeof value === "boolean" ? "number" : "expr";
}

/** What `literalExpr` gives, for its layout: a number or boolean, a string, or another expression. */
export function literalKind(v: Value, type: TypeRefModel, branded: boolean): ValueKind {
  if (holdsBrand(type, branded) && v.kind !== "emptyList") return "expr";
  if (v.kind === "bool" || v.kind === "duration") return "number";
  if (v.kind === "number") return type.kind === "scalar" && type.name === "decimal" ? "string" : v.value < 0 ? "expr" : "number";
  return v.kind === "string" || v.kind === "enumMember" ? "string" : "expr";
}

function constraintCalls(f: FieldModel, cx: ExprContext): ZodCall[] {
  const c = f.constraints;
  const out: ZodCall[] = [];
  const decimal = f.type.kind === "scalar" && f.type.name === "decimal";
  const bound = (fn: string, n: number): ZodExpr => ({ head: fn, calls: [], lazy: false, callArgs: [stringLiteral(String(n))] });
  if (c.min !== undefined) out.push(decimal ? zodCall("refine", bound("decimalAtLeast", c.min)) : zodCall("min", String(c.min)));
  if (c.max !== undefined) out.push(decimal ? zodCall("refine", bound("decimalAtMost", c.max)) : zodCall("max", String(c.max)));
  if (c.minLength !== undefined) out.push(zodCall("min", String(c.minLength)));
  if (c.maxLength !== undefined) out.push(zodCall("max", String(c.maxLength)));
  if (c.pattern !== undefined) out.push(zodCall("regex", cx.pattern(c.pattern)));
  if (c.minItems !== undefined) out.push(zodCall("min", String(c.minItems)));
  if (c.maxItems !== undefined) out.push(zodCall("max", String(c.maxItems)));
  return out;
}

/** A default value as a TypeScript expression of the field's JSON representation. */
export function valueExpr(v: Value, type: TypeRefModel, branded: boolean): Doc {
  switch (v.kind) {
    case "number":
      return type.kind === "scalar" && type.name === "decimal" ? stringLiteral(v.text) : jsonLiteral(v.value);
    case "string":
      return stringLiteral(v.value);
    case "bool":
      return String(v.value);
    case "emptyList":
      return "() => []";
    case "emptyObject":
      // An arrow's object body stays on its line and breaks inside (as Prettier prints it).
      return holdsBrand(type, branded) ? arrow([], ["(", literalDoc(valueJson(v, type)), ") as never"]) : group(["()", " =>", group([" (", literalDoc(valueJson(v, type)), ")"])]);
    case "duration":
      return jsonLiteral(v.ms);
    case "enumMember":
      return stringLiteral(v.member);
  }
}

/** A default value as plain JSON (for JSON Schema and initial states). */
export function valueJson(v: Value, type: TypeRefModel): unknown {
  switch (v.kind) {
    case "number":
      return type.kind === "scalar" && type.name === "decimal" ? v.text : v.value;
    case "string":
      return v.value;
    case "bool":
      return v.value;
    case "emptyList":
      return [];
    case "emptyObject":
      return type.kind === "type" ? defaultsOf(type.decl.fields) : {};
    case "duration":
      return v.ms;
    case "enumMember":
      return v.member;
  }
}

/** A value type's value built from its fields' defaults (the checker made sure each required field has one). */
function defaultsOf(fields: readonly FieldModel[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.defaultValue) out[f.name] = valueJson(f.defaultValue, f.type);
  return out;
}
