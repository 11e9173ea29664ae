/**
 * `<context>/schemas.ts`: for every type, enum, command and event version of a context, its type
 * written out (an interface) and its Zod schema declared with that type, so that nothing outside
 * the module infers through Zod; `{ type, data }` messages and the discriminated unions of the
 * context's commands and events. The module is `// @ts-nocheck` (see the lowering's header): the
 * project's tests compile it without the pragma, so a type and its schema cannot disagree.
 */
import type { ContextModel, Model } from "@eda/language";
import { docComment, identifier, regexLiteral, stringLiteral } from "../escape.js";
import type { Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { assignText, hugArrayText, memberLine, propertyLine, zodObjectText } from "../print/schema-lines.js";
import { unionAliasLines } from "../print/type-lines.js";
import { array, assign, call, object } from "../print/ts.js";
import type { GenModel } from "../lower/gen-model.js";
import { genIndex, type ContextIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { typedObjectBlock, typedSchema } from "./schema-blocks.js";
import { interfaceDecl, type Member } from "../print/ts-types.js";
import type { ExprContext } from "./zod-expr.js";

/** Builds the schema module of every context. */
export function emitSchemas(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.map((c) => schemasModule(index, c));
}

function schemasModule(index: GenIndex, c: ContextModel): FileView {
  const sym = index.context(c.name);
  const patterns = new Map<string, string>();
  const cx = exprContext(index, c, sym, patterns);
  // A declaration named like one of the module's identifiers is declared under a free name, and not exported.
  const enums = c.enums.map((e) => {
    const local = sym.local(e.name);
    return enumBlock(local, e.doc, e.members.map((m) => stringLiteral(m.name)), local === e.name);
  });
  const types = c.types.map((t) => {
    const local = sym.local(t.name);
    return typedObjectBlock(local, t.doc, t.fields, cx, local === t.name);
  });
  const commands = c.commands.map((m) => {
    const local = sym.local(m.name);
    return typedObjectBlock(local, m.doc, m.fields, cx, local === m.name);
  });
  const events = eventBlocks(c, sym, cx);
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

/** How the module's schemas name other schemas and patterns (`patterns` collects the patterns in order). */
function exprContext(index: GenIndex, c: ContextModel, sym: ContextIndex, patterns: Map<string, string>): ExprContext {
  // A module names the same few declarations over and over.
  const refs = new Map<object, string>();
  const refName = (t: Parameters<ExprContext["ref"]>[0]): string =>
    t.decl.context === c.name ? sym.local(t.decl.name) : `${index.context(t.decl.context).gen.aliases.schemas}.${identifier(t.decl.name)}`;
  return {
    ref: (t) => {
      let name = refs.get(t.decl);
      if (name === undefined) refs.set(t.decl, (name = refName(t)));
      return name;
    },
    pattern: (p) => {
      let name = patterns.get(p);
      if (!name) patterns.set(p, (name = `PATTERN_${patterns.size + 1}`));
      return name;
    },
    branded: index.branded,
  };
}

/** Per event: each version's schema, then its current version under the event's name. */
function eventBlocks(c: ContextModel, sym: ContextIndex, cx: ExprContext): string[][] {
  const events: string[][] = [];
  for (const e of c.events) {
    for (const v of e.versions) events.push(typedObjectBlock(sym.version(e.name, v.version), v.doc, v.fields, cx));
    const current = sym.version(e.name, e.current.version);
    const local = sym.local(e.name);
    const prefix = local === e.name ? "export " : "";
    events.push([...docComment(e.doc ?? `The current version of \`${e.name}\`.`), assignText(`${prefix}const ${local}`, current), assignText(`${prefix}type ${local}`, current)]);
  }
  return events;
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
  const left = `${exported ? "export " : ""}const ${name}: z.ZodType<${name}>`;
  const schema = hugArrayText(left, "z.enum(", members) ?? typedSchema(name, exported, call("z.enum", [array(members)], true));
  const comment = docComment(doc);
  return [...comment, unionAliasLines(head, members).join("\n"), ...comment, schema];
}

/**
 * The `{ type, data }` message of each command and event: its interface, and its `z.object`
 * left to inference (a discriminated union needs the object's shape; the union is declared with its type).
 */
function messageBlocks(c: ContextModel, sym: ContextIndex): string[][] {
  const blocks: string[][] = [];
  for (const m of c.commands) blocks.push(messageBlock(sym.message(m.name), stringLiteral(m.name), sym.local(m.name)));
  for (const e of c.events) blocks.push(messageBlock(sym.message(e.name), stringLiteral(e.name), sym.local(e.name)));
  blocks.push(union(`The commands of context \`${c.name}\`.`, sym.gen.schemas.anyCommand, c.commands.map((m) => sym.message(m.name))));
  blocks.push(union(`The events of context \`${c.name}\`, in their current versions.`, sym.gen.schemas.anyEvent, c.events.map((e) => sym.message(e.name))));
  return blocks;
}

/** The interface and schema of message `m`, whose `type` is the literal `type` and `data` the schema `data`. */
function messageBlock(m: string, type: string, data: string): string[] {
  const typeMember = memberLine("type", type);
  const dataMember = memberLine("data", data);
  const interfaceText = typeMember !== undefined && dataMember !== undefined ? `export interface ${m} {\n${typeMember}\n${dataMember}\n}` : undefined;
  const schemaText = zodObjectText(`export const ${m}`, (depth) => {
    const literal = propertyLine("type", `z.literal(${type})`, depth);
    const dataProperty = propertyLine("data", data, depth);
    return literal !== undefined && dataProperty !== undefined ? [literal, dataProperty] : undefined;
  });
  return [interfaceText ?? printDoc(interfaceDecl(`export interface ${m}`, [], messageMembers(type, data))), schemaText ?? printDoc(statement(`export const ${m}`, messageSchema(type, data)))];
}

/** The members of a `{ type, data }` message's interface. */
function messageMembers(type: string, data: string): Member[] {
  return [
    { key: "type", type, mutable: true },
    { key: "data", type: data, mutable: true },
  ];
}

/** The `z.object` of a `{ type, data }` message. */
function messageSchema(type: string, data: string): Doc {
  const never = "never-break-after-operator";
  return call("z.object", [object([assign("type", ":", call("z.literal", [type]), never), assign("data", ":", data, never)], true)], true);
}

/** The union type of a context's commands or events, and its schema declared with that type. */
function union(doc: string, name: string, members: readonly string[]): string[] {
  const discriminated = (): Doc => call("z.discriminatedUnion", [stringLiteral("type"), array(members)], true);
  const left = `export const ${name}: z.ZodType<${name}>`;
  const schema = members.length < 2 ? assignText(left, members[0] ?? "z.never()") : (hugArrayText(left, 'z.discriminatedUnion("type", ', members) ?? typedSchema(name, true, discriminated()));
  const comment = docComment(doc);
  return [...comment, unionAliasLines(`export type ${name}`, members).join("\n"), ...comment, schema];
}
