/**
 * Redaction for logs and traces: every `@pii` field of a message, and of the value types inside
 * it, replaced by a marker. Table-driven: one plan per type that (transitively) holds personal data.
 */
import type { FieldModel, Model, TypeRefModel } from "@eda/language";
import { propertyKey, stringLiteral } from "../escape.js";
import { list, pad } from "../layout.js";

interface Plan {
  readonly pii: string[];
  readonly nested: [string, string, "one" | "list" | "map"][];
}

function named(t: TypeRefModel): { key: string; shape: "one" | "list" | "map" } | undefined {
  if (t.kind === "type") return { key: t.decl.qualifiedName, shape: "one" };
  if (t.kind === "list" && t.element.kind === "type") return { key: t.element.decl.qualifiedName, shape: "list" };
  if (t.kind === "map" && t.value.kind === "type") return { key: t.value.decl.qualifiedName, shape: "map" };
  return undefined;
}

/** Plans for every type and message that holds personal data, keyed by qualified name. */
function plans(model: Model): { types: Map<string, Plan>; messages: Map<string, string> } {
  const fieldsOf = new Map<string, readonly FieldModel[]>();
  const messages = new Map<string, string>();
  for (const c of model.contexts) {
    for (const t of c.types) fieldsOf.set(t.qualifiedName, t.fields);
    for (const m of c.commands) {
      fieldsOf.set(m.qualifiedName, m.fields);
      messages.set(m.name, m.qualifiedName);
    }
    for (const e of c.events) {
      fieldsOf.set(e.qualifiedName, e.current.fields);
      messages.set(e.name, e.qualifiedName);
    }
  }
  const result = new Map<string, Plan>();
  const visiting = new Set<string>();
  const holds = (key: string): boolean => {
    if (result.has(key)) return true;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const plan: Plan = { pii: [], nested: [] };
    for (const f of fieldsOf.get(key) ?? []) {
      if (f.pii) plan.pii.push(f.name);
      else {
        const n = named(f.type);
        if (n && holds(n.key)) plan.nested.push([f.name, n.key, n.shape]);
      }
    }
    visiting.delete(key);
    if (plan.pii.length === 0 && plan.nested.length === 0) return false;
    result.set(key, plan);
    return true;
  };
  for (const key of fieldsOf.keys()) holds(key);
  for (const [name, key] of messages) if (!result.has(key)) messages.delete(name);
  return { types: result, messages };
}

/** The redaction table and `redact(type, data)`. */
export function redactBlocks(model: Model): string[][] {
  const { types, messages } = plans(model);
  const table = ["const REDACTIONS: Readonly<Record<string, RedactPlan>> = {"];
  for (const [key, plan] of [...types].sort(([a], [b]) => (a < b ? -1 : 1))) {
    table.push(`${pad(1)}${stringLiteral(key)}: {`);
    table.push(...list(2, "pii: ", "[", plan.pii.map(stringLiteral), "]", ","));
    if (plan.nested.length > 0) {
      table.push(`${pad(2)}nested: [`);
      for (const [field, type, shape] of plan.nested) table.push(...list(3, "", "[", [stringLiteral(field), stringLiteral(type), stringLiteral(shape)], "]", ","));
      table.push(`${pad(2)}],`);
    }
    table.push(`${pad(1)}},`);
  }
  table.push("};");
  const byMessage = ["const MESSAGE_REDACTIONS: Readonly<Record<string, string>> = {"];
  for (const [name, key] of [...messages].sort(([a], [b]) => (a < b ? -1 : 1))) byMessage.push(`${pad(1)}${propertyKey(name)}: ${stringLiteral(key)},`);
  byMessage.push("};");
  return [
    ['type RedactShape = "one" | "list" | "map";'],
    [
      "interface RedactPlan {",
      "  readonly pii: readonly string[];",
      '  readonly nested?: readonly (readonly [string, string, RedactShape])[];',
      "}",
    ],
    table.length === 2 ? ["const REDACTIONS: Readonly<Record<string, RedactPlan>> = {};"] : table,
    byMessage.length === 2 ? ["const MESSAGE_REDACTIONS: Readonly<Record<string, string>> = {};"] : byMessage,
    ['/** What a redacted field reads in logs. */', 'export const REDACTED = "[redacted]";'],
    [
      "function redactWith(plan: RedactPlan, value: unknown): unknown {",
      '  if (typeof value !== "object" || value === null) return value;',
      "  const out: Record<string, unknown> = {",
      "    ...(value as Record<string, unknown>),",
      "  };",
      "  for (const field of plan.pii) if (field in out) out[field] = REDACTED;",
      "  for (const [field, type, shape] of plan.nested ?? []) {",
      "    const inner = REDACTIONS[type];",
      "    const v = out[field];",
      "    if (!inner || v === undefined || v === null) continue;",
      '    if (shape === "one") out[field] = redactWith(inner, v);',
      "    else if (Array.isArray(v)) out[field] = v.map((x) => redactWith(inner, x));",
      '    else if (typeof v === "object") {',
      "      const entries = Object.entries(v);",
      "      out[field] = Object.fromEntries(",
      "        entries.map(([k, x]) => [k, redactWith(inner, x)]),",
      "      );",
      "    }",
      "  }",
      "  return out;",
      "}",
    ],
    [
      "/** A copy of a message's data with every `@pii` field replaced, for logs and traces. */",
      "export function redact(type: string, data: unknown): unknown {",
      "  const key = MESSAGE_REDACTIONS[type];",
      "  const plan = key === undefined ? undefined : REDACTIONS[key];",
      "  return plan ? redactWith(plan, data) : data;",
      "}",
    ],
  ];
}
