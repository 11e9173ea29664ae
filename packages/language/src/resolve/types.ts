/** Type references: resolution and display. */
import { pathText, type TypeRef } from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import { BUILTIN_TYPES, type BuiltinType } from "../syntax/tokens.js";
import type { TypeRefModel } from "./model.js";
import { closest } from "./suggest.js";
import type { BuiltinHint, Scope, SymbolTable } from "./symbols.js";

const BUILTINS = new Set<string>(BUILTIN_TYPES);

/** Resolves a written type to the Model's type reference. */
export function resolveTypeRef(ref: TypeRef, table: SymbolTable, scope: Scope, out: Diagnostic[]): TypeRefModel {
  if (ref.kind === "ListTypeRef") return { kind: "list", element: resolveTypeRef(ref.element, table, scope, out) };
  const single = ref.name.parts.length === 1 ? (ref.name.parts[0] as { name: string }).name : undefined;
  if (single !== undefined && ref.args.length === 0 && BUILTINS.has(single)) return { kind: "scalar", name: single as BuiltinType };
  const text = single ?? pathText(ref.name);
  if (text === "map") {
    const [key, value, ...extra] = ref.args;
    if (!key || !value || extra.length > 0) {
      out.push(report("EDA2012", ref.span, { count: ref.args.length }, { variant: "mapArity" }));
      return { kind: "unresolved", text };
    }
    if (!(key.kind === "NamedTypeRef" && pathText(key.name) === "string" && key.args.length === 0)) {
      out.push(report("EDA2012", key.span, {}, { variant: "mapKey" }));
    }
    return { kind: "map", value: resolveTypeRef(value, table, scope, out) };
  }
  if (LIST_WORDS.has(text) && ref.args.length === 1) {
    const element = ref.args[0] as TypeRef;
    out.push(report("EDA2012", ref.span, { type: text, element: typeRefText(element) }, { variant: "listWord" }));
    return { kind: "list", element: resolveTypeRef(element, table, scope, out) };
  }
  if (ref.args.length > 0) {
    out.push(report("EDA2012", ref.span, { type: text }));
  }
  if (ref.name.parts.length === 1 && BUILTINS.has(text)) return { kind: "scalar", name: text as BuiltinType };
  const sym = table.lookup(scope, ref.name, { expected: ["type", "enum"], role: "as a field type", builtin: builtinHint }, out);
  if (sym?.model?.kind === "type") return { kind: "type", decl: sym.model };
  if (sym?.model?.kind === "enum") return { kind: "enum", decl: sym.model };
  return { kind: "unresolved", text };
}

/** Generic list spellings of other languages: `Array<string>` is `string[]` here. */
const LIST_WORDS = new Set(["Array", "List", "list", "array", "ReadonlyArray", "Set", "set"]);

/** Other languages' names for the built-in types. */
const BUILTIN_ALIASES: Record<string, string> = {
  boolean: "bool",
  Boolean: "bool",
  integer: "int",
  Integer: "int",
  long: "int",
  Long: "int",
  number: "int` or `float",
  Number: "int` or `float",
  double: "float",
  Double: "float",
  text: "string",
  String: "string",
  datetime: "timestamp",
  DateTime: "timestamp",
  Date: "date",
  guid: "uuid",
  Guid: "uuid",
  UUID: "uuid",
  uri: "url",
  object: "json",
  any: "json",
};

/** The hint for an unknown type name that looks like a built-in type. A close declaration wins over a close built-in. */
function builtinHint(name: string, userGuess: string | undefined): BuiltinHint | undefined {
  const alias = BUILTIN_ALIASES[name];
  if (alias) return { hint: "builtinAlias", alias };
  if (userGuess !== undefined) return undefined;
  const guess = closest(name, BUILTIN_TYPES);
  if (guess) return { hint: "builtinGuess", guess };
  // A misspelt alias (`integr`, `boolen`) is a misspelt built-in type too, when it names one.
  const near = closest(name, Object.keys(BUILTIN_ALIASES));
  const target = near === undefined ? undefined : BUILTIN_ALIASES[near];
  return target !== undefined && !target.includes("`") ? { hint: "builtinGuess", guess: target } : undefined;
}

/** A written type as source text, for hints. */
function typeRefText(ref: TypeRef): string {
  if (ref.kind === "ListTypeRef") return `${typeRefText(ref.element)}[]`;
  const args = ref.args.length > 0 ? `<${ref.args.map(typeRefText).join(", ")}>` : "";
  return `${pathText(ref.name)}${args}`;
}

/** How a type reads in messages: `int`, `OrderLine[]`, `map<string, Shared.Money>`. */
export function typeText(t: TypeRefModel): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "list":
      return `${typeText(t.element)}[]`;
    case "map":
      return `map<string, ${typeText(t.value)}>`;
    case "type":
    case "enum":
      return t.decl.qualifiedName;
    case "unresolved":
      return t.text;
  }
}

/** Structural equality of two type references (declarations compared by identity). */
export function sameType(a: TypeRefModel, b: TypeRefModel): boolean {
  if (a.kind === "unresolved" || b.kind === "unresolved") return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "scalar":
      return a.name === (b as typeof a).name;
    case "list":
      return sameType(a.element, (b as typeof a).element);
    case "map":
      return sameType(a.value, (b as typeof a).value);
    case "type":
    case "enum":
      return a.decl === (b as typeof a).decl;
  }
}

const STRING_LIKE = new Set(["string", "email", "url", "uuid"]);

/** True when a value of type `from` may fill a field of type `to` without conversion. */
export function assignable(from: TypeRefModel, to: TypeRefModel): boolean {
  if (sameType(from, to)) return true;
  if (from.kind === "scalar" && to.kind === "scalar") {
    if (to.name === "string" && STRING_LIKE.has(from.name)) return true;
    if ((to.name === "float" || to.name === "decimal") && from.name === "int") return true;
    if (to.name === "json") return true;
  }
  if (to.kind === "scalar" && to.name === "json") return true;
  if (from.kind === "list" && to.kind === "list") return assignable(from.element, to.element);
  if (from.kind === "map" && to.kind === "map") return assignable(from.value, to.value);
  return false;
}
