/**
 * Where personal data sits, as data for the runtime's redaction: per message (and per event
 * version — an old version keeps its `@pii` fields under their old names) the `@pii` fields and
 * the fields holding value types with personal data inside; per such value type the same.
 */
import type { FieldModel, Model, TypeRefModel } from "@eda/language";
import { stringLiteral } from "../escape.js";
import { array } from "../print/ts.js";
import { docProp, objectProp, type PropNode } from "../print/object-lines.js";

/** A redaction plan: `@pii` fields, and `[field, type, shape]` for nested value types. */
export interface RedactPlan {
  readonly pii: readonly string[];
  readonly nested: readonly (readonly [string, string, "one" | "list" | "map"])[];
}

function named(t: TypeRefModel): { key: string; shape: "one" | "list" | "map" } | undefined {
  if (t.kind === "type") return { key: t.decl.qualifiedName, shape: "one" };
  if (t.kind === "list" && t.element.kind === "type") return { key: t.element.decl.qualifiedName, shape: "list" };
  if (t.kind === "map" && t.value.kind === "type") return { key: t.value.decl.qualifiedName, shape: "map" };
  return undefined;
}

/** The plans of every value type that (transitively) holds personal data, by qualified name. */
export function typePlans(model: Model): Map<string, RedactPlan> {
  const fieldsOf = new Map<string, readonly FieldModel[]>();
  for (const c of model.contexts) for (const t of c.types) fieldsOf.set(t.qualifiedName, t.fields);
  const result = new Map<string, RedactPlan>();
  const visiting = new Set<string>();
  const holds = (key: string): boolean => {
    if (result.has(key)) return true;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const plan = planWith(fieldsOf.get(key) ?? [], holds);
    visiting.delete(key);
    if (plan === undefined) return false;
    result.set(key, plan);
    return true;
  };
  for (const key of fieldsOf.keys()) holds(key);
  return new Map([...result].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The plan of a message's fields, or undefined when it holds no personal data. */
export function planOf(fields: readonly FieldModel[], types: ReadonlyMap<string, RedactPlan>): RedactPlan | undefined {
  return planWith(fields, (key) => types.has(key));
}

function planWith(fields: readonly FieldModel[], holds: (key: string) => boolean): RedactPlan | undefined {
  const pii: string[] = [];
  const nested: [string, string, "one" | "list" | "map"][] = [];
  for (const f of fields) {
    if (f.pii) pii.push(f.name);
    else {
      const n = named(f.type);
      if (n && holds(n.key)) nested.push([f.name, n.key, n.shape]);
    }
  }
  return pii.length === 0 && nested.length === 0 ? undefined : { pii, nested };
}

/** `key: { pii: […], nested: […] }`, as data for the runtime's redaction. */
export function planProp(key: string, plan: RedactPlan): PropNode {
  const pii = plan.pii.map(stringLiteral);
  const tuples = plan.nested.map((t) => t.map(stringLiteral));
  const props: PropNode[] = [];
  if (pii.length > 0) props.push(docProp("pii", `[${pii.join(", ")}]`, array(pii)));
  // Prettier always breaks an array of two or more arrays of two or more elements.
  const broken = tuples.length > 1;
  if (tuples.length > 0) props.push(docProp("nested", broken ? undefined : `[${tuples.map((t) => `[${t.join(", ")}]`).join(", ")}]`, array(tuples.map((t) => array(t)), broken)));
  return objectProp(key, props);
}
