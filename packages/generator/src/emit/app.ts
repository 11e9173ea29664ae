/**
 * `app.ts`: the model's wiring to the runtime. `createApp(implementation, options)` takes the
 * user's deciders, services, projections, workflow hooks and upcast hooks — by context, each
 * required by the type — routes every command type to its handler, hands the runtime the
 * workflows (orchestrators on the store, choreographies on the bus), and opens the store and bus.
 */
import type { ContextModel, Model } from "@eda/language";
import { propertyKey, stringLiteral } from "../escape.js";
import type { Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { constArrayLines } from "../print/schema-lines.js";
import { array, call, member } from "../print/ts.js";
import { objectType, ref, text, typeAlias, union, type Member } from "../print/ts-types.js";
import type { GenContext, GenModel, GenWorkflow } from "../lower/gen-model.js";
import { genIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { access, accessOf } from "./behaviour.js";
import { docProp, fitLines, objectProp, valueProp, writeProps, writeTable, type PropNode } from "../print/object-lines.js";
import { interfaceLines } from "../print/interface-lines.js";

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
  return interfaceLines("export interface Implementation", members);
}

/** The routes of a context's commands to their handlers. */
function routes(c: ContextModel): PropNode[] {
  const route = (command: string, kind: string, key: string, name: string): PropNode =>
    objectProp(propertyKey(command), [valueProp("kind", stringLiteral(kind), "string"), implementationProp(key, c.name, name)], true);
  const out: PropNode[] = [];
  for (const a of c.aggregates) for (const h of a.handlers) out.push(route(h.command.name, "aggregate", "decider", a.name));
  for (const s of c.services) for (const h of s.handlers) out.push(route(h.command.name, "service", "service", s.name));
  return out;
}

/** `key: implementation.Context.Name`. */
function implementationProp(key: string, context: string, name: string): PropNode {
  return docProp(key, implementationText(context, name), implementationOf(context, name), "chain");
}

/** `implementation.Context.Name` printed flat. */
function implementationText(context: string, name: string): string {
  return `implementation${access(context)}${access(name)}`;
}

/** `workflows: { orchestrated: […], choreographed: […] }` of `createApp`, or nothing without workflows. */
function workflowsProperty(gen: GenModel): PropNode[] {
  const modes: PropNode[] = [];
  for (const mode of ["orchestrated", "choreographed"] as const) {
    const flat: string[] = [];
    const docs: Doc[] = [];
    for (const g of gen.contexts) {
      for (const w of g.workflows) {
        if (w.mode !== mode) continue;
        flat.push(w.hooked ? `${g.aliases.workflows}.${w.names.define}(${implementationText(g.name, w.name)})` : `${g.aliases.workflows}.${w.names.constant}`);
        docs.push(definitionExpr(g, w));
      }
    }
    if (docs.length > 0) modes.push(docProp(mode, `[${flat.join(", ")}]`, array(docs)));
  }
  return modes.length === 0 ? [] : [objectProp("workflows", modes, true)];
}

/**
 * The projections, pushed context by context into a list typed once: an array literal of them
 * all would have a model-wide union type, whose reduction grows with the square of the model
 * (TS2590 at 500 contexts).
 */
function projectionStatements(out: string[], contexts: readonly ContextModel[]): void {
  if (contexts.length === 0) return;
  out.push("  const projections: Projection<AnyEvent, unknown>[] = [];");
  for (const c of contexts) {
    const flat = `projections.push(${c.projections.map((p) => implementationText(c.name, p.name)).join(", ")})`;
    out.push(...fitLines(1, flat, () => call("projections.push", c.projections.map((p) => implementationOf(c.name, p.name))), ";"));
  }
}

function declaresRejections(model: Model): boolean {
  return model.contexts.some((c) => [...c.aggregates, ...c.services].some((o) => o.rejections.length > 0));
}

/** The model's names at the edge: projections with their rows, orchestrated workflows, declared rejections. */
function edgeTypeBlocks(gen: GenModel, model: Model): string[][] {
  const rows = gen.contexts.flatMap((g) => g.projections.map((p) => ({ key: propertyKey(p.qualifiedName), type: `${g.aliases.projections}.${p.names.row}` })));
  const orchestrated = model.contexts.flatMap((c) => c.workflows.filter((w) => w.mode === "orchestrated").map((w) => stringLiteral(w.name)));
  const blocks = [
    ["/** The projections of the model, by name (`app.projection(name)`), each with its row type. */", ...interfaceLines("export interface ProjectionRows", rows)],
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
  return [...blocks, ["/** What each command may be refused with, as its handler declares (`rejects`); else `unknown`. */", ...interfaceLines("export interface CommandRejections", reasons)]];
}

/** The `send` member of `ModelApp`: with declared rejections, the outcome's reason is typed per command. */
function sendLines(model: Model): string[] {
  return declaresRejections(model)
    ? ["  send<C extends AnyCommand, O extends SendOptions = Record<never, never>>(", "    command: C,", "    options?: O,", '  ): Promise<OutcomeOf<O, CommandRejections[C["type"]]>>;']
    : ["  send<O extends SendOptions = Record<never, never>>(", "    command: AnyCommand,", "    options?: O,", "  ): Promise<OutcomeOf<O>>;"];
}

/** Builds `app.ts`: the typed `createApp` of the whole model (its fixed parts are in its template). */
export function emitApp(gen: GenModel, model: Model): FileView[] {
  return [
    fileView("app", gen.modules.app.path, {
      ...moduleHead(gen.modules.app),
      implementation: block(implementationBlock(gen, model, gen.contexts.some((c) => c.upcasts?.hooks !== undefined))),
      edgeTypes: edgeTypeBlocks(gen, model).map(block),
      send: block(sendLines(model)),
      createAppBody: block(createAppBody(gen, model)),
      commandTypes: block(commandTypesLines(model)),
    }),
  ];
}

/**
 * The body of `createApp`: the projections, and the call of the runtime's app with its wiring
 * (an object always broken, the call's first argument, so the call breaks too).
 */
function createAppBody(gen: GenModel, model: Model): string[] {
  const hooked = gen.contexts.some((c) => c.upcasts?.hooks !== undefined);
  const projected = model.contexts.filter((c) => c.projections.length > 0);
  const codec = hooked ? docProp("codec", "createCodec(implementation.upcasts)", call("createCodec", ["implementation.upcasts"])) : valueProp("codec", "createCodec()");
  const out: string[] = [];
  projectionStatements(out, projected);
  // The runtime's app is untyped by the model's names and reasons: ModelApp narrows it.
  out.push("  return createRuntimeApp<AnyEvent>(", "    {");
  writeProps(out, 3, [codec]);
  writeTable(out, 3, "routes", model.contexts, routes);
  if (projected.length > 0) out.push("      projections,");
  else writeProps(out, 3, [valueProp("projections", "[]")]);
  writeProps(out, 3, workflowsProperty(gen));
  // No `contexts` without a message type or projection.
  if (model.contexts.some((c) => c.commands.length + c.events.length + c.projections.length > 0)) writeTable(out, 3, "contexts", model.contexts, contextEntries);
  out.push("    },", "    options,", "  ) as Promise<ModelApp>;");
  return out;
}

/** `export const commandTypes = [...] as const;`: on one line when it fits, else one name per line. */
function commandTypesLines(model: Model): string[] {
  const names = model.contexts.flatMap((c) => c.commands.map((m) => stringLiteral(m.name)));
  return constArrayLines("export const commandTypes", names);
}

/** The context of each of a context's message types and projections, for the audit's per-context switch. */
function contextEntries(c: ContextModel): PropNode[] {
  const entries: PropNode[] = [];
  const context = stringLiteral(c.name);
  for (const m of c.commands) entries.push(valueProp(propertyKey(m.name), context, "string"));
  for (const m of c.events) entries.push(valueProp(propertyKey(m.name), context, "string"));
  for (const p of c.projections) entries.push(valueProp(propertyKey(`${c.name}.${p.name}`), context, "string"));
  return entries;
}
