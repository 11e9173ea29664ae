/**
 * The imports of each generated module, decided from what the module will contain (the Model's
 * declarations), never from its text.
 */
import type { AggregateModel, FieldModel, ServiceModel, TypeRefModel } from "@eda/language";
import type { GenImport, GenImportName } from "./gen-model.js";

/** `import { a, type B, c as d } from "from"` (each name written as in the source); `typeOnly` for `import type`. */
export function named(from: string, names: readonly string[], typeOnly = false): GenImport {
  return { from, typeOnly, names: names.map(importName) };
}

function importName(text: string): GenImportName {
  const typeOnly = text.startsWith("type ");
  const [name, alias] = (typeOnly ? text.slice(5) : text).split(" as ") as [string, string | undefined];
  return alias === undefined ? { name, typeOnly } : { name, alias, typeOnly };
}

/** `import * as alias from "from"` (`import type * as` when `typeOnly`). */
export function namespace(from: string, alias: string, typeOnly = false): GenImport {
  return { from, typeOnly, namespace: alias, names: [] };
}

/** Whether a type reference holds a `decimal` (its schema uses `DECIMAL`). */
function hasDecimal(t: TypeRefModel): boolean {
  return t.kind === "scalar" ? t.name === "decimal" : t.kind === "list" ? hasDecimal(t.element) : t.kind === "map" ? hasDecimal(t.value) : false;
}

/** The decimal helpers of `support.ts` that the schemas of these fields use. */
export function decimalHelpers(fields: readonly FieldModel[]): string[] {
  const decimals = fields.filter((f) => hasDecimal(f.type));
  // `zod-expr` writes `DECIMAL` for every decimal, and the bound helpers only on a decimal field itself.
  const own = decimals.filter((f) => f.type.kind === "scalar");
  return [
    ...(decimals.length > 0 ? ["DECIMAL"] : []),
    ...(own.some((f) => f.constraints.min !== undefined) ? ["decimalAtLeast"] : []),
    ...(own.some((f) => f.constraints.max !== undefined) ? ["decimalAtMost"] : []),
  ];
}

/** The contexts whose declarations the schemas of these fields refer to. */
export function referencedContexts(fields: readonly FieldModel[], into = new Set<string>()): Set<string> {
  const walk = (t: TypeRefModel): void => {
    if (t.kind === "type" || t.kind === "enum") into.add(t.decl.context);
    else if (t.kind === "list") walk(t.element);
    else if (t.kind === "map") walk(t.value);
  };
  for (const f of fields) walk(f.type);
  return into;
}

/** The schema modules a handler module refers to: by context, whether some reference is a value. */
export class SchemaUse {
  private readonly used = new Map<string, boolean>();

  /** Records type references (message and data types) to these contexts. */
  types(contexts: Iterable<string>): this {
    for (const c of contexts) if (!this.used.has(c)) this.used.set(c, false);
    return this;
  }

  /** Records the value references of these fields' schemas. */
  values(fields: readonly FieldModel[]): this {
    for (const c of referencedContexts(fields)) this.used.set(c, true);
    return this;
  }

  /** The namespace imports, the home context first, then the others by name. */
  imports(home: string, alias: (context: string) => string, from: (context: string) => string): GenImport[] {
    const others = [...this.used.keys()].filter((c) => c !== home).sort();
    const order = this.used.has(home) ? [home, ...others] : others;
    return order.map((c) => namespace(from(c), alias(c), !this.used.get(c)));
  }
}

/** Every field list of an aggregate's module whose schema is written there: state (or variants) and rejections. */
export function aggregateFields(a: AggregateModel): FieldModel[] {
  return [...(a.variants ? a.variants.flatMap((v) => v.fields) : a.state), ...a.rejections.flatMap((r) => r.fields)];
}

/** The field lists of a service's module: its rejections. */
export function serviceFields(s: ServiceModel): FieldModel[] {
  return s.rejections.flatMap((r) => r.fields);
}

/** The contexts of the messages a context's handlers name in types. */
export function messageContexts(owners: readonly (AggregateModel | ServiceModel)[]): string[] {
  return owners.flatMap((o) => o.handlers.flatMap((h) => [h.command.context, ...h.emits.map((e) => e.context)]));
}
