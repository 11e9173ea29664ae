/**
 * `app.ts`: the model's wiring to the runtime. `createApp(implementation, options)` takes the
 * user's deciders, services, projections, workflow hooks and upcast hooks — by context, each
 * required by the type — routes every command type to its handler, hands the runtime the
 * workflows (orchestrators on the store, choreographies on the bus), and opens the store and bus.
 */
import type { ContextModel, Model } from "@eda/language";
import { identifier, propertyKey, stringLiteral } from "../escape.js";
import { list, member, pad, WIDTH } from "../layout.js";
import type { GenContext, GenModel, GenWorkflow } from "../lower/gen-model.js";
import { genIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { unionAlias } from "./type-layout.js";

/** The lowered context of each of the model's contexts (same order). */
const lowered = (gen: GenModel, i: number): GenContext => gen.contexts[i] as GenContext;

/** The definition of a workflow in `createApp`: its constant, or `defineX(hooks)` with the user's hooks. */
function definitionExpr(g: GenContext, w: GenWorkflow): string {
  const ns = g.aliases.workflows;
  return w.hooked ? `${ns}.${w.names.define}(implementation.${identifier(g.name)}.${identifier(w.name)})` : `${ns}.${w.names.constant}`;
}

function implementationLines(gen: GenModel, model: Model, hooked: boolean): string[] {
  const lines = ["export interface Implementation {"];
  for (const [i, c] of model.contexts.entries()) {
    const g = lowered(gen, i);
    const members = [
      ...g.aggregates.map((a) => `${pad(2)}readonly ${propertyKey(a.name)}: ${g.aliases.aggregates}.${a.names.decider}<unknown>;`),
      ...g.services.map((s) => `${pad(2)}readonly ${propertyKey(s.name)}: ${g.aliases.services}.${s.names.service}<unknown>;`),
      ...g.projections.map((p) => `${pad(2)}readonly ${propertyKey(p.name)}: ${g.aliases.projections}.${p.names.projection};`),
      ...g.workflows.filter((w) => w.hooked).map((w) => `${pad(2)}readonly ${w.key}: ${g.aliases.workflows}.${w.names.hooks};`),
    ];
    if (members.length > 0) lines.push(`${pad(1)}readonly ${propertyKey(c.name)}: {`, ...members, `${pad(1)}};`);
  }
  if (hooked) lines.push(`${pad(1)}/** The conversions the model's upcasts leave to code. */`, `${pad(1)}readonly upcasts: UpcastHooks;`);
  lines.push("}");
  return lines;
}

function routeLines(model: Model): string[] {
  const lines: string[] = [];
  for (const c of model.contexts) {
    for (const a of c.aggregates) {
      for (const h of a.handlers) {
        lines.push(`${pad(4)}${propertyKey(h.command.name)}: {`, `${pad(5)}kind: "aggregate",`, ...memberProperty(5, "decider", `implementation.${identifier(c.name)}.${identifier(a.name)}`), `${pad(4)}},`);
      }
    }
    for (const s of c.services) {
      for (const h of s.handlers) {
        lines.push(`${pad(4)}${propertyKey(h.command.name)}: {`, `${pad(5)}kind: "service",`, ...memberProperty(5, "service", `implementation.${identifier(c.name)}.${identifier(s.name)}`), `${pad(4)}},`);
      }
    }
  }
  return lines;
}

/** `workflows: { orchestrated: […], choreographed: […] },` of `createApp`, or nothing without workflows. */
function workflowLines(gen: GenModel): string[] {
  const of = (mode: "orchestrated" | "choreographed"): string[] => gen.contexts.flatMap((g) => g.workflows.filter((w) => w.mode === mode).map((w) => definitionExpr(g, w)));
  const group = (key: string, items: readonly string[]): string[] => {
    if (items.length === 0) return [];
    const one = `${pad(4)}${key}: [${items.join(", ")}],`;
    if (one.length <= WIDTH) return [one];
    return [`${pad(4)}${key}: [`, ...items.flatMap((i) => element(5, i)), `${pad(4)}],`];
  };
  const inner = [...group("orchestrated", of("orchestrated")), ...group("choreographed", of("choreographed"))];
  return inner.length === 0 ? [] : [`${pad(3)}workflows: {`, ...inner, `${pad(3)}},`];
}

/** `key: a.b.c,`, broken after the colon when too long (Prettier's layout for a member chain and a key of 5+ characters). */
function memberProperty(depth: number, key: string, chain: string): string[] {
  const one = `${pad(depth)}${key}: ${chain},`;
  if (one.length <= WIDTH) return [one];
  const next = `${pad(depth + 1)}${chain},`;
  const dot = chain.lastIndexOf(".");
  // Still too long on its own line: the chain breaks before its last member.
  if (next.length <= WIDTH || dot < 0) return [`${pad(depth)}${key}:`, next];
  return [`${pad(depth)}${key}:`, `${pad(depth + 1)}${chain.slice(0, dot)}`, `${pad(depth + 2)}${chain.slice(dot)},`];
}

/** An array element, a call's one argument on its own line when it does not fit. */
function element(depth: number, expr: string): string[] {
  const one = `${pad(depth)}${expr},`;
  const call = /^([^(]+)\((.+)\)$/.exec(expr);
  if (one.length <= WIDTH || !call) return [one];
  const arg = call[2] as string;
  const dot = arg.lastIndexOf(".");
  // A member chain of three or more parts that does not fit breaks before its last member.
  const argLines = `${pad(depth + 1)}${arg},`.length <= WIDTH || dot < 0 || arg.indexOf(".") === dot ? [`${pad(depth + 1)}${arg},`] : [`${pad(depth + 1)}${arg.slice(0, dot)}`, `${pad(depth + 2)}${arg.slice(dot)},`];
  return [`${pad(depth)}${call[1]}(`, ...argLines, `${pad(depth)}),`];
}

/**
 * The projections, pushed context by context into a list typed once: an array literal of them
 * all would have a model-wide union type, whose reduction grows with the square of the model
 * (TS2590 at 500 contexts).
 */
function projectionLines(contexts: readonly ContextModel[]): string[] {
  if (contexts.length === 0) return [];
  const lines = ["  const projections: Projection<AnyEvent, unknown>[] = [];"];
  for (const c of contexts) lines.push(...list(1, "projections.push", "(", c.projections.map((p) => `implementation.${identifier(c.name)}.${identifier(p.name)}`), ")", ";"));
  return lines;
}

function declaresRejections(model: Model): boolean {
  return model.contexts.some((c) => [...c.aggregates, ...c.services].some((o) => o.rejections.length > 0));
}

/** `  readonly key: type;` on one line, however long: Prettier does not break a type reference. */
function memberLines(key: string, type: string): string[] {
  return [`${pad(1)}readonly ${key}: ${type};`];
}

/** The model's names at the edge: projections with their rows, orchestrated workflows, declared rejections. */
function edgeTypeBlocks(gen: GenModel, model: Model): string[][] {
  const rows = gen.contexts.flatMap((g) => g.projections.flatMap((p) => memberLines(propertyKey(p.qualifiedName), `${g.aliases.projections}.${p.names.row}`)));
  const orchestrated = model.contexts.flatMap((c) => c.workflows.filter((w) => w.mode === "orchestrated").map((w) => stringLiteral(w.name)));
  const blocks = [
    ["/** The projections of the model, by name (`app.projection(name)`), each with its row type. */", ...(rows.length === 0 ? ["export interface ProjectionRows {}"] : ["export interface ProjectionRows {", ...rows, "}"])],
    ["/** The orchestrated workflows of the model, by name (`app.orchestrator(name)`). */", ...unionAlias("export type OrchestratorName", orchestrated)],
  ];
  if (!declaresRejections(model)) return blocks;
  const reasons: string[] = [];
  for (const [i, c] of model.contexts.entries()) {
    const g = lowered(gen, i);
    const cx = genIndex(gen).context(c.name);
    const owners = [
      ...c.aggregates.map((a) => [a, g.aliases.aggregates, cx.aggregate(a.name).names.rejects] as const),
      ...c.services.map((s) => [s, g.aliases.services, cx.service(s.name).names.rejects] as const),
    ];
    for (const [o, ns, rejects] of owners) {
      for (const h of o.handlers) {
        reasons.push(...memberLines(propertyKey(h.command.name), h.rejects.length === 0 ? "unknown" : `${ns}.${rejects}<unknown>[${stringLiteral(h.command.name)}]`));
      }
    }
  }
  return [...blocks, ["/** What each command may be refused with, as its handler declares (`rejects`); else `unknown`. */", "export interface CommandRejections {", ...reasons, "}"]];
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
  const routes = routeLines(model);
  const body = [
    ...projectionLines(projected),
    `  return createRuntimeApp<AnyEvent>(`,
    "    {",
    `      codec: createCodec(${hooked ? "implementation.upcasts" : ""}),`,
    ...(routes.length > 0 ? ["      routes: {", ...routes, "      },"] : ["      routes: {},"]),
    projected.length > 0 ? "      projections," : "      projections: [],",
    ...workflowLines(gen),
    ...contextLines(model),
    "    },",
    "    options,",
    // The runtime's app is untyped by the model's names and reasons: ModelApp narrows it.
    "  ) as Promise<ModelApp>;",
  ];
  const commandTypes = list(0, "export const commandTypes = ", "[", model.contexts.flatMap((c) => c.commands.map((m) => stringLiteral(m.name))), "] as const", ";");
  return [
    fileView("app", gen.modules.app.path, {
      ...moduleHead(gen.modules.app),
      implementation: block(implementationLines(gen, model, hooked)),
      edgeTypes: edgeTypeBlocks(gen, model).map(block),
      send: block(sendLines(model)),
      createAppBody: block(body),
      commandTypes: block(commandTypes),
    }),
  ];
}

/** The context of every message type and projection, for the audit's per-context switch. */
function contextLines(model: Model): string[] {
  const entries = model.contexts.flatMap((c) => [
    ...[...c.commands, ...c.events].map((m) => [m.name, c.name] as const),
    ...c.projections.map((p) => [`${c.name}.${p.name}`, c.name] as const),
  ]);
  if (entries.length === 0) return [];
  return ["      contexts: {", ...entries.flatMap(([name, context]) => member(4, propertyKey(name), stringLiteral(context))), "      },"];
}
