/** Literals checked against the type they fill, giving Model values. */
import { pathText, type Literal } from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { TypeRefModel, Value } from "./model.js";
import { typeText } from "./types.js";

// The same rules as the generated Zod schemas (z.uuid, z.email, z.iso.date, z.iso.datetime), so
// that a default the checker accepts is one the generated code accepts too.
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const EMAIL = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
/** Decimals travel as strings in plain notation. */
export const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A real calendar day (no 30 February). */
function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isUrl(s: string): boolean {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

const STRING_FORMATS: Record<string, { test: (s: string) => boolean; example: string }> = {
  string: { test: () => true, example: '"text"' },
  uuid: { test: (s) => UUID.test(s), example: '"3f2b5c1e-9a4d-4c2e-8f00-1b2c3d4e5f60"' },
  email: { test: (s) => EMAIL.test(s), example: '"someone@example.com"' },
  url: { test: isUrl, example: '"https://example.com"' },
  date: { test: (s) => DATE.test(s) && isCalendarDate(s), example: '"2026-01-15"' },
  timestamp: { test: (s) => TIMESTAMP.test(s) && isCalendarDate(s), example: '"2026-01-15T09:30:00Z"' },
  decimal: { test: (s) => DECIMAL.test(s), example: '"12.50"' },
};

/** Converts a literal into a value of `type`, or reports why it cannot fill it. */
export function literalValue(lit: Literal, type: TypeRefModel, out: Diagnostic[], code: "EDA2101" | "EDA5003" = "EDA2101"): Value | undefined {
  const v = lit.value;
  const shown = literalText(lit);
  const fail = (variant: "decimalNotation" | "notWhole" | "format", data: { readonly format?: string; readonly example?: string } = {}): undefined => {
    out.push(report(code, lit.span, { literal: shown, format: "", example: "", ...data }, { variant }));
    return undefined;
  };
  if (type.kind === "unresolved") return undefined;
  if (type.kind === "scalar" && type.name === "json") return jsonValue(lit);
  switch (v.type) {
    case "number":
      if (type.kind === "scalar" && type.name === "decimal") {
        return DECIMAL.test(v.text) ? { kind: "number", value: v.value, text: v.text } : fail("decimalNotation");
      }
      if (type.kind === "scalar" && type.name === "float") return { kind: "number", value: v.value, text: v.text };
      if (type.kind === "scalar" && type.name === "int") {
        return Number.isInteger(v.value) ? { kind: "number", value: v.value, text: v.text } : fail("notWhole");
      }
      break;
    case "string": {
      const fmt = type.kind === "scalar" ? STRING_FORMATS[type.name] : undefined;
      if (fmt && type.kind === "scalar") {
        return fmt.test(v.value) ? { kind: "string", value: v.value } : fail("format", { format: type.name, example: fmt.example });
      }
      break;
    }
    case "bool":
      if (type.kind === "scalar" && type.name === "bool") return { kind: "bool", value: v.value };
      break;
    case "duration":
      if (type.kind === "scalar" && type.name === "duration") return { kind: "duration", ms: v.ms, text: v.text };
      break;
    case "emptyList":
      if (type.kind === "list") return { kind: "emptyList" };
      break;
    case "emptyObject":
      // Whether every field of a value type has a default is checked once all types are filled (check/defaults.ts).
      if (type.kind === "map" || type.kind === "type") return { kind: "emptyObject" };
      break;
    case "path":
      if (type.kind === "enum") return enumValue(lit, v.path.parts.map((p) => p.name), type, out, code);
      break;
  }
  const { hint, ...data } = hintFor(type);
  out.push(report(code, lit.span, { literal: shown, literalKind: describeLiteral(lit), type: typeText(type), enum: "", example: "", ...data }, { hint }));
  return undefined;
}

function enumValue(lit: Literal, parts: string[], type: Extract<TypeRefModel, { kind: "enum" }>, out: Diagnostic[], code: "EDA2101" | "EDA5003"): Value | undefined {
  const member = parts[parts.length - 1] as string;
  const prefix = parts.slice(0, -1).join(".");
  const decl = type.decl;
  const prefixOk = prefix === "" || prefix === decl.name || prefix === decl.qualifiedName;
  if (prefixOk && decl.members.some((m) => m.name === member)) return { kind: "enumMember", decl, member };
  const members = decl.members.map((m) => `\`${m.name}\``).join(", ");
  out.push(report(code, lit.span, { member: prefixOk ? member : parts.join("."), enum: decl.name, members }, { variant: "notMember" }));
  return undefined;
}

function jsonValue(lit: Literal): Value | undefined {
  const v = lit.value;
  switch (v.type) {
    case "number":
      return { kind: "number", value: v.value, text: v.text };
    case "string":
      return { kind: "string", value: v.value };
    case "bool":
      return { kind: "bool", value: v.value };
    case "emptyList":
      return { kind: "emptyList" };
    case "emptyObject":
      return { kind: "emptyObject" };
    default:
      return undefined;
  }
}

/** The hint for a literal of the wrong kind, by the field's type. */
function hintFor(type: TypeRefModel): LiteralHint {
  if (type.kind === "list") return { hint: "list" };
  if (type.kind === "enum") return { hint: "enum", enum: type.decl.name };
  if (type.kind === "map") return { hint: "map" };
  if (type.kind === "type") return { hint: "valueType" };
  if (type.kind === "scalar") {
    const fmt = STRING_FORMATS[type.name];
    if (fmt) return { hint: "format", example: fmt.example };
    if (type.name === "int" || type.name === "float") return { hint: "number" };
    if (type.name === "bool") return { hint: "bool" };
    if (type.name === "duration") return { hint: "duration" };
  }
  return { hint: "default" };
}

type LiteralHint =
  | { readonly hint: "list" | "map" | "valueType" | "number" | "bool" | "duration" | "default" }
  | { readonly hint: "enum"; readonly enum: string }
  | { readonly hint: "format"; readonly example: string };

/** The source text of a literal. */
export function literalText(lit: Literal): string {
  const v = lit.value;
  switch (v.type) {
    case "number":
    case "string":
    case "duration":
      return v.text;
    case "bool":
      return String(v.value);
    case "emptyList":
      return "[]";
    case "emptyObject":
      return "{}";
    case "path":
      return pathText(v.path);
  }
}

function describeLiteral(lit: Literal): string {
  switch (lit.value.type) {
    case "number":
      return "a number";
    case "string":
      return "a string";
    case "bool":
      return "a boolean";
    case "duration":
      return "a duration";
    case "emptyList":
      return "an empty list";
    case "emptyObject":
      return "an empty object";
    case "path":
      return "a name";
  }
}

/** A value as written in a model. */
export function valueText(v: Value): string {
  switch (v.kind) {
    case "number":
    case "duration":
      return v.text;
    case "string":
      return JSON.stringify(v.value);
    case "bool":
      return String(v.value);
    case "emptyList":
      return "[]";
    case "emptyObject":
      return "{}";
    case "enumMember":
      return v.member;
  }
}
