/**
 * Scaffolds: the handler files a user owns, one per aggregate, service and projection, and one
 * per context whose upcasts have `compute` rules. Each stub compiles and throws, naming the
 * handler and the file to edit, when called. Besides the text, each scaffold lists its object
 * literals and their members exactly as written, so the CLI can add a missing member to a file
 * the user has changed.
 */
import type { AggregateModel, ContextModel, EventModel, Model, ProjectionModel, ServiceModel } from "@eda/language";
import { docComment, propertyKey, stringLiteral } from "../escape.js";
import { hardline, indent, groupId, type Doc } from "../print/doc.js";
import { printLines, printWithGroups } from "../print/printer.js";
import { args, assign, call, object, property } from "../print/ts.js";
import type { GenModel, GenScaffold } from "../lower/gen-model.js";
import { lower } from "../lower/lower.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { importLines } from "../lower/print-imports.js";
import { named } from "../lower/imports.js";
import { emittedEvents } from "../model-facts.js";
import { block } from "../module-file.js";
import { renderScaffold } from "../render/render.js";
import type { ScaffoldContainer, ScaffoldFile, ScaffoldMember, ScaffoldOptions } from "../scaffold-types.js";

/** A property of an object literal being scaffolded: a stub method, or a nested object. */
type Node = { readonly key: string; readonly params: readonly string[] } | { readonly key: string; readonly children: readonly Node[] };

/** The scaffolds of a model, in a stable order: per context, aggregates, services, projections, upcasts. */
export function scaffold(model: Model, options: ScaffoldOptions, gen: GenModel = lower(model)): ScaffoldFile[] {
  const index = genIndex(gen);
  return model.contexts.flatMap((c) => {
    const cx = index.context(c.name);
    return [
      ...c.aggregates.map((a) => aggregateScaffold(cx, a, options)),
      ...c.services.map((s) => serviceScaffold(cx, s, options)),
      ...c.projections.map((p) => projectionScaffold(cx, p, options)),
      ...upcastScaffolds(cx, c, options),
    ];
  });
}

function aggregateScaffold(cx: ContextIndex, a: AggregateModel, options: ScaffoldOptions): ScaffoldFile {
  const tree: Node[] = [
    { key: "decide", children: a.handlers.map((h) => ({ key: h.command.name, params: ["command", "state"] })) },
    { key: "evolve", children: emittedEvents(a).map((e) => ({ key: e.name, params: ["state", "event"] })) },
  ];
  const doc = `The behaviour of aggregate \`${a.name}\`:\n\`decide\` answers its commands, \`evolve\` applies its events.`;
  const lowered = cx.aggregate(a.name);
  return file(lowered.scaffold, `${a.name}.`, lowered.names.define, doc, tree, options);
}

function serviceScaffold(cx: ContextIndex, s: ServiceModel, options: ScaffoldOptions): ScaffoldFile {
  const tree = s.handlers.map((h) => ({ key: h.command.name, params: ["command"] }));
  const lowered = cx.service(s.name);
  return file(lowered.scaffold, `${s.name}.`, lowered.names.define, `The behaviour of service \`${s.name}\`: one handler per command.`, tree, options);
}

function projectionScaffold(cx: ContextIndex, p: ProjectionModel, options: ScaffoldOptions): ScaffoldFile {
  const tree = p.from.map((f) => ({ key: f.event.name, params: ["row", "event"] }));
  const lowered = cx.projection(p.name);
  return file(lowered.scaffold, `${p.name}.`, lowered.names.define, `The rows of projection \`${p.name}\`: one handler per event.`, tree, options);
}

/** Where the scaffolds put a context's upcast hooks: the module (relative to the handlers folder) and its export. */
export interface UpcastHookModule {
  /** The context, the key of the generated `UpcastHooks`. */
  readonly context: string;
  /** Relative to the handlers folder, e.g. `ordering/upcasts.ts`. */
  readonly path: string;
  /** The exported name, e.g. `orderingUpcasts`. */
  readonly variable: string;
}

/** The upcast hook modules the scaffolds create, one per context with `compute` rules. */
export function upcastHookModules(model: Model, gen: GenModel = lower(model)): UpcastHookModule[] {
  return gen.contexts.flatMap((c) => {
    const hooks = c.upcasts?.hooks;
    return hooks ? [{ context: c.name, path: hooks.scaffold.path, variable: hooks.scaffold.variable }] : [];
  });
}

