/**
 * `<context>/projections.ts`: per projection its row (schema and type: the key and the declared
 * fields with their defaults), one handler per `from` event and `define<Projection>(handlers)`,
 * which returns the runtime's `Projection` (key taken from each event's key field).
 */
import type { FieldModel, Model, ProjectionModel } from "@eda/language";
import { docComment, propertyKey, stringLiteral } from "../escape.js";
import { list, pad } from "../layout.js";
import type { GenModel, ProjectionNames } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { rowFields } from "../model-facts.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { ProjectionSections } from "../render/view-data.js";
import { BRANDS } from "../brands.js";
import { access, callLines, defaultEntries, type Entry, objectLines, propertyLines, recordSchema, SchemaRefs } from "./behaviour.js";
import { genericAlias, mappedAlias, signatureLines, tableInterface, unionAlias } from "./type-layout.js";
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
    events: block(tableInterface(`The events ${title} is built from, by name, in their current versions.`, n.events, events.map((e) => ({ key: e.name, doc: e.doc, types: [refs.data(e)] })))),
    event: block([...docComment(`An event ${title} reads, as \`{ type, data }\`.`), ...unionAlias(`export type ${n.event}`, events.map((e) => refs.message(e)))]),
    handlers: block([
      ...docComment(
        [
          `The hand-written behaviour of ${title}.`,
          "One handler per event: it returns the row after the event (a new object; the old row is",
          "read-only), or `null` to delete the row. The envelope carries the event's time and",
          "position.",
        ].join("\n"),
      ),
      ...mappedAlias(`export type ${n.handlers}`, `readonly [K in keyof ${n.events}]: `, [`row: Readonly<${n.row}>`, `event: ${n.events}[K]`, "envelope: StoredEvent"], `${n.row} | null`),
    ]),
    projection: block([...docComment(`The runtime definition of ${title}.`), ...genericAlias(`export type ${n.projection}`, "Projection", [n.event, n.row])]),
    define: block(defineBlock(refs, p, n, branded)),
  };
}

/** How the key travels: the string the runtime keys rows by, and the row's typed key back from it. */
function keyCodec(refs: SchemaRefs, key: FieldModel, branded: boolean): { toString: (v: string) => [string, string[]] | string; fromString: string } {
  const t = key.type;
  // A branded key came from an event's key field, which was validated: the cast only restores its brand.
  if (t.kind === "scalar" && STRING_SCALARS.has(t.name)) return { toString: (v) => v, fromString: branded && BRANDS[t.name] ? "key as never" : "key" };
  if (t.kind === "scalar" && NUMBER_SCALARS.has(t.name)) return { toString: (v) => `\`\${${v}}\``, fromString: "Number(key)" };
  if (t.kind === "scalar" && t.name === "bool") return { toString: (v) => `\`\${${v}}\``, fromString: 'key === "true"' };
  if (t.kind === "enum") return { toString: (v) => v, fromString: `${refs.expr.ref(t)}.parse(key)` };
  return { toString: (v) => ["JSON.stringify", [v]], fromString: "JSON.parse(key)" };
}

function defineBlock(refs: SchemaRefs, p: ProjectionModel, n: ProjectionNames, branded: boolean): string[] {
  const events = p.from.map((f) => f.event.name);
  const key = p.key as FieldModel;
  const codec = keyCodec(refs, key, branded);
  const keyExpr = codec.toString(`event.data${access(key.name)}`);
  const keyOf = [
    `${pad(2)}keyOf(event) {`,
    ...(typeof keyExpr === "string" ? [`${pad(3)}return ${keyExpr};`] : callLines(3, `return ${keyExpr[0]}`, keyExpr[1], ";")),
    `${pad(2)}},`,
  ];
  const entries: Entry[] = p.fields.some((f) => f.name === key.name) ? defaultEntries(p.fields, branded) : [[propertyKey(key.name), codec.fromString], ...defaultEntries(p.fields, branded)];
  const initialRow = [`${pad(2)}initialRow(key) {`, ...objectLines(3, "return ", entries, ";"), `${pad(2)}},`];
  return defineProjectionLines({
    name: p.name,
    key: key.name,
    properties: propertyLines(2, "name", stringLiteral(p.qualifiedName)),
    // `H` is the table as written: each handler's row is checked exactly (a misspelt key is an
    // error). Its default types the handlers' parameters (without it they would be implicitly any).
    signature: signatureLines(`export function ${n.define}<H extends ${n.handlers} = ${n.handlers}>`, [`handlers: ExactTable<H, keyof ${n.events}, ${n.row}>`], n.projection),
    events: list(2, "events: ", "[", events.map((e) => stringLiteral(e)), "]", ","),
    keyOf,
    initialRow,
  });
}
