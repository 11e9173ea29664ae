/**
 * `<context>/schemas.ts`: a Zod schema and a type for every type, enum, command and event
 * version of a context, `{ type, data }` message schemas and the discriminated unions of the
 * context's commands and events.
 */
import type { ContextModel, FieldModel, Model, TypeRefModel } from "@eda/language";
import { docComment, identifier, propertyKey, regexLiteral, stringLiteral } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { assignment, chain, list, pad, WIDTH } from "../layout.js";
import { contextDir, header } from "../names.js";
import { contextSymbols, type ContextSymbols } from "../symbols.js";
import { renderModule } from "../templates.js";
import { fieldExpr, type ExprContext } from "./zod-expr.js";

/** Builds the schema module of every context. */
export function emitSchemas(model: Model): GeneratedFile[] {
  return model.contexts.map((c) => ({ path: `${contextDir(c.name)}/schemas.ts`, content: schemasModule(c) }));
}

/** The alias a module uses for another context's schemas. */
export function schemasAlias(context: string): string {
  return identifier(`${context}Schemas`);
}

/** Doc lines for a field: its doc, then `@deprecated` and a personal-data note. */
export function fieldDoc(f: FieldModel): string[] {
  const tags: string[] = [];
  if (f.deprecated !== undefined) tags.push(`@deprecated${f.deprecated ? ` ${f.deprecated}` : ""}`);
  if (f.piiSubject !== undefined) tags.push(`Personal data of the subject \`${f.piiSubject}\` (\`@pii(${f.piiSubject})\`): encrypted when stored, redacted in logs and traces.`);
  else if (f.pii) tags.push("Personal data (`@pii`): redacted in logs and traces.");
  return docComment(f.doc, tags);
}

function schemasModule(c: ContextModel): string {
  const sym = contextSymbols(c);
  const imported = new Set<string>();
  const patterns = new Map<string, string>();
  const cx: ExprContext = {
    ref: (t) => {
      if (t.decl.context === c.name) return sym.local(t.decl.name);
      imported.add(t.decl.context);
      return `${schemasAlias(t.decl.context)}.${identifier(t.decl.name)}`;
    },
    pattern: (p) => {
      let name = patterns.get(p);
      if (!name) patterns.set(p, (name = `PATTERN_${patterns.size + 1}`));
      return name;
    },
  };
  const blocks: string[][] = [];
  // A declaration named like one of the module's identifiers is declared under a free name.
  const exported = (name: string): boolean => sym.local(name) === sym.decl(name);
  const prefix = (name: string): string => (exported(name) ? "export " : "");
  for (const e of c.enums) blocks.push([...docComment(e.doc), ...list(0, `${prefix(e.name)}const ${sym.local(e.name)} = z.enum(`, "[", e.members.map((m) => stringLiteral(m.name)), "]", ");"), typeLine(sym.local(e.name), exported(e.name))]);
  for (const t of c.types) blocks.push(objectBlock(sym.local(t.name), t.doc, t.fields, cx, exported(t.name)));
  for (const m of c.commands) blocks.push(objectBlock(sym.local(m.name), m.doc, m.fields, cx, exported(m.name)));
  for (const e of c.events) {
    for (const v of e.versions) blocks.push(objectBlock(sym.version(e, v.version), v.doc, v.fields, cx));
    const current = sym.version(e, e.current.version);
    blocks.push([...docComment(e.doc ?? `The current version of \`${e.name}\`.`), ...assignment(0, `${prefix(e.name)}const ${sym.local(e.name)}`, current), ...assignment(0, `${prefix(e.name)}type ${sym.local(e.name)}`, current)]);
  }
  blocks.push(...messageBlocks(c, sym));
  if (sym.renamed.length > 0) blocks.push(renamedExports(sym.renamed));
  // Only the helpers these schemas use: a project with `noUnusedLocals` refuses the others.
  const decimalHelpers = decimalHelpersOf([...c.types, ...c.commands, ...c.events.flatMap((e) => e.versions)]);
  const imports = [
    'import { z } from "zod";',
    ...(decimalHelpers.length > 0 ? [`import { ${decimalHelpers.join(", ")} } from "../support.js";`] : []),
    ...[...imported].sort().map((ctx) => `import * as ${schemasAlias(ctx)} from "../${contextDir(ctx)}/schemas.js";`),
  ];
  const patternBlock = [...patterns].map(([p, name]) => assignment(0, `const ${name}`, regexLiteral(p))).flat();
  return renderModule({ header: header(c.files), imports, blocks: patternBlock.length > 0 ? [patternBlock, ...blocks] : blocks });
}

/** The support module's decimal helpers that these field lists' schemas use, decided from the model. */
function decimalHelpersOf(owners: readonly { readonly fields: readonly FieldModel[] }[]): string[] {
  const decimal = (t: TypeRefModel): boolean => (t.kind === "scalar" ? t.name === "decimal" : t.kind === "list" ? decimal(t.element) : t.kind === "map" ? decimal(t.value) : false);
  const fields = owners.flatMap((o) => o.fields).filter((f) => decimal(f.type));
  // `zod-expr` writes `DECIMAL` for every decimal, and the bound helpers only on a decimal field itself.
  const own = fields.filter((f) => f.type.kind === "scalar");
  return [
    ...(fields.length > 0 ? ["DECIMAL"] : []),
    ...(own.some((f) => f.constraints.min !== undefined) ? ["decimalAtLeast"] : []),
    ...(own.some((f) => f.constraints.max !== undefined) ? ["decimalAtMost"] : []),
  ];
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

/** `export { z_ as z };`: the declarations declared under another name, exported under their own. */
function renamedExports(renamed: readonly (readonly [string, string])[]): string[] {
  const items = renamed.map(([local, exported]) => `${local} as ${exported}`);
  const one = `export { ${items.join(", ")} };`;
  return one.length <= WIDTH ? [one] : ["export {", ...items.map((i) => `${pad(1)}${i},`), "};"];
}

export function property(f: FieldModel, cx: ExprContext): string[] {
  const e = fieldExpr(f, cx);
  const key = propertyKey(f.name);
  if (!e.lazy) return chain(1, `${key}: `, e.head, e.calls, ",");
  return [`${pad(1)}get ${key}() {`, ...chain(2, "return ", e.head, e.calls, ";"), `${pad(1)}},`];
}

function messageBlocks(c: ContextModel, sym: ContextSymbols): string[][] {
  const blocks: string[][] = [];
  const message = (name: string, data: string): string[] => {
    const m = sym.message(name);
    return [`export const ${m} = z.object({`, `${pad(1)}type: z.literal(${stringLiteral(name)}),`, `${pad(1)}data: ${data},`, "});", typeLine(m)];
  };
  for (const m of c.commands) blocks.push(message(m.name, sym.local(m.name)));
  for (const e of c.events) blocks.push(message(e.name, sym.local(e.name)));
  blocks.push(union(`The commands of context \`${c.name}\`.`, sym.anyCommand, c.commands.map((m) => sym.message(m.name))));
  blocks.push(union(`The events of context \`${c.name}\`, in their current versions.`, sym.anyEvent, c.events.map((e) => sym.message(e.name))));
  return blocks;
}

function union(doc: string, name: string, members: readonly string[]): string[] {
  const lines = docComment(doc);
  if (members.length === 0) lines.push(`export const ${name} = z.never();`);
  else if (members.length === 1) lines.push(`export const ${name} = ${members[0]};`);
  else lines.push(...list(0, `export const ${name} = z.discriminatedUnion(${stringLiteral("type")}, `, "[", members, "]", ");"));
  lines.push(typeLine(name));
  return lines;
}

