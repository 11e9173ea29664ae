/**
 * The blocks every module with Zod schemas prints the same way: the type written out as an
 * interface, one member per field with its doc, and the `z.object` — declared with that type in
 * a schema module, left to inference in the handler modules. Shared by the schema, aggregate,
 * projection and rejection emitters.
 */
import type { FieldModel } from "@eda/language";
import { docComment, propertyKey } from "../escape.js";
import { chain, pad, WIDTH } from "../layout.js";
import { fieldType, memberLines, type TypeContext } from "./ts-type.js";
import { fieldExpr, type ExprContext } from "./zod-expr.js";

/** Doc lines for a field: its doc, then `@deprecated` and a personal-data note. */
export function fieldDoc(f: FieldModel): string[] {
  const tags: string[] = [];
  if (f.deprecated !== undefined) tags.push(`@deprecated${f.deprecated ? ` ${f.deprecated}` : ""}`);
  if (f.piiSubject !== undefined) tags.push(`Personal data of the subject \`${f.piiSubject}\` (\`@pii(${f.piiSubject})\`): encrypted when stored, redacted in logs and traces.`);
  else if (f.pii) tags.push("Personal data (`@pii`): redacted in logs and traces.");
  return docComment(f.doc, tags);
}

/** `export type X = z.infer<typeof X>;`, broken inside the angle brackets when too long. */
export function typeLine(name: string, exported = true): string {
  const keyword = exported ? "export type" : "type";
  const one = `${keyword} ${name} = z.infer<typeof ${name}>;`;
  return one.length <= WIDTH ? one : `${keyword} ${name} = z.infer<\n  typeof ${name}\n>;`;
}

/**
 * A state, row or rejection's fields: the type written out as an interface, and
 * `export const Name = z.object({ … });` with one property per line (getters for references).
 * The schema is left to inference, which is cheap while nothing asks for its output type
 * (`z.infer`); the project's tests check that it meets the interface.
 */
export function objectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext): string[] {
  const lines = [...interfaceLines(name, doc, fields, cx), ...docComment(doc)];
  if (fields.length === 0) lines.push(`export const ${name} = z.object({});`);
  else lines.push(`export const ${name} = z.object({`, ...fields.flatMap((f) => property(f, cx)), "});");
  return lines;
}

/** A field of a `z.object`: `key: schema,`, or a getter for a reference (declared later or recursive). */
export function property(f: FieldModel, cx: ExprContext, depth = 1): string[] {
  const e = fieldExpr(f, cx);
  const key = propertyKey(f.name);
  if (!e.lazy) return chain(depth, `${key}: `, e.head, e.calls, ",");
  return [`${pad(depth)}get ${key}() {`, ...chain(depth + 1, "return ", e.head, e.calls, ";"), `${pad(depth)}},`];
}

/** `export interface Name { … }`: one member per field, typed as Zod infers it, with the field's doc. */
export function interfaceLines(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: TypeContext, exported = true): string[] {
  const head = `${exported ? "export " : ""}interface ${name}`;
  if (fields.length === 0) return [...docComment(doc), `${head} {}`];
  const lines = [...docComment(doc), `${head} {`];
  for (const f of fields) {
    const { optional, type } = fieldType(f, cx);
    lines.push(...fieldDoc(f).map((l) => pad(1) + l), ...memberLines(1, `${propertyKey(f.name)}${optional ? "?" : ""}`, type));
  }
  lines.push("}");
  return lines;
}

/**
 * A schema's value: plain text (`OrderPlacedMessage`, `z.never()`), or a call whose last argument
 * is an object or array literal that `last(depth, prefix, suffix)` lays out.
 */
export type SchemaValue =
  | { readonly text: string }
  | { readonly callee: string; readonly args: readonly string[]; readonly last: (depth: number, prefix: string, suffix: string) => string[] };

/**
 * `export const Name: z.ZodType<Name> = value;`, the schema declared with its type, laid out as
 * Prettier lays out the assignment: the value on the same line when it fits there up to its
 * first break (`z.object(`), else on the next line, one level deeper.
 */
export function typedSchema(name: string, exported: boolean, value: SchemaValue): string[] {
  const head = `${exported ? "export " : ""}const ${name}: z.ZodType<${name}> =`;
  if ("text" in value) {
    const one = `${head} ${value.text};`;
    return one.length <= WIDTH ? [one] : [head, `${pad(1)}${value.text};`];
  }
  return `${head} ${value.callee}(`.length <= WIDTH ? callLines(0, `${head} `, value) : [head, ...callLines(1, "", value)];
}

/** A call hugging its last argument (`z.object({`) when its first line fits, else with every argument on a line of its own. */
function callLines(depth: number, prefix: string, call: Exclude<SchemaValue, { text: string }>): string[] {
  const hugged = call.last(depth, `${prefix}${call.callee}(${call.args.map((a) => `${a}, `).join("")}`, ");");
  if ((hugged[0] as string).length <= WIDTH) return hugged;
  return [`${pad(depth)}${prefix}${call.callee}(`, ...call.args.map((a) => `${pad(depth + 1)}${a},`), ...call.last(depth + 1, "", ","), `${pad(depth)});`];
}

/**
 * A value type, command or event version: its interface, then its `z.object` declared with
 * that interface as its type (one property per line, getters for references).
 */
export function typedObjectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext, exported = true): string[] {
  const last = (depth: number, prefix: string, suffix: string): string[] =>
    fields.length === 0
      ? [`${pad(depth)}${prefix}{}${suffix}`]
      : [`${pad(depth)}${prefix}{`, ...fields.flatMap((f) => property(f, cx, depth + 1)), `${pad(depth)}}${suffix}`];
  return [...interfaceLines(name, doc, fields, cx, exported), ...docComment(doc), ...typedSchema(name, exported, { callee: "z.object", args: [], last })];
}

