/**
 * The blocks every module with Zod schemas prints the same way: a `z.object` declaration with its
 * type, one property per field with its doc. Shared by the schema, aggregate, projection and
 * rejection emitters.
 */
import type { FieldModel } from "@eda/language";
import { docComment, propertyKey } from "../escape.js";
import { group, hardline, indent, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { assign, call, lines, object } from "../print/ts.js";
import { text, typeArgsDoc } from "../print/ts-types.js";
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
 * `export const Name = z.object({ … });` with one property per line (getters for references);
 * without `export` for a declaration exported under another name.
 */
export function objectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext, exported = true): string[] {
  return [...docComment(doc), objectDecl(name, fields.map((f) => property(f, cx)), exported)];
}

/** `export const Name = z.object({ … });` and its type, printed, from the properties' Docs. */
export function objectDecl(name: string, properties: readonly Doc[], exported = true): string {
  const schema = call("z.object", [object(properties, true)], true);
  return printDoc(lines([[assign(`${exported ? "export const" : "const"} ${name}`, " =", schema), ";"], typeDoc(name, exported)]));
}

/** A field of a `z.object` with its doc: `key: schema`, or a getter for a reference (declared later or recursive). */
export function property(f: FieldModel, cx: ExprContext): Doc {
  const e = fieldExpr(f, cx);
  const key = propertyKey(f.name);
  const docLines = fieldDoc(f).map((l) => [l, hardline]);
  if (!e.lazy) return [...docLines, zodProperty(key, e)];
  return [...docLines, `get ${key}() {`, indent([hardline, "return ", group(zodDoc(e)), ";"]), hardline, "}"];
}

