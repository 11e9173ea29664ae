/**
 * `<context>/projections.ts`: per projection its row (schema and type: the key and the declared
 * fields with their defaults), one handler per `from` event and `define<Projection>(handlers)`,
 * which returns the runtime's `Projection` (key taken from each event's key field).
 */
import type { FieldModel, Model, ProjectionModel } from "@eda/language";
import { propertyKey, stringLiteral } from "../escape.js";
import type { GenModel, ProjectionNames } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { rowFields } from "../model-facts.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { ProjectionSections } from "../render/view-data.js";
import { BRANDS } from "../brands.js";
import { access, accessOf, defaultEntries, type Entry, propertyLines, recordSchema, SchemaRefs } from "./behaviour.js";
import { entryProp, fitLines, writeProps } from "../print/object-lines.js";
import type { Doc } from "../print/doc.js";
import { array, call, member, property } from "../print/ts.js";
import { ref, text, union } from "../print/ts-types.js";
import { tableInterface } from "./tables.js";
import { mappedAliasLines, refAliasLines, signatureLines, unionAliasLines } from "../print/type-lines.js";
import { defineProjectionLines } from "./handler-templates.js";

const STRING_SCALARS = new Set(["string", "uuid", "email", "url", "date", "timestamp", "decimal"]);
const NUMBER_SCALARS = new Set(["int", "float", "duration"]);

/** Builds `<context>/projections.ts` for every context with projections. */
export function emitProjections(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.filter((c) => c.projections.length > 0).map((c) => {
    const cx = index.context(c.name);
    const module = cx.gen.modules.projections;
    if (!module) throw new Error(`eda bug: no projections module for ${c.name}`);
    const refs = new SchemaRefs(index, gen.options.brandedScalars);
    const projections = c.projections.map((p) => projectionSections(refs, cx, p, gen.options.brandedScalars));
    refs.checkImports(module);
    const patterns = refs.patternLines();
    return fileView("projections", module.path, { ...moduleHead(module), patterns: patterns.length > 0 ? [block(patterns)] : [], projections }, c.name);
  });
}

function projectionSections(refs: SchemaRefs, cx: ContextIndex, p: ProjectionModel, branded: boolean): ProjectionSections {
  const n = cx.projection(p.name).names;
  const title = `projection \`${p.name}\``;
  const events = p.from.map((f) => f.event);
  const keyNote = p.key ? `, one per \`${p.key.name}\`` : "";
  return {
    name: p.name,
    row: block(recordSchema(refs, n.row, `A row of ${title}${keyNote}.`, rowFields(p))),
    events: block(tableInterface(undefined, n.events, events.map((e) => ({ key: e.name, doc: e.doc, types: [refs.data(e)] })))),
    event: block(unionAliasLines(`export type ${n.event}`, events.map((e) => refs.message(e)))),
    handlers: block(
      mappedAliasLines(`export type ${n.handlers}`, [], `keyof ${n.events}`, [{ name: "row", type: ref("Readonly", n.row) }, { name: "event", type: text(`${n.events}[K]`) }, { name: "envelope", type: "StoredEvent" }], union([n.row, "null"])),
    ),
    projection: block(refAliasLines(`export type ${n.projection}`, [], ref("Projection", n.event, n.row))),
    define: block(defineBlock(refs, p, n, branded)),
  };
}

/** How the key travels: the string the runtime keys rows by (its Doc and its text flat), and the row's typed key back from it. */
function keyCodec(refs: SchemaRefs, key: FieldModel, branded: boolean): { toString: (v: Doc, text: string) => [Doc, string]; fromString: string } {
  const t = key.type;
  // A branded key came from an event's key field, which was validated: the cast only restores its brand.
  if (t.kind === "scalar" && STRING_SCALARS.has(t.name)) return { toString: (v, text) => [v, text], fromString: branded && BRANDS[t.name] ? "key as never" : "key" };
  // A template literal never breaks.
  const template = (_: Doc, v: string): [Doc, string] => [`\`\${${v}}\``, `\`\${${v}}\``];
  if (t.kind === "scalar" && NUMBER_SCALARS.has(t.name)) return { toString: template, fromString: "Number(key)" };
  if (t.kind === "scalar" && t.name === "bool") return { toString: template, fromString: 'key === "true"' };
  if (t.kind === "enum") return { toString: (v, text) => [v, text], fromString: `${refs.expr.ref(t)}.parse(key)` };
  return { toString: (v, text) => [call("JSON.stringify", [v]), `JSON.stringify(${text})`], fromString: "JSON.parse(key)" };
}

function defineBlock(refs: SchemaRefs, p: ProjectionModel, n: ProjectionNames, branded: boolean): string[] {
  const events = p.from.map((f) => stringLiteral(f.event.name));
  const key = p.key as FieldModel;
  const codec = keyCodec(refs, key, branded);
  const [keyExpr, keyText] = codec.toString(member("event", [accessOf("data"), accessOf(key.name)]), `event.data${access(key.name)}`);
  const keyOf = ["    keyOf(event) {", ...fitLines(3, `return ${keyText}`, () => ["return ", keyExpr], ";"), "    },"];
  const entries: Entry[] = p.fields.some((f) => f.name === key.name) ? defaultEntries(p.fields, branded) : [[propertyKey(key.name), codec.fromString, "expr"], ...defaultEntries(p.fields, branded)];
  // `return {` never breaks: the object is always broken, one entry per line.
  const initialRow = ["    initialRow(key) {"];
  if (entries.length === 0) initialRow.push("      return {};");
  else {
    initialRow.push("      return {");
    writeProps(initialRow, 4, entries.map(([k, value, kind]) => entryProp(k, value, kind)));
    initialRow.push("      };");
  }
  initialRow.push("    },");
  return defineProjectionLines({
    name: p.name,
    key: key.name,
    properties: propertyLines(2, "name", stringLiteral(p.qualifiedName), "string"),
    // `H` is the table as written: each handler's row is checked exactly (a misspelt key is an
    // error). Its default types the handlers' parameters (without it they would be implicitly any).
    signature: signatureLines(`export function ${n.define}`, [{ name: "H", constraint: n.handlers, fallback: n.handlers }], [{ name: "handlers", type: ref("ExactTable", "H", text(`keyof ${n.events}`), n.row) }], n.projection),
    events: fitLines(2, `events: [${events.join(", ")}]`, () => property("events", array(events)), ","),
    keyOf,
    initialRow,
  });
}
