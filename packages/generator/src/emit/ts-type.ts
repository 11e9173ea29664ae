/**
 * A field's TypeScript type, written out: exactly what Zod infers from the schema `zod-expr.ts`
 * builds for it (its output type), so that a generated interface can stand for the schema and
 * consumers never infer through Zod's chains. Laid out as Prettier lays out an interface member.
 */
import type { FieldModel, TypeRefModel } from "@eda/language";
import { stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import { BRANDS } from "../brands.js";
import type { RefName } from "./zod-expr.js";

/**
 * A type as a union of members; a member is flat text, an intersection (`string & z.$brand<…>`,
 * parenthesized among other members) or a map (`{ [key: string]: V }`, which a layout may break).
 */
type Member = string | { readonly and: string } | { readonly map: TsType };
export type TsType = readonly Member[];

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

/** Zod's output type of a type reference; list elements and map values branded as `typeExpr` brands them. */
function typeOf(t: TypeRefModel, cx: TypeContext): TsType {
  switch (t.kind) {
    case "scalar":
      return [SCALAR_TYPES[t.name] ?? "string"];
    case "type":
    case "enum":
      return [cx.ref(t)];
    case "list":
      return [`${operand(branded(typeOf(t.element, cx), t.element, cx.branded))}[]`];
    case "map":
      return [{ map: branded(typeOf(t.value, cx), t.value, cx.branded) }];
    case "unresolved":
      return ["never"];
  }
}

/** `T & z.$brand<"Uuid">` for a scalar branded in this generation. */
function branded(type: TsType, t: TypeRefModel, on: boolean): TsType {
  const b = on && t.kind === "scalar" ? BRANDS[t.name] : undefined;
  return b ? [{ and: `${operand(type)} & z.$brand<${stringLiteral(b.brand)}>` }] : type;
}

/** A type as the operand of `[]` or `&`: parenthesized when it is a union or an intersection. */
function operand(type: TsType): string {
  const text = flat(type);
  return type.length > 1 || (typeof type[0] === "object" && "and" in type[0]) ? `(${text})` : text;
}

function flat(type: TsType): string {
  return type.map((m) => memberText(m, type.length > 1)).join(" | ");
}

function memberText(m: Member, inUnion: boolean): string {
  if (typeof m === "string") return m;
  if ("and" in m) return inUnion ? `(${m.and})` : m.and;
  return `{ [key: string]: ${flat(m.map)} }`;
}

/**
 * A field's type as Zod infers it: the forgotten placeholder of a `@pii(subject)` field, then the
 * brand (after a default, before `.optional()`), then `| undefined` when optional.
 */
export function fieldType(f: FieldModel, cx: TypeContext): { readonly optional: boolean; readonly type: TsType } {
  let type = typeOf(f.type, cx);
  if (f.piiSubject !== undefined && !f.optional && f.defaultValue === undefined) type = [...type, stringLiteral("[forgotten]")];
  type = branded(type, f.type, cx.branded);
  const optional = f.optional && f.defaultValue === undefined;
  return { optional, type: optional ? [...type, "undefined"] : type };
}

/** An interface member `key: T;` as Prettier lays it out: one line; else a union one member per line; else a map broken. */
export function memberLines(depth: number, key: string, type: TsType): string[] {
  const one = `${pad(depth)}${key}: ${flat(type)};`;
  if (one.length <= WIDTH) return [one];
  const only = type.length === 1 ? type[0] : undefined;
  if (only !== undefined) return typeof only === "object" && "map" in only ? mapLines(depth, `${key}: `, only.map, ";") : [one];
  return [`${pad(depth)}${key}:`, ...type.map((m, i) => unionMemberLines(depth + 1, m, i === type.length - 1 ? ";" : ""))].flat();
}

/** `| member` of a broken union; a map that does not fit is broken inside, its members two columns further in. */
function unionMemberLines(depth: number, m: Member, suffix: string): string[] {
  const one = `${pad(depth)}| ${memberText(m, true)}${suffix}`;
  if (one.length <= WIDTH || typeof m === "string" || "and" in m) return [one];
  return mapLines(depth, "| ", m.map, suffix, "  ");
}

function mapLines(depth: number, prefix: string, value: TsType, suffix: string, shift = ""): string[] {
  const inner = memberLines(depth + 1, "[key: string]", value).map((l) => shift + l);
  return [`${pad(depth)}${prefix}{`, ...inner, `${pad(depth)}${shift}}${suffix}`];
}
