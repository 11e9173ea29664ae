/**
 * `<context>/projections.ts`: per projection its row (schema and type: the key and the declared
 * fields with their defaults), one handler per `from` event and `define<Projection>(handlers)`,
 * which returns the runtime's `Projection` (key taken from each event's key field).
 */
import type { ContextModel, FieldModel, Model, ProjectionModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { list, pad } from "../layout.js";
import { contextDir, header } from "../names.js";
import { BRANDS, generatorOptions } from "../options.js";
import { renderModule } from "../templates.js";
import { access, callLines, defaultEntries, type Entry, fromContext, genericAlias, mappedAlias, objectLines, propertyLines, recordSchema, SchemaRefs, signatureLines, supportImport, tableInterface, unionAlias } from "./behaviour.js";
import { defineProjectionLines } from "./handler-templates.js";

/** The names a projection's module exports. */
export interface ProjectionNames {
  readonly row: string;
  readonly events: string;
  readonly event: string;
  readonly handlers: string;
  readonly projection: string;
  readonly define: string;
}

/** The exported names of projection `p`. */
export function projectionNames(p: ProjectionModel): ProjectionNames {
  const n = identifier(p.name);
  return { row: `${n}Row`, events: `${n}Events`, event: `${n}Event`, handlers: `${n}Handlers`, projection: `${n}Projection`, define: `define${n}` };
}

const STRING_SCALARS = new Set(["string", "uuid", "email", "url", "date", "timestamp", "decimal"]);
const NUMBER_SCALARS = new Set(["int", "float", "duration"]);

/** The fields of a row: the key first, then the declared fields. */
export function rowFields(p: ProjectionModel): FieldModel[] {
  return p.key && !p.fields.some((f) => f.name === p.key?.name) ? [p.key, ...p.fields] : [...p.fields];
}

/** Builds `<context>/projections.ts` for every context with projections. */
export function emitProjections(model: Model): GeneratedFile[] {
  return model.contexts.filter((c) => c.projections.length > 0).map((c) => ({ path: `${contextDir(c.name)}/projections.ts`, content: projectionsModule(model, c) }));
}

function projectionsModule(model: Model, c: ContextModel): string {
  const refs = new SchemaRefs(model, c);
  const blocks = c.projections.flatMap((p) => projectionBlocks(refs, p));
  const patterns = refs.patternLines();
  const imports = [
    'import type { Projection, StoredEvent } from "@eda/runtime";',
    'import { z } from "zod";',
    `import { unhandled, type ExactTable } from "${fromContext("decisions.js")}";`,
    ...supportImport(blocks),
    ...refs.imports(),
  ];
  return renderModule({ header: header(c.files), imports, blocks: patterns.length > 0 ? [patterns, ...blocks] : blocks });
}

function projectionBlocks(refs: SchemaRefs, p: ProjectionModel): string[][] {
  const n = projectionNames(p);
  const title = `projection \`${p.name}\``;
  const events = p.from.map((f) => f.event);
  const keyNote = p.key ? `, one per \`${p.key.name}\`` : "";
  return [
    recordSchema(refs, n.row, `A row of ${title}${keyNote}.`, rowFields(p)),
    tableInterface(`The events ${title} is built from, by name, in their current versions.`, n.events, events.map((e) => ({ key: e.name, doc: e.doc, types: [refs.data(e)] }))),
    [...docComment(`An event ${title} reads, as \`{ type, data }\`.`), ...unionAlias(`export type ${n.event}`, events.map((e) => refs.message(e)))],
    [
      ...docComment(
        [
          `The hand-written behaviour of ${title}.`,
          "One handler per event: it returns the row after the event (a new object; the old row is",
          "read-only), or `null` to delete the row. The envelope carries the event's time and",
          "position.",
        ].join("\n"),
      ),
      ...mappedAlias(`export type ${n.handlers}`, `readonly [K in keyof ${n.events}]: `, [`row: Readonly<${n.row}>`, `event: ${n.events}[K]`, "envelope: StoredEvent"], `${n.row} | null`),
    ],
    [...docComment(`The runtime definition of ${title}.`), ...genericAlias(`export type ${n.projection}`, "Projection", [n.event, n.row])],
    defineBlock(refs, p, n),
  ];
}

/** How the key travels: the string the runtime keys rows by, and the row's typed key back from it. */
function keyCodec(refs: SchemaRefs, key: FieldModel): { toString: (v: string) => [string, string[]] | string; fromString: string } {
  const t = key.type;
  // A branded key came from an event's key field, which was validated: the cast only restores its brand.
  if (t.kind === "scalar" && STRING_SCALARS.has(t.name)) return { toString: (v) => v, fromString: generatorOptions().brandedScalars && BRANDS[t.name] ? "key as never" : "key" };
  if (t.kind === "scalar" && NUMBER_SCALARS.has(t.name)) return { toString: (v) => `\`\${${v}}\``, fromString: "Number(key)" };
  if (t.kind === "scalar" && t.name === "bool") return { toString: (v) => `\`\${${v}}\``, fromString: 'key === "true"' };
  if (t.kind === "enum") return { toString: (v) => v, fromString: `${refs.expr.ref(t)}.parse(key)` };
  return { toString: (v) => ["JSON.stringify", [v]], fromString: "JSON.parse(key)" };
}

function defineBlock(refs: SchemaRefs, p: ProjectionModel, n: ProjectionNames): string[] {
  const events = p.from.map((f) => f.event.name);
  const key = p.key as FieldModel;
  const codec = keyCodec(refs, key);
  const keyExpr = codec.toString(`event.data${access(key.name)}`);
  const keyOf = [
    `${pad(2)}keyOf(event) {`,
    ...(typeof keyExpr === "string" ? [`${pad(3)}return ${keyExpr};`] : callLines(3, `return ${keyExpr[0]}`, keyExpr[1], ";")),
    `${pad(2)}},`,
  ];
  const entries: Entry[] = p.fields.some((f) => f.name === key.name) ? defaultEntries(p.fields) : [[propertyKey(key.name), codec.fromString], ...defaultEntries(p.fields)];
  const initialRow = [`${pad(2)}initialRow(key) {`, ...objectLines(3, "return ", entries, ";"), `${pad(2)}},`];
  const apply = [
    `${pad(2)}apply(row, event, envelope) {`,
    `${pad(3)}switch (event.type) {`,
    ...events.flatMap((e) => [`${pad(4)}case ${stringLiteral(e)}:`, ...callLines(5, `return handlers${access(e)}`, ["row", "event.data", "envelope"], ";")]),
    `${pad(4)}default:`,
    ...callLines(5, "return unhandled", [stringLiteral(p.qualifiedName), "event"], ";"),
    `${pad(3)}}`,
    `${pad(2)}},`,
  ];
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
    apply,
  });
}
