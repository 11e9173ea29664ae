/** Fields: types, decorators (constraints, @pii, @deprecated) and defaults. */
import type * as A from "../ast/nodes.js";
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import { DECORATORS, type DecoratorName } from "../syntax/tokens.js";
import type { Constraints, FieldModel, TypeRefModel, Value } from "./model.js";
import { closest } from "./suggest.js";
import type { Scope, SymbolTable } from "./symbols.js";
import { resolveTypeRef, typeText } from "./types.js";
import { literalValue } from "./values.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Resolves a list of fields, reporting duplicates. */
export function resolveFields(fields: readonly A.Field[], table: SymbolTable, scope: Scope, out: Diagnostic[]): FieldModel[] {
  const seen = new Map<string, A.Field>();
  const result: FieldModel[] = [];
  for (const f of fields) {
    const first = seen.get(f.name.name);
    if (first) {
      out.push(
        report("EDA2004", f.name.span, { field: f.name.name }, { labels: [label(first.name.span, "firstDeclared")] }),
      );
      continue;
    }
    seen.set(f.name.name, f);
    result.push(resolveField(f, table, scope, out));
  }
  return result;
}

/** Resolves one field. */
export function resolveField(f: A.Field, table: SymbolTable, scope: Scope, out: Diagnostic[]): FieldModel {
  const type = resolveTypeRef(f.type, table, scope, out);
  const field: Mutable<FieldModel> = { name: f.name.name, optional: f.optional, type, constraints: {}, pii: false, span: f.span, typeSpan: f.type.span };
  if (f.doc) field.doc = f.doc.text;
  applyDecorators(field, f.decorators, out);
  if (f.defaultValue) {
    const value = literalValue(f.defaultValue, type, out);
    if (value) {
      field.defaultValue = value;
      checkDefaultAgainstConstraints(value, field.constraints, f.defaultValue.span, out);
    }
  }
  return field;
}

type Applies = "number" | "string" | "list" | "any";
const APPLIES: Record<DecoratorName, Applies> = {
  min: "number",
  max: "number",
  minLength: "string",
  maxLength: "string",
  pattern: "string",
  minItems: "list",
  maxItems: "list",
  pii: "any",
  deprecated: "any",
};

function category(t: TypeRefModel): Applies | "other" {
  if (t.kind === "list") return "list";
  if (t.kind === "scalar") {
    if (t.name === "int" || t.name === "float" || t.name === "decimal") return "number";
    if (t.name === "string" || t.name === "email" || t.name === "url") return "string";
  }
  return "other";
}

const NO_CONSTRAINTS: Constraints = Object.freeze({});

function applyDecorators(field: Mutable<FieldModel>, decorators: readonly A.Decorator[], out: Diagnostic[]): void {
  // Most fields have no decorator: skip the bookkeeping (resolution runs on every keystroke in an editor).
  if (decorators.length === 0) {
    field.constraints = NO_CONSTRAINTS;
    return;
  }
  const seen = new Map<string, A.Decorator>();
  const constraints: Mutable<Constraints> = {};
  for (const d of decorators) {
    const name = d.name.name;
    if (!(name in DECORATORS)) {
      const guess = closest(name, Object.keys(DECORATORS));
      const decorators = Object.keys(DECORATORS).map((k) => `\`@${k}\``).join(", ");
      out.push(report("EDA2102", d.span, guess ? { name, guess } : { name, decorators }, { hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: d.name.span, replacement: guess } }));
      continue;
    }
    const first = seen.get(name);
    if (first) {
      out.push(report("EDA2107", d.span, { name }, { labels: [label(first.span, "firstWritten")] }));
      continue;
    }
    seen.set(name, d);
    const dec = name as DecoratorName;
    const applies = APPLIES[dec];
    if (applies !== "any" && category(field.type) !== applies && field.type.kind !== "unresolved") {
      const kinds = { number: "numbers (`int`, `float`, `decimal`)", string: "strings (`string`, `email`, `url`)", list: "lists" }[applies];
      out.push(report("EDA2103", d.span, { name, kinds, type: typeText(field.type) }));
      continue;
    }
    applyOne(dec, d, field, constraints, out);
  }
  checkBounds(constraints, decorators, out);
  field.constraints = constraints;
}

