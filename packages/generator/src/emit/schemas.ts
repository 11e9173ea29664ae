/**
 * `<context>/schemas.ts`: for every type, enum, command and event version of a context, its type
 * written out (an interface) and its Zod schema declared with that type, so that nothing outside
 * the module infers through Zod; `{ type, data }` messages and the discriminated unions of the
 * context's commands and events. The module is `// @ts-nocheck` (see the lowering's header): the
 * project's tests compile it without the pragma, so a type and its schema cannot disagree.
 */
import type { ContextModel, Model } from "@eda/language";
import { docComment, identifier, regexLiteral, stringLiteral } from "../escape.js";
import { assignment, list, pad, WIDTH } from "../layout.js";
import type { GenModel } from "../lower/gen-model.js";
import { genIndex, type ContextIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { typedObjectBlock, typedSchema, type SchemaValue } from "./schema-blocks.js";
import { memberLines } from "./ts-type.js";
import { typeHead, unionAlias } from "./type-layout.js";
import type { ExprContext } from "./zod-expr.js";

/** Builds the schema module of every context. */
export function emitSchemas(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.map((c) => schemasModule(index, c));
}

function schemasModule(index: GenIndex, c: ContextModel): FileView {
  const sym = index.context(c.name);
  const patterns = new Map<string, string>();
  const cx: ExprContext = {
    ref: (t) => (t.decl.context === c.name ? sym.local(t.decl.name) : `${index.context(t.decl.context).gen.aliases.schemas}.${identifier(t.decl.name)}`),
    pattern: (p) => {
      let name = patterns.get(p);
      if (!name) patterns.set(p, (name = `PATTERN_${patterns.size + 1}`));
      return name;
    },
    branded: index.branded,
  };
  // A declaration named like one of the module's identifiers is declared under a free name.
  const exported = (name: string): boolean => sym.local(name) === name;
  const prefix = (name: string): string => (exported(name) ? "export " : "");
  const enums = c.enums.map((e) => enumBlock(sym.local(e.name), e.doc, e.members.map((m) => stringLiteral(m.name)), exported(e.name)));
  const types = c.types.map((t) => typedObjectBlock(sym.local(t.name), t.doc, t.fields, cx, exported(t.name)));
  const commands = c.commands.map((m) => typedObjectBlock(sym.local(m.name), m.doc, m.fields, cx, exported(m.name)));
  const events: string[][] = [];
  for (const e of c.events) {
    for (const v of e.versions) events.push(typedObjectBlock(sym.version(e.name, v.version), v.doc, v.fields, cx));
    const current = sym.version(e.name, e.current.version);
    events.push([...docComment(e.doc ?? `The current version of \`${e.name}\`.`), ...assignment(0, `${prefix(e.name)}const ${sym.local(e.name)}`, current), ...assignment(0, `${prefix(e.name)}type ${sym.local(e.name)}`, current)]);
  }
  const messages = messageBlocks(c, sym);
  const renamed = sym.gen.schemas.declarations.filter((d) => d.local !== d.name).map((d) => [d.local, d.name] as const);
  const patternBlock = [...patterns].map(([p, name]) => assignment(0, `const ${name}`, regexLiteral(p))).flat();
  const m = sym.gen.modules.schemas;
  const sections = {
    patterns: patternBlock.length > 0 ? [block(patternBlock)] : [],
    enums: enums.map(block),
    types: types.map(block),
    commands: commands.map(block),
    events: events.map(block),
    messages: messages.map(block),
    renamedExports: renamed.length > 0 ? [block(renamedExports(renamed))] : [],
  };
  return fileView("schemas", m.path, { ...moduleHead(m), ...sections }, c.name);
}

/** `export { z_ as z };`: the declarations declared under another name, exported under their own. */
function renamedExports(renamed: readonly (readonly [string, string])[]): string[] {
  const items = renamed.map(([local, exported]) => `${local} as ${exported}`);
  const one = `export { ${items.join(", ")} };`;
  return one.length <= WIDTH ? [one] : ["export {", ...items.map((i) => `${pad(1)}${i},`), "};"];
}

/** `export type Name = "A" | "B";` and its `z.enum` declared with that type. */
function enumBlock(name: string, doc: string | undefined, members: readonly string[], exported: boolean): string[] {
  const head = `${exported ? "export " : ""}type ${name}`;
  const schema = typedSchema(name, exported, { callee: "z.enum", args: [], last: (depth, prefix, suffix) => list(depth, prefix, "[", members, "]", suffix) });
  return [...docComment(doc), ...unionAlias(head, members), ...docComment(doc), ...schema];
}

/**
 * The `{ type, data }` message of each command and event: its interface, and its `z.object`
 * left to inference (a discriminated union needs the object's shape; the union is declared with its type).
 */
function messageBlocks(c: ContextModel, sym: ContextIndex): string[][] {
  const blocks: string[][] = [];
  const message = (name: string, data: string): string[] => {
    const m = sym.message(name);
    const type = stringLiteral(name);
    return [
      ...typeHead(`export interface ${m}`, " {"),
      ...memberLines(1, "type", [type]),
      ...memberLines(1, "data", [data]),
      "}",
      `export const ${m} = z.object({`,
      `${pad(1)}type: z.literal(${type}),`,
      `${pad(1)}data: ${data},`,
      "});",
    ];
  };
  for (const m of c.commands) blocks.push(message(m.name, sym.local(m.name)));
  for (const e of c.events) blocks.push(message(e.name, sym.local(e.name)));
  blocks.push(union(`The commands of context \`${c.name}\`.`, sym.gen.schemas.anyCommand, c.commands.map((m) => sym.message(m.name))));
  blocks.push(union(`The events of context \`${c.name}\`, in their current versions.`, sym.gen.schemas.anyEvent, c.events.map((e) => sym.message(e.name))));
  return blocks;
}

/** The union type of a context's commands or events, and its schema declared with that type. */
function union(doc: string, name: string, members: readonly string[]): string[] {
  const schema: SchemaValue =
    members.length < 2
      ? { text: members[0] ?? "z.never()" }
      : { callee: "z.discriminatedUnion", args: [stringLiteral("type")], last: (depth, prefix, suffix) => list(depth, prefix, "[", members, "]", suffix) };
  return [...docComment(doc), ...unionAlias(`export type ${name}`, members), ...docComment(doc), ...typedSchema(name, true, schema)];
}

