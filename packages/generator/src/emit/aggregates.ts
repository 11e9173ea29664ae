/**
 * `<context>/aggregates.ts`: per aggregate its state (schema, type, initial value from the
 * declared defaults), what each command may emit, the handlers a user writes (`decide` per
 * command, `evolve` per event) and `define<Aggregate>(handlers)`, which gives the runtime's
 * `decider` the aggregate's data and handlers. The handler types make an undeclared event, a missing or an extra handler a
 * compile error.
 */
import type { AggregateModel, Model } from "@eda/language";
import { docComment, stringLiteral } from "../escape.js";
import { printLines } from "../print/printer.js";
import { call } from "../print/ts.js";
import { ref, text, type Member } from "../print/ts-types.js";
import type { AggregateNames, GenModel } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { emittedEvents } from "../model-facts.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { AggregateSections } from "../render/view-data.js";
import { access, defaultEntries, fingerprint, objectStatement, propertyLines, recordSchema, SchemaRefs, shapeOf, templateText } from "./behaviour.js";
import { interfaceLines } from "../print/interface-lines.js";
import { tableInterface } from "./tables.js";
import { mappedAliasLines, refAliasLines, signatureLines, unionAliasLines } from "../print/type-lines.js";
import { defineAggregateLines } from "./handler-templates.js";
import { ownerReason, reasonOf, rejectionBlocks } from "./rejections.js";
import { variantStateBlocks, variantsShape } from "./variants.js";

/** Builds `<context>/aggregates.ts` for every context with aggregates. */
export function emitAggregates(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.filter((c) => c.aggregates.length > 0).map((c) => {
    const cx = index.context(c.name);
    const module = cx.gen.modules.aggregates;
    if (!module) throw new Error(`eda bug: no aggregates module for ${c.name}`);
    const refs = new SchemaRefs(index, gen.options.brandedScalars);
    const aggregates = c.aggregates.map((a) => aggregateSections(refs, cx, a));
    refs.checkImports(module);
    const patterns = refs.patternLines();
    return fileView("aggregates", module.path, { ...moduleHead(module), patterns: patterns.length > 0 ? [block(patterns)] : [], aggregates }, c.name);
  });
}

function aggregateSections(refs: SchemaRefs, cx: ContextIndex, a: AggregateModel): AggregateSections {
  const n = cx.aggregate(a.name).names;
  const events = emittedEvents(a);
  const title = `aggregate \`${a.name}\``;
  const state = a.variants
    ? variantStateBlocks(refs, a, a.variants, n.state, n.initialState)
    : [
        recordSchema(refs, n.state, `The state of ${title}, rebuilt from its events (and kept in snapshots).`, a.state),
        [...docComment(`The state of \`${a.name}\` before its first event: the declared defaults.`), ...objectStatement(`export const ${n.initialState}: ${n.state}`, defaultEntries(a.state, refs.expr.branded))],
      ];
  return {
    name: a.name,
    stateType: n.state,
    state: state.map(block),
    commands: block(tableInterface(undefined, n.commands, a.handlers.map((h) => ({ key: h.command.name, doc: h.command.doc, types: [refs.data(h.command)] })))),
    emits: block(
      tableInterface(
        undefined,
        n.emits,
        a.handlers.map((h) => ({ key: h.command.name, types: h.emits.map((e) => refs.message(e)) })),
      ),
    ),
    events: block(tableInterface(undefined, n.events, events.map((e) => ({ key: e.name, doc: e.doc, types: [refs.data(e)] })))),
    command: block(unionAliasLines(`export type ${n.command}`, a.handlers.map((h) => refs.message(h.command)))),
    event: block(unionAliasLines(`export type ${n.event}`, events.map((e) => refs.message(e)))),
    rejections: rejectionBlocks(refs, a, n).map(block),
    ...handlerTypes(a, n),
    decider: block(refAliasLines(`export type ${n.decider}`, [REASON], ref("Decider", n.command, n.event, n.state, ownerReason(a, n)))),
    define: block(defineBlock(a, n)),
  };
}

/** The `decide` and `evolve` handler types, and both together (their docs are the template's). */
function handlerTypes(a: AggregateModel, n: AggregateNames): Pick<AggregateSections, "decide" | "evolve" | "handlers"> {
  const state = `Readonly<${n.state}>`;
  const decide = [{ name: "command", type: text(`${n.commands}[K]`) }, { name: "state", type: state }, { name: "context", type: "DecideContext" }];
  const evolve = [{ name: "state", type: state }, { name: "event", type: text(`${n.events}[K]`) }];
  return {
    decide: block(mappedAliasLines(`export type ${n.decide}`, [REASON], `keyof ${n.commands}`, decide, ref("Decision", text(`${n.emits}[K]`), reasonOf(a, n, "K")))),
    evolve: block(mappedAliasLines(`export type ${n.evolve}`, [], `keyof ${n.events}`, evolve, n.state)),
    handlers: block(interfaceLines(`export interface ${n.handlers}`, handlersMembers(n), [REASON, { name: "E", constraint: n.evolve, fallback: n.evolve }])),
  };
}

/** `R = RejectionReason`, the type parameter of a rejection's reason. */
const REASON = { name: "R", fallback: "RejectionReason" };

function handlersMembers(n: AggregateNames): Member[] {
  return [
    { key: "decide", type: ref(n.decide, "R") },
    { key: "evolve", type: ref("ExactTable", "E", text(`keyof ${n.events}`), n.state) },
  ];
}

/**
 * `define<Aggregate>(handlers)`: the aggregate's data for the runtime's `decider`, which calls
 * the handler of each command's and event's type (the types come from the declared return type).
 */
function defineBlock(a: AggregateModel, n: AggregateNames): string[] {
  const streamField = a.stream?.field;
  const stream = streamField === undefined ? stringLiteral(a.qualifiedName) : `\`${templateText(a.qualifiedName)}-\${command.data${access(streamField)}}\``;
  const unhandled = printLines(["throw ", call("new Error", [stringLiteral(`${a.qualifiedName} handles no commands`)]), ";"], 3);
  const streamOf = a.handlers.length === 0 ? ["    streamOf() {", ...unhandled, "    },"] : ["    streamOf(command) {", `      return ${stream};`, "    },"];
  const options = [
    ...(a.snapshotEvery !== undefined ? [`    snapshotEvery: ${a.snapshotEvery},`] : []),
    "    // Follows the shape of the state in the model: snapshots of an older shape are ignored.",
    ...propertyLines(2, "snapshotTag", stringLiteral(`${a.qualifiedName}@${fingerprint(a.variants ? variantsShape(a.variants) : shapeOf(a.state))}`), "string"),
  ];
  return defineAggregateLines({
    name: a.name,
    properties: [...propertyLines(2, "name", stringLiteral(a.qualifiedName), "string"), ...propertyLines(2, "initialState", n.initialState, "expr")],
    signature: signatureLines(`export function ${n.define}`, [REASON, { name: "E", constraint: n.evolve, fallback: n.evolve }], [{ name: "handlers", type: ref(n.handlers, ref("NoInfer", "R"), "E") }], ref(n.decider, "R")),
    streamOf,
    options,
  });
}
