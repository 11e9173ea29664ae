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
import { getterLines, memberLine, propertyLine, zodObjectText } from "../print/schema-lines.js";
import { assign, call, lines, object } from "../print/ts.js";
import { interfaceDecl, text, typeArgsDoc } from "../print/ts-types.js";
import { fieldMember, fieldTypeText, type TypeContext } from "./ts-type.js";
import { zodDoc, zodFlat, zodProperty } from "./zod-doc.js";
import { fieldExpr, type ExprContext } from "./zod-expr.js";

/** Doc lines for a field: its doc, then `@deprecated` and a personal-data note. */
export function fieldDoc(f: FieldModel): string[] {
  const tags: string[] = [];
  if (f.deprecated !== undefined) tags.push(`@deprecated${f.deprecated ? ` ${f.deprecated}` : ""}`);
  if (f.piiSubject !== undefined) tags.push(`Personal data of the subject \`${f.piiSubject}\` (\`@pii(${f.piiSubject})\`): encrypted when stored, redacted in logs and traces.`);
  else if (f.pii) tags.push("Personal data (`@pii`): redacted in logs and traces.");
  // Most fields have no doc.
  return f.doc || tags.length > 0 ? docComment(f.doc, tags) : [];
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
  const left = `export const ${name}`;
  const schema = objectText(left, fields, cx) ?? printDoc([assign(left, " =", objectSchema(fields, cx)), ";"]);
  return [...interfaceLines(name, doc, fields, cx), ...docComment(doc), schema];
}

/** `z.object({ … })` as a Doc, one property per line (getters for references). */
function objectSchema(fields: readonly FieldModel[], cx: ExprContext): Doc {
  return call("z.object", [object(fields.map((f) => property(f, cx, false)), true)], true);
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
  return [...docComment(doc), interfaceOf(name, fields, cx, exported)];
}

function interfaceOf(name: string, fields: readonly FieldModel[], cx: TypeContext, exported: boolean): string {
  const head = `${exported ? "export " : ""}interface ${name}`;
  return interfaceText(head, fields, cx) ?? printDoc(interfaceDecl(head, [], fields.map((f) => fieldMember(f, cx, fieldDoc(f)))));
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
  const left = `${exported ? "export " : ""}const ${name}: z.ZodType<${name}>`;
  const schema = objectText(left, fields, cx) ?? typedSchema(name, exported, objectSchema(fields, cx));
  const comment = docComment(doc);
  return comment.length === 0 ? [interfaceOf(name, fields, cx, exported), schema] : [...comment, interfaceOf(name, fields, cx, exported), ...comment, schema];
}

// Most declarations fit their lines: written directly below, they skip building and printing
// Docs. Each writer returns undefined when a line would be too long, and the caller prints the Doc.

/**
 * `head { key: type; … }` one member per line, each with its doc, when every member fits on its
 * line (as the printer then prints `interfaceDecl`).
 */
function interfaceText(head: string, fields: readonly FieldModel[], cx: TypeContext): string | undefined {
  if (fields.length === 0) return `${head} {}`;
  const out = [`${head} {`];
  for (const f of fields) {
    const { optional, text } = fieldTypeText(f, cx);
    const member = memberLine(`${propertyKey(f.name)}${optional ? "?" : ""}`, text);
    if (member === undefined) return undefined;
    for (const l of fieldDoc(f)) out.push(`  ${l}`);
    out.push(member);
  }
  out.push("}");
  return out.join("\n");
}

/** `zodObjectText` of the fields' properties (a `z.object` of no field is left to the printer). */
function objectText(left: string, fields: readonly FieldModel[], cx: ExprContext): string | undefined {
  if (fields.length === 0) return undefined;
  return zodObjectText(left, (depth) => {
    const out: string[] = [];
    for (const f of fields) {
      const lines = propertyLines(f, cx, depth);
      // A property too long for its line is printed alone: it breaks as it would in the object.
      if (lines === undefined) out.push(printDoc([property(f, cx, false), ","], depth / 2));
      else if (typeof lines === "string") out.push(lines);
      else out.push(...lines);
    }
    return out;
  });
}

/**
 * A property of a `z.object` (as `property` without its doc) as its lines and comma, when it
 * prints so `depth` columns deep: `key: schema` on one line, or a getter whose `return` fits on its line.
 */
function propertyLines(f: FieldModel, cx: ExprContext, depth: number): string | readonly string[] | undefined {
  const e = fieldExpr(f, cx);
  const flat = zodFlat(e);
  if (flat === undefined) return undefined;
  const key = propertyKey(f.name);
  return e.lazy ? getterLines(key, flat, depth) : propertyLine(key, flat, depth);
}
