/**
 * `app.ts`: the model's wiring to the runtime. `createApp(implementation, options)` takes the
 * user's deciders, services, projections, workflow hooks and upcast hooks — by context, each
 * required by the type — routes every command type to its handler, hands the runtime the
 * workflows (orchestrators on the store, choreographies on the bus), and opens the store and bus.
 */
import type { ContextModel, Model } from "@eda/language";
import { propertyKey, stringLiteral } from "../escape.js";
import { hardline, join, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { array, assign, call, member, object, property } from "../print/ts.js";
import { interfaceDecl, objectType, ref, text, typeAlias, union, type Member } from "../print/ts-types.js";
import type { GenContext, GenModel, GenWorkflow } from "../lower/gen-model.js";
import { genIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { accessOf } from "./behaviour.js";

/** The lowered context of each of the model's contexts (same order). */
const lowered = (gen: GenModel, i: number): GenContext => gen.contexts[i] as GenContext;

/** The definition of a workflow in `createApp`: its constant, or `defineX(hooks)` with the user's hooks. */
function definitionExpr(g: GenContext, w: GenWorkflow): Doc {
  const ns = g.aliases.workflows;
  return w.hooked ? call(`${ns}.${w.names.define}`, [implementationOf(g.name, w.name)]) : `${ns}.${w.names.constant}`;
}

/** `implementation.Context.Name`. */
function implementationOf(context: string, name: string): Doc {
  return member("implementation", [accessOf(context), accessOf(name)]);
}

function implementationBlock(gen: GenModel, model: Model, hooked: boolean): string[] {
  const members: Member[] = [];
  for (const [i, c] of model.contexts.entries()) {
    const g = lowered(gen, i);
    const own: Member[] = [
      ...g.aggregates.map((a) => ({ key: propertyKey(a.name), type: ref(`${g.aliases.aggregates}.${a.names.decider}`, "unknown") })),
      ...g.services.map((s) => ({ key: propertyKey(s.name), type: ref(`${g.aliases.services}.${s.names.service}`, "unknown") })),
      ...g.projections.map((p) => ({ key: propertyKey(p.name), type: `${g.aliases.projections}.${p.names.projection}` })),
      ...g.workflows.filter((w) => w.hooked).map((w) => ({ key: w.key, type: `${g.aliases.workflows}.${w.names.hooks}` })),
    ];
    if (own.length > 0) members.push({ key: propertyKey(c.name), type: objectType(own) });
  }
  if (hooked) members.push({ key: "upcasts", type: "UpcastHooks", doc: ["/** The conversions the model's upcasts leave to code. */"] });
  return [printDoc(interfaceDecl("export interface Implementation", [], members))];
}

function routes(model: Model): Doc[] {
  const route = (command: string, kind: string, key: string, target: Doc): Doc =>
    property(propertyKey(command), object([property("kind", stringLiteral(kind), "string"), property(key, target, "chain")], true));
  return model.contexts.flatMap((c) => [
    ...c.aggregates.flatMap((a) => a.handlers.map((h) => route(h.command.name, "aggregate", "decider", implementationOf(c.name, a.name)))),
    ...c.services.flatMap((s) => s.handlers.map((h) => route(h.command.name, "service", "service", implementationOf(c.name, s.name)))),
  ]);
}

/** `workflows: { orchestrated: […], choreographed: […] }` of `createApp`, or nothing without workflows. */
function workflowsProperty(gen: GenModel): Doc[] {
  const of = (mode: "orchestrated" | "choreographed"): Doc[] => gen.contexts.flatMap((g) => g.workflows.filter((w) => w.mode === mode).map((w) => definitionExpr(g, w)));
  const modes = (["orchestrated", "choreographed"] as const).flatMap((mode) => {
    const items = of(mode);
    return items.length === 0 ? [] : [property(mode, array(items))];
  });
  return modes.length === 0 ? [] : [property("workflows", object(modes, true))];
}

/**
 * The projections, pushed context by context into a list typed once: an array literal of them
 * all would have a model-wide union type, whose reduction grows with the square of the model
 * (TS2590 at 500 contexts).
 */
function projectionStatements(contexts: readonly ContextModel[]): Doc[] {
  if (contexts.length === 0) return [];
  return [
    "const projections: Projection<AnyEvent, unknown>[] = [];",
    ...contexts.map((c) => [call("projections.push", c.projections.map((p) => implementationOf(c.name, p.name))), ";"]),
  ];
}

function declaresRejections(model: Model): boolean {
  return model.contexts.some((c) => [...c.aggregates, ...c.services].some((o) => o.rejections.length > 0));
}

/** The model's names at the edge: projections with their rows, orchestrated workflows, declared rejections. */
function edgeTypeBlocks(gen: GenModel, model: Model): string[][] {
  const rows = gen.contexts.flatMap((g) => g.projections.map((p) => ({ key: propertyKey(p.qualifiedName), type: `${g.aliases.projections}.${p.names.row}` })));
  const orchestrated = model.contexts.flatMap((c) => c.workflows.filter((w) => w.mode === "orchestrated").map((w) => stringLiteral(w.name)));
  const blocks = [
    ["/** The projections of the model, by name (`app.projection(name)`), each with its row type. */", printDoc(interfaceDecl("export interface ProjectionRows", [], rows))],
    ["/** The orchestrated workflows of the model, by name (`app.orchestrator(name)`). */", printDoc(typeAlias("export type OrchestratorName", [], union(orchestrated.map(text))))],
  ];
  if (!declaresRejections(model)) return blocks;
  const reasons: Member[] = [];
  for (const [i, c] of model.contexts.entries()) {
    const g = lowered(gen, i);
    const cx = genIndex(gen).context(c.name);
    const owners = [
      ...c.aggregates.map((a) => [a, g.aliases.aggregates, cx.aggregate(a.name).names.rejects] as const),
      ...c.services.map((s) => [s, g.aliases.services, cx.service(s.name).names.rejects] as const),
    ];
    for (const [o, ns, rejects] of owners) {
      for (const h of o.handlers) {
        reasons.push({ key: propertyKey(h.command.name), type: h.rejects.length === 0 ? "unknown" : text(`${ns}.${rejects}<unknown>[${stringLiteral(h.command.name)}]`) });
      }
    }
  }
  return [...blocks, ["/** What each command may be refused with, as its handler declares (`rejects`); else `unknown`. */", printDoc(interfaceDecl("export interface CommandRejections", [], reasons))]];
}

/** The `send` member of `ModelApp`: with declared rejections, the outcome's reason is typed per command. */
function sendLines(model: Model): string[] {
  return declaresRejections(model)
    ? ["  send<C extends AnyCommand, O extends SendOptions = Record<never, never>>(", "    command: C,", "    options?: O,", '  ): Promise<OutcomeOf<O, CommandRejections[C["type"]]>>;']
    : ["  send<O extends SendOptions = Record<never, never>>(", "    command: AnyCommand,", "    options?: O,", "  ): Promise<OutcomeOf<O>>;"];
}

/** Builds `app.ts`: the typed `createApp` of the whole model (its fixed parts are in its template). */
export function emitApp(gen: GenModel, model: Model): FileView[] {
  const hooked = gen.contexts.some((c) => c.upcasts?.hooks !== undefined);
  const projected = model.contexts.filter((c) => c.projections.length > 0);
  const wiring = object(
    [
      property("codec", call("createCodec", hooked ? ["implementation.upcasts"] : [])),
      property("routes", object(routes(model), true)),
      projected.length > 0 ? "projections" : property("projections", "[]"),
      ...workflowsProperty(gen),
      ...contextsProperty(model),
    ],
    true,
  );
  // The runtime's app is untyped by the model's names and reasons: ModelApp narrows it.
  const body = [...projectionStatements(projected), ["return ", call("createRuntimeApp<AnyEvent>", [wiring, "options"]), " as Promise<ModelApp>;"]];
  const commandTypes = printDoc([assign("export const commandTypes", " =", [array(model.contexts.flatMap((c) => c.commands.map((m) => stringLiteral(m.name)))), " as const"]), ";"]);
  return [
    fileView("app", gen.modules.app.path, {
      ...moduleHead(gen.modules.app),
      implementation: block(implementationBlock(gen, model, hooked)),
      edgeTypes: edgeTypeBlocks(gen, model).map(block),
      send: block(sendLines(model)),
      createAppBody: printDoc(join(hardline, body), 1),
      commandTypes,
    }),
  ];
}

/** The context of every message type and projection, for the audit's per-context switch. */
function contextsProperty(model: Model): Doc[] {
  const entries = model.contexts.flatMap((c) => [
    ...[...c.commands, ...c.events].map((m) => [m.name, c.name] as const),
    ...c.projections.map((p) => [`${c.name}.${p.name}`, c.name] as const),
  ]);
  if (entries.length === 0) return [];
  return [property("contexts", object(entries.map(([name, context]) => property(propertyKey(name), stringLiteral(context), "string")), true))];
}
