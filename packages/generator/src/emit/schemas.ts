/**
 * `<context>/schemas.ts`: for every type, enum, command and event version of a context, its type
 * written out (an interface) and its Zod schema declared with that type, so that nothing outside
 * the module infers through Zod; `{ type, data }` messages and the discriminated unions of the
 * context's commands and events. The module is `// @ts-nocheck` (see the lowering's header): the
 * project's tests compile it without the pragma, so a type and its schema cannot disagree.
 */
import type { ContextModel, Model } from "@eda/language";
import { docComment, identifier, regexLiteral, stringLiteral } from "../escape.js";
import { hardline, join, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { array, assign, call, object } from "../print/ts.js";
import type { GenModel } from "../lower/gen-model.js";
import { genIndex, type ContextIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { typedObjectBlock, typedSchema } from "./schema-blocks.js";
import { interfaceDecl, typeAlias, union as unionType } from "../print/ts-types.js";
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
    events.push([...docComment(e.doc ?? `The current version of \`${e.name}\`.`), printDoc(join(hardline, [statement(`${prefix(e.name)}const ${sym.local(e.name)}`, current), statement(`${prefix(e.name)}type ${sym.local(e.name)}`, current)]))]);
  }
  const messages = messageBlocks(c, sym);
  const renamed = sym.gen.schemas.declarations.filter((d) => d.local !== d.name).map((d) => [d.local, d.name] as const);
  const patternBlock = [...patterns].map(([p, name]) => printDoc(statement(`const ${name}`, regexLiteral(p))));
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

/** `left = value;`, as Prettier breaks an assignment. */
function statement(left: string, value: Doc): Doc {
  return [assign(left, " =", value), ";"];
}

/** `export { z_ as z };`: the declarations declared under another name, exported under their own. */
function renamedExports(renamed: readonly (readonly [string, string])[]): string[] {
  return [printDoc(["export ", object(renamed.map(([local, exported]) => `${local} as ${exported}`)), ";"])];
}

/** `export type Name = "A" | "B";` and its `z.enum` declared with that type. */
function enumBlock(name: string, doc: string | undefined, members: readonly string[], exported: boolean): string[] {
  const head = `${exported ? "export " : ""}type ${name}`;
  const schema = typedSchema(name, exported, call("z.enum", [array(members)], true));
  return [...docComment(doc), printDoc(typeAlias(head, [], unionType(members))), ...docComment(doc), schema];
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
    const members = [
      { key: "type", type },
      { key: "data", type: data },
    ].map((m) => ({ ...m, mutable: true }));
    const schema = call("z.object", [object([assign("type", ":", call("z.literal", [type]), "never-break-after-operator"), assign("data", ":", data, "never-break-after-operator")], true)], true);
    return [printDoc(interfaceDecl(`export interface ${m}`, [], members)), printDoc(statement(`export const ${m}`, schema))];
  };
  for (const m of c.commands) blocks.push(message(m.name, sym.local(m.name)));
  for (const e of c.events) blocks.push(message(e.name, sym.local(e.name)));
  blocks.push(union(`The commands of context \`${c.name}\`.`, sym.gen.schemas.anyCommand, c.commands.map((m) => sym.message(m.name))));
  blocks.push(union(`The events of context \`${c.name}\`, in their current versions.`, sym.gen.schemas.anyEvent, c.events.map((e) => sym.message(e.name))));
  return blocks;
}

/** The union type of a context's commands or events, and its schema declared with that type. */
function union(doc: string, name: string, members: readonly string[]): string[] {
  const schema = members.length < 2 ? (members[0] ?? "z.never()") : call("z.discriminatedUnion", [stringLiteral("type"), array(members)], true);
  return [...docComment(doc), printDoc(typeAlias(`export type ${name}`, [], unionType(members))), ...docComment(doc), typedSchema(name, true, schema)];
}

