/**
 * `<context>/schemas.ts`: a Zod schema and a type for every type, enum, command and event
 * version of a context, `{ type, data }` message schemas and the discriminated unions of the
 * context's commands and events.
 */
import type { ContextModel, Model } from "@eda/language";
import { docComment, identifier, regexLiteral, stringLiteral } from "../escape.js";
import { assignment, list, pad, WIDTH } from "../layout.js";
import type { GenModel } from "../lower/gen-model.js";
import { genIndex, type ContextIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { objectBlock, typeLine } from "./schema-blocks.js";
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
  const enums = c.enums.map((e) => [...docComment(e.doc), ...list(0, `${prefix(e.name)}const ${sym.local(e.name)} = z.enum(`, "[", e.members.map((m) => stringLiteral(m.name)), "]", ");"), typeLine(sym.local(e.name), exported(e.name))]);
  const types = c.types.map((t) => objectBlock(sym.local(t.name), t.doc, t.fields, cx, exported(t.name)));
  const commands = c.commands.map((m) => objectBlock(sym.local(m.name), m.doc, m.fields, cx, exported(m.name)));
  const events: string[][] = [];
  for (const e of c.events) {
    for (const v of e.versions) events.push(objectBlock(sym.version(e.name, v.version), v.doc, v.fields, cx));
    const current = sym.version(e.name, e.current.version);
    events.push([...docComment(e.doc ?? `The current version of \`${e.name}\`.`), ...assignment(0, `${prefix(e.name)}const ${sym.local(e.name)}`, current), ...assignment(0, `${prefix(e.name)}type ${sym.local(e.name)}`, current)]);
  }
  const messages = messageBlocks(c, sym);
  const renamed = sym.gen.schemas.declarations.filter((d) => d.local !== d.name).map((d) => [d.local, d.name] as const);
  const patternBlock = [...patterns].map(([p, name]) => assignment(0, `const ${name}`, regexLiteral(p))).flat();
  const m = sym.gen.modules.schemas;
  return fileView(
    "schemas",
    m.path,
    {
      ...moduleHead(m),
      patterns: patternBlock.length > 0 ? [block(patternBlock)] : [],
      enums: enums.map(block),
      types: types.map(block),
      commands: commands.map(block),
      events: events.map(block),
      messages: messages.map(block),
      renamedExports: renamed.length > 0 ? [block(renamedExports(renamed))] : [],
    },
    c.name,
  );
}

/** `export { z_ as z };`: the declarations declared under another name, exported under their own. */
function renamedExports(renamed: readonly (readonly [string, string])[]): string[] {
  const items = renamed.map(([local, exported]) => `${local} as ${exported}`);
  const one = `export { ${items.join(", ")} };`;
  return one.length <= WIDTH ? [one] : ["export {", ...items.map((i) => `${pad(1)}${i},`), "};"];
}

function messageBlocks(c: ContextModel, sym: ContextIndex): string[][] {
  const blocks: string[][] = [];
  const message = (name: string, data: string): string[] => {
    const m = sym.message(name);
    return [`export const ${m} = z.object({`, `${pad(1)}type: z.literal(${stringLiteral(name)}),`, `${pad(1)}data: ${data},`, "});", typeLine(m)];
  };
  for (const m of c.commands) blocks.push(message(m.name, sym.local(m.name)));
  for (const e of c.events) blocks.push(message(e.name, sym.local(e.name)));
  blocks.push(union(`The commands of context \`${c.name}\`.`, sym.gen.schemas.anyCommand, c.commands.map((m) => sym.message(m.name))));
  blocks.push(union(`The events of context \`${c.name}\`, in their current versions.`, sym.gen.schemas.anyEvent, c.events.map((e) => sym.message(e.name))));
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

