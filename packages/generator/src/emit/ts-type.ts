/**
 * A field's TypeScript type, written out: exactly what Zod infers from the schema `zod-expr.ts`
 * builds for it (its output type), so that a generated interface can stand for the schema and
 * consumers never infer through Zod's chains. Built as a type of `print/ts-types.ts`, so the
 * printer lays the interface member out as Prettier does.
 */
import type { FieldModel, TypeRefModel } from "@eda/language";
import { propertyKey, stringLiteral } from "../escape.js";
import { indexSignature, text, union, type Member, type TsType } from "../print/ts-types.js";
import { BRANDS } from "../brands.js";
import type { RefName } from "./zod-expr.js";

/** What a type needs to know of its module: the names of referenced declarations, and whether scalars are branded. */
export interface TypeContext {
  readonly ref: RefName;
  readonly branded: boolean;
}

const SCALAR_TYPES: Record<string, string> = {
  int: "number",
  float: "number",
  duration: "number",
  bool: "boolean",
  json: "z.util.JSONType",
};

/** A type as the members of a union (one member for a type that is not one). */
type Members = readonly TsType[];

/** Zod's output type of a type reference; list elements and map values branded as `typeExpr` brands them. */
function typeOf(t: TypeRefModel, cx: TypeContext): Members {
  switch (t.kind) {
    case "scalar":
      return [SCALAR_TYPES[t.name] ?? "string"];
    case "type":
    case "enum":
      return [cx.ref(t)];
    case "list":
      return [text(`${operand(branded(typeOf(t.element, cx), t.element, cx.branded))}[]`)];
    case "map":
      return [indexSignature("[key: string]", union(branded(typeOf(t.value, cx), t.value, cx.branded)))];
    case "unresolved":
      return ["never"];
  }
}

/** `T & z.$brand<"Uuid">` for a scalar branded in this generation. */
function branded(type: Members, t: TypeRefModel, on: boolean): Members {
  const b = on && t.kind === "scalar" ? BRANDS[t.name] : undefined;
  return b ? [{ kind: "text", text: `${operand(type)} & z.$brand<${stringLiteral(b.brand)}>`, and: true }] : type;
}

/** A type as the operand of `[]` or `&`, on one line: parenthesized when it is a union or an intersection. */
function operand(type: Members): string {
  const flat = flatText(type);
  return type.length > 1 || isIntersection(type[0]) ? `(${flat})` : flat;
}

function isIntersection(t: TsType | undefined): boolean {
  return typeof t === "object" && t.kind === "text" && t.and === true;
}

/** A union's text on one line (operands of `[]` and `&` are never broken). */
function flatText(type: Members): string {
  return type.map((m) => memberText(m, type.length > 1)).join(" | ");
}

function memberText(m: TsType, inUnion: boolean): string {
  if (typeof m === "string") return m;
  if (m.kind === "text") return inUnion && m.and === true ? `(${m.text})` : m.text;
  if (m.kind === "index") return `{ ${m.key}: ${flatText(typeof m.value === "object" && m.value.kind === "union" ? m.value.members : [m.value])} }`;
  throw new Error(`a field type has no member of kind ${m.kind}`);
}

/** An intersection inside a union is parenthesized. */
function unionMember(m: TsType, inUnion: boolean): TsType {
  return inUnion && isIntersection(m) ? text(`(${(m as { text: string }).text})`) : m;
}

/**
 * A field's type as Zod infers it, as the members of a union: the forgotten placeholder of a
 * `@pii(subject)` field, then the brand (after a default, before `.optional()`), then
 * `undefined` when optional.
 */
function fieldMembers(f: FieldModel, cx: TypeContext): { readonly optional: boolean; readonly members: Members } {
  let type = typeOf(f.type, cx);
  if (f.piiSubject !== undefined && !f.optional && f.defaultValue === undefined) type = [...type, stringLiteral("[forgotten]")];
  type = branded(type, f.type, cx.branded);
  const optional = f.optional && f.defaultValue === undefined;
  return { optional, members: optional ? [...type, "undefined"] : type };
}

/** A field's type as Zod infers it (see `fieldMembers`). */
export function fieldType(f: FieldModel, cx: TypeContext): { readonly optional: boolean; readonly type: TsType } {
  const { optional, members } = fieldMembers(f, cx);
  return { optional, type: union(members.map((m) => unionMember(m, members.length > 1))) };
}

/** `fieldType` as the printer writes it on one line: what an interface member holds when it fits. */
export function fieldTypeText(f: FieldModel, cx: TypeContext): { readonly optional: boolean; readonly text: string } {
  const { optional, members } = fieldMembers(f, cx);
  return { optional, text: flatText(members) };
}

/** A field as an interface member, `key?: T` with the field's doc lines (mutable, as Zod infers it). */
export function fieldMember(f: FieldModel, cx: TypeContext, doc: readonly string[]): Member {
  const { optional, type } = fieldType(f, cx);
  return { key: `${propertyKey(f.name)}${optional ? "?" : ""}`, type, doc, mutable: true };
}
