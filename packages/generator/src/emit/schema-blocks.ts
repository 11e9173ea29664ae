/**
 * The blocks every module with Zod schemas prints the same way: a `z.object` declaration with its
 * type, one property per field with its doc. Shared by the schema, aggregate, projection and
 * rejection emitters.
 */
import type { FieldModel } from "@eda/language";
import { docComment, propertyKey } from "../escape.js";
import { chain, pad, WIDTH } from "../layout.js";
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
 * `export const Name = z.object({ … });` with one property per line (getters for references);
 * without `export` for a declaration exported under another name.
 */
export function objectBlock(name: string, doc: string | undefined, fields: readonly FieldModel[], cx: ExprContext, exported = true): string[] {
  const lines = [...docComment(doc)];
  const keyword = exported ? "export const" : "const";
  if (fields.length === 0) lines.push(`${keyword} ${name} = z.object({});`);
  else {
    lines.push(`${keyword} ${name} = z.object({`);
    for (const f of fields) lines.push(...fieldDoc(f).map((l) => pad(1) + l), ...property(f, cx));
    lines.push("});");
  }
  lines.push(typeLine(name, exported));
  return lines;
}

/** A field of a `z.object`: `key: schema,`, or a getter for a reference (declared later or recursive). */
export function property(f: FieldModel, cx: ExprContext): string[] {
  const e = fieldExpr(f, cx);
  const key = propertyKey(f.name);
  if (!e.lazy) return chain(1, `${key}: `, e.head, e.calls, ",");
  return [`${pad(1)}get ${key}() {`, ...chain(2, "return ", e.head, e.calls, ";"), `${pad(1)}},`];
}