function applyOne(dec: DecoratorName, d: A.Decorator, field: Mutable<FieldModel>, c: Mutable<Constraints>, out: Diagnostic[]): void {
  const bad = (variant: "pii" | "deprecated" | "pattern"): void => void out.push(report("EDA2104", d.span, {}, { variant }));
  const badNumber = (variant: "number" | "count" | "intBound", value: string, rounded = 0): void => void out.push(report("EDA2104", d.span, { name: dec, value, rounded }, { variant }));
  const arg = d.args[0]?.value;
  if (dec === "pii") {
    const subject = arg?.type === "path" && arg.path.parts.length === 1 ? arg.path.parts[0] : undefined;
    if (d.args.length > 1 || (arg !== undefined && subject === undefined)) {
      return bad("pii");
    }
    field.pii = true;
    if (subject !== undefined) {
      field.piiSubject = subject.name;
      field.piiSpan = d.span;
    }
    return;
  }
  if (dec === "deprecated") {
    if (d.args.length > 1 || (arg && arg.type !== "string")) return bad("deprecated");
    field.deprecated = arg?.type === "string" ? arg.value : "";
    return;
  }
  if (d.args.length !== 1 || !arg) return void out.push(report("EDA2104", d.span, { name: dec, example: dec === "pattern" ? '"^[A-Z]+$"' : "1" }));
  if (dec === "pattern") {
    if (arg.type !== "string") return bad("pattern");
    try {
      new RegExp(arg.value, "u");
    } catch (e) {
      out.push(report("EDA2105", d.args[0]?.span ?? d.span, { reason: (e as Error).message.replace(/^Invalid regular expression: /, "") }));
      return;
    }
    c.pattern = arg.value;
    return;
  }
  if (arg.type !== "number") return badNumber("number", "");
  const needsCount = dec !== "min" && dec !== "max";
  if (needsCount && (!Number.isInteger(arg.value) || arg.value < 0)) return badNumber("count", arg.text);
  if (!needsCount && field.type.kind === "scalar" && field.type.name === "int" && !Number.isInteger(arg.value)) {
    return badNumber("intBound", arg.text, Math.round(arg.value));
  }
  c[dec] = arg.value;
}

const BOUNDS: readonly (readonly [keyof Constraints, keyof Constraints])[] = [
  ["min", "max"],
  ["minLength", "maxLength"],
  ["minItems", "maxItems"],
];

function checkBounds(c: Constraints, decorators: readonly A.Decorator[], out: Diagnostic[]): void {
  for (const [lo, hi] of BOUNDS) {
    const l = c[lo];
    const h = c[hi];
    if (typeof l === "number" && typeof h === "number" && l > h) {
      const span = decorators.find((d) => d.name.name === hi)?.span ?? decorators[0]?.span;
      if (span) out.push(report("EDA2106", span, { hi, high: h, lo, low: l }));
    }
  }
}

/** Reports a literal that its field's constraints would reject. */
export function checkDefaultAgainstConstraints(v: Value, c: Constraints, span: A.Literal["span"], out: Diagnostic[]): void {
  const fail = (variant: "default" | "aboveMax" | "shorter" | "longer" | "pattern" | "fewerItems", bound: number, value = ""): void => void out.push(report("EDA2108", span, { value, bound }, { variant }));
  if (v.kind === "number") {
    if (c.min !== undefined && v.value < c.min) fail("default", c.min, v.text);
    if (c.max !== undefined && v.value > c.max) fail("aboveMax", c.max, v.text);
  } else if (v.kind === "string") {
    const len = v.value.length;
    if (c.minLength !== undefined && len < c.minLength) fail("shorter", c.minLength);
    if (c.maxLength !== undefined && len > c.maxLength) fail("longer", c.maxLength);
    if (c.pattern !== undefined && !new RegExp(c.pattern, "u").test(v.value)) fail("pattern", 0);
  } else if (v.kind === "emptyList" && c.minItems !== undefined && c.minItems > 0) {
    fail("fewerItems", c.minItems);
  }
}
