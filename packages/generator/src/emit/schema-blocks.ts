/**
 * The blocks every module with Zod schemas prints the same way: the type written out as an
 * interface, one member per field with its doc, and the `z.object` — declared with that type in
 * a schema module, left to inference in the handler modules. Shared by the schema, aggregate,
 * projection and rejection emitters.
 */
import type { FieldModel } from "@eda/language";
import { docComment, propertyKey } from "../escape.js";
import { group, hardline, indent, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { assign, call, lines, object } from "../print/ts.js";
import { interfaceDecl, text, typeArgsDoc } from "../print/ts-types.js";
import { fieldMember, type TypeContext } from "./ts-type.js";
import { zodDoc, zodProperty } from "./zod-doc.js";
import { fieldExpr, type ExprContext } from "./zod-expr.js";

/** Doc lines for a field: its doc, then `@deprecated` and a personal-data note. */
export function fieldDoc(f: FieldModel): string[] {
  const tags: string[] = [];
  if (f.deprecated !== undefined) tags.push(`@deprecated${f.deprecated ? ` ${f.deprecated}` : ""}`);
  if (f.piiSubject !== undefined) tags.push(`Personal data of the subject \`${f.piiSubject}\` (\`@pii(${f.piiSubject})\`): encrypted when stored, redacted in logs and traces.`);
  else if (f.pii) tags.push("Personal data (`@pii`): redacted in logs and traces.");
  return docComment(f.doc, tags);
}

/** `export type X = z.infer<typeof X>;`. */
export function typeLine(name: string, exported = true): string {
  return printDoc(typeDoc(name, exported));
}

/** The Doc of `export type X = z.infer<typeof X>;`. */
export function typeDoc(name: string, exported = true): Doc {
  return [assign(`${exported ? "export type" : "type"} ${name}`, " =", ["z.infer", typeArgsDoc([text(`typeof ${name}`)])]), ";"];
}

/**
 * A state, row or rejection's fields: the type written out as an interface, and
 * `export const Name = z.object({ … });` with one property per line (getters for references).
 * The schema is left to inference, which is cheap while nothing asks for its output type
 * (`z.infer`); the project's tests check that it meets the interface.
 */
export function objectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext): string[] {
  const schema = call("z.object", [object(fields.map((f) => property(f, cx, false)), true)], true);
  return [...interfaceLines(name, doc, fields, cx), ...docComment(doc), printDoc([assign(`export const ${name}`, " =", schema), ";"])];
}

/** `export const Name = z.object({ … });` and its type, printed, from the properties' Docs. */
export function objectDecl(name: string, properties: readonly Doc[], exported = true): string {
  const schema = call("z.object", [object(properties, true)], true);
  return printDoc(lines([[assign(`${exported ? "export const" : "const"} ${name}`, " =", schema), ";"], typeDoc(name, exported)]));
}

/**
 * A field of a `z.object`: `key: schema`, or a getter for a reference (declared later or
 * recursive); with `withDoc`, the field's doc before it (where no interface carries it).
 */
export function property(f: FieldModel, cx: ExprContext, withDoc = true): Doc {
  const e = fieldExpr(f, cx);
  const key = propertyKey(f.name);
  const docLines = withDoc ? fieldDoc(f).map((l) => [l, hardline]) : [];
  if (!e.lazy) return [...docLines, zodProperty(key, e)];
  return [...docLines, `get ${key}() {`, indent([hardline, "return ", group(zodDoc(e)), ";"]), hardline, "}"];
}

/** `export interface Name { … }`: one member per field, typed as Zod infers it, with the field's doc. */
export function interfaceLines(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: TypeContext, exported = true): string[] {
  const members = fields.map((f) => fieldMember(f, cx, fieldDoc(f)));
  return [...docComment(doc), printDoc(interfaceDecl(`${exported ? "export " : ""}interface ${name}`, [], members))];
}

/**
 * `export const Name: z.ZodType<Name> = value;`, the schema declared with its type, laid out as
 * Prettier lays out the assignment.
 */
export function typedSchema(name: string, exported: boolean, value: Doc): string {
  return printDoc([assign(`${exported ? "export " : ""}const ${name}: z.ZodType<${name}>`, " =", value), ";"]);
}

/**
 * A value type, command or event version: its interface, then its `z.object` declared with
 * that interface as its type (one property per line, getters for references).
 */
export function typedObjectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext, exported = true): string[] {
  const schema = call("z.object", [object(fields.map((f) => property(f, cx, false)), true)], true);
  return [...interfaceLines(name, doc, fields, cx, exported), ...docComment(doc), typedSchema(name, exported, schema)];
}