function computedSteps(c: ContextModel): { e: EventModel; steps: EventModel["upcasts"] }[] {
  return c.events.map((e) => ({ e, steps: e.upcasts.filter((u) => u.plan.some((p) => p.kind === "compute")) })).filter((x) => x.steps.length > 0);
}

/** The hooks of a context's `compute` rules: `{ Event: { v1: { field(event) {…} } } }`. */
function upcastScaffolds(cx: ContextIndex, c: ContextModel, options: ScaffoldOptions): ScaffoldFile[] {
  const hooks = cx.gen.upcasts?.hooks;
  if (!hooks) return [];
  const tree: Node[] = computedSteps(c).map(({ e, steps }) => ({
    key: e.name,
    children: steps.map((u) => ({ key: `v${u.from}`, children: u.plan.filter((p) => p.kind === "compute").map((p) => ({ key: p.field, params: ["event"] })) })),
  }));
  const doc = [
    `The conversions the upcasts of context \`${c.name}\` leave to code (\`field = compute\`):`,
    "each gets the stored event at its old version (and, as a second parameter, what the store",
    "recorded of it: `stored.time`, `stored.stream`, …) and returns the value of the new field.",
  ].join("\n");
  return [file(hooks.scaffold, `${c.name} upcast `, hooks.define, doc, tree, options)];
}

function file(target: GenScaffold, label: string, define: string, doc: string, tree: readonly Node[], options: ScaffoldOptions): ScaffoldFile {
  const { path, variable } = target;
  const from = relativeModule(options.generatedFromHandlers, target.module);
  const stub = (trail: readonly string[]): string => `${label}${trail.join(".")} is not implemented yet (edit ${path} in the handlers folder)`;
  const members = tree.map((node) => memberTree(node, [node.key], stub));
  // Prettier moves the call below `=` when its first line is too long, and indents it all.
  const below = groupId("below");
  const printed = printWithGroups([assign(`export const ${variable}`, " =", call(define, [object(members.map((m) => m.doc), true)], true), "fluid", below), ";"]);
  const containers: ScaffoldContainer[] = [];
  collectContainers(members, [], printed.broke(below) ? 2 : 1, (trail, found) => containers.push({ variable, path: trail, members: found }));
  const content = renderScaffold({ imports: importLines([named(from, [define])]), doc: block(docComment(doc)), call: printed.text });
  containers.sort((a, b) => a.path.length - b.path.length);
  return { path, content, containers };
}

/** A member of a scaffolded object literal with its Doc, and its members when it is an object. */
interface MemberTree {
  readonly node: Node;
  readonly doc: Doc;
  readonly children: readonly MemberTree[];
}

/**
 * A stub method, or a nested object. A stub's parameters start with `_` (it reads none of
 * them), so a project with `noUnusedParameters` compiles the scaffold as it is; the user renames
 * them when filling it in.
 */
function memberTree(node: Node, trail: readonly string[], stub: (trail: readonly string[]) => string): MemberTree {
  const key = propertyKey(node.key);
  if ("children" in node) {
    const children = node.children.map((c) => memberTree(c, [...trail, c.key], stub));
    return { node, doc: property(key, object(children.map((c) => c.doc), true)), children };
  }
  const body = ["throw ", call("new Error", [stringLiteral(stub(trail))]), ";"];
  return { node, doc: [key, args(node.params.map((p) => `_${p}`)), " {", indent([hardline, body]), hardline, "}"], children: [] };
}

/**
 * Reports each object literal as a container, with its members' text exactly as printed at
 * `depth` (an expanded object's members are laid out line by line, each on its own).
 */
function collectContainers(members: readonly MemberTree[], trail: readonly string[], depth: number, report: (trail: readonly string[], members: ScaffoldMember[]) => void): void {
  report(
    trail,
    members.map((m) => {
      const text = printLines([m.doc, ","], depth)
        .map((l) => l.slice(depth * 2))
        .join("\n");
      return { key: m.node.key, text: text.slice(0, -1) };
    }),
  );
  for (const m of members) if ("children" in m.node) collectContainers(m.children, [...trail, m.node.key], depth + 1, report);
}

/** The import specifier of generated module `target` from a file one folder below the handlers folder. */
export function relativeModule(generatedFromHandlers: string, target: string): string {
  const parts: string[] = [];
  for (const seg of `../${generatedFromHandlers}/${target}`.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(seg);
  }
  const path = parts.join("/");
  return path.startsWith("../") ? path : `./${path}`;
}
