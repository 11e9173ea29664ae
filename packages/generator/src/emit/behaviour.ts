/**
 * Shared by the emitters of handler modules (aggregates, services, projections, test helpers):
 * references to the schemas of any context (every name from the GenModel), default values,
 * object literals and calls as Docs for the printer (`print/`), and the shapes behind snapshot
 * tags.
 */
import type { CommandModel, EventModel, FieldModel, Value } from "@eda/language";
import { identifier, propertyKey, regexLiteral, stringLiteral } from "../escape.js";
import type { Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { assign, object, property, type Access, type ValueKind } from "../print/ts.js";
import type { GenModule } from "../lower/gen-model.js";
import type { GenIndex } from "../lower/lookup.js";
import { objectBlock } from "./schema-blocks.js";
import { entryProp, objectStatementLines, valueProp, writeProps } from "../print/object-lines.js";
import { literalExpr, literalKind, type ExprContext } from "./zod-expr.js";

/**
 * References from a handler module to the schemas of any context, as `<Context>Schemas.Name`
 * (names and aliases from the GenModel), and the module's pattern constants.
 */
export class SchemaRefs {
  /** Contexts referred to, and whether some reference is a value (not only a type). */
  private readonly used = new Map<string, boolean>();
  private readonly patterns = new Map<string, string>();

  constructor(
    private readonly index: GenIndex,
    branded: boolean,
  ) {
    this.expr = { ref: (t) => this.qualify(t.decl.context, identifier(t.decl.name), true), pattern: (p) => this.pattern(p), branded };
  }

  private qualify(context: string, name: string, value = false): string {
    this.used.set(context, value || this.used.get(context) === true);
    return `${this.index.context(context).gen.aliases.schemas}.${name}`;
  }

  /** The data type of a command, or of an event's current version. */
  data(m: CommandModel | EventModel): string {
    return this.qualify(m.context, identifier(m.name));
  }

  /** The `{ type, data }` type of a command or event. */
  message(m: CommandModel | EventModel): string {
    return this.qualify(m.context, this.index.context(m.context).message(m.name));
  }

  /** Zod expressions for fields declared in the home context (state, rows). */
  readonly expr: ExprContext;

  private pattern(p: string): string {
    let name = this.patterns.get(p);
    if (!name) this.patterns.set(p, (name = `PATTERN_${this.patterns.size + 1}`));
    return name;
  }

  /**
   * Checks that the module's imports, decided by the lowering, cover every reference made here
   * (a namespace imported as a type only is not enough for a value): a miss is a bug.
   */
  checkImports(module: GenModule): void {
    for (const [context, value] of this.used) {
      const alias = this.index.context(context).gen.aliases.schemas;
      const found = module.imports.find((i) => i.namespace === alias);
      if (!found || (value && found.typeOnly)) throw new Error(`eda bug: ${module.path} refers to ${alias} but its imports do not cover it`);
    }
  }

  /** The `const PATTERN_n = …` lines the field expressions registered. */
  patternLines(): string[] {
    return [...this.patterns].map(([p, name]) => printDoc([assign(`const ${name}`, " =", regexLiteral(p)), ";"]));
  }
}

/** The interface and `z.object` schema of a state, row or rejection's fields. */
export function recordSchema(refs: SchemaRefs, name: string, doc: string, fields: readonly FieldModel[]): string[] {
  return objectBlock(name, doc, fields, refs.expr);
}

/** A default value as a TypeScript literal (the JSON the schema would produce). */
export function valueLiteral(v: Value, field: FieldModel, branded: boolean): Doc {
  return literalExpr(v, field.type, branded);
}

/** A property of an object literal: its key (already a property key), its value, what the value is. */
export type Entry = readonly [key: string, value: Doc, kind: ValueKind];

/** The entries of the declared defaults; optional fields without one stay absent. */
export function defaultEntries(fields: readonly FieldModel[], branded: boolean): Entry[] {
  return fields.filter((f) => f.defaultValue !== undefined).map((f) => [propertyKey(f.name), valueLiteral(f.defaultValue as Value, f, branded), literalKind(f.defaultValue as Value, f.type, branded)]);
}

/** `.name` or `["name"]`, for `member`. */
export function accessOf(name: string): Access {
  return { text: access(name), computed: propertyKey(name) !== name };
}

/** `.name` or `["name"]`. */
export function access(name: string): string {
  return propertyKey(name) === name ? `.${name}` : `[${stringLiteral(name)}]`;
}

/** Text safe inside a template literal. */
export function templateText(text: string): string {
  return text.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
}

/** An object literal, one property per line (Prettier keeps it expanded as written). */
export function objectDoc(entries: readonly Entry[]): Doc {
  return object(entries.map(([key, value, kind]) => property(key, value, kind)), true);
}

/** `left = { … };`: the object below `left =` when even `left = {` is too long. */
export function objectStatement(left: string, entries: readonly Entry[]): string[] {
  return objectStatementLines(
    left,
    entries.map(([key, value, kind]) => entryProp(key, value, kind)),
    () => assign(left, " =", objectDoc(entries)),
  );
}

/** `key: value,` at `depth` (a property of an object the template writes). */
export function propertyLines(depth: number, key: string, value: string, kind: ValueKind): string[] {
  const out: string[] = [];
  writeProps(out, depth, [valueProp(key, value, kind)]);
  return out;
}

/** FNV-1a over a string, as 8 hex digits: a short, stable fingerprint. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * The shape of a record as stored (field names, optionality, types, nested types expanded),
 * for snapshot tags: a change of shape gives a new tag, so older snapshots are ignored.
 */
export function shapeOf(fields: readonly FieldModel[], seen: ReadonlySet<string> = new Set()): string {
  return fields.map((f) => `${f.name}${f.optional ? "?" : ""}:${typeShape(f.type, seen)}`).join(",");
}

function typeShape(t: FieldModel["type"], seen: ReadonlySet<string>): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "list":
      return `${typeShape(t.element, seen)}[]`;
    case "map":
      return `map<${typeShape(t.value, seen)}>`;
    case "enum":
      return `${t.decl.qualifiedName}{${t.decl.members.map((m) => m.name).join("|")}}`;
    case "type":
      if (seen.has(t.decl.qualifiedName)) return t.decl.qualifiedName;
      return `${t.decl.qualifiedName}{${shapeOf(t.decl.fields, new Set([...seen, t.decl.qualifiedName]))}}`;
    case "unresolved":
      return "?";
  }
}
