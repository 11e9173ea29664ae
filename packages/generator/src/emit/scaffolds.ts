/**
 * Scaffolds: the handler files a user owns, one per aggregate, service and projection, and one
 * per context whose upcasts have `compute` rules. Each stub compiles and throws, naming the
 * handler and the file to edit, when called. Besides the text, each scaffold lists its object
 * literals and their members exactly as written, so the CLI can add a missing member to a file
 * the user has changed.
 */
import type { AggregateModel, ContextModel, EventModel, Model, ProjectionModel, ServiceModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import { camel, contextDir, kebab } from "../names.js";
import type { ScaffoldContainer, ScaffoldFile, ScaffoldMember, ScaffoldOptions } from "../scaffold-types.js";
import { aggregateNames, emittedEvents } from "./aggregates.js";
import { importLines } from "./behaviour.js";
import { projectionNames } from "./projections.js";
import { serviceNames } from "./services.js";

/** A property of an object literal being scaffolded: a stub method, or a nested object. */
type Node = { readonly key: string; readonly params: readonly string[] } | { readonly key: string; readonly children: readonly Node[] };

/** The scaffolds of a model, in a stable order: per context, aggregates, services, projections, upcasts. */
export function scaffold(model: Model, options: ScaffoldOptions): ScaffoldFile[] {
  return model.contexts.flatMap((c) => [
    ...c.aggregates.map((a) => aggregateScaffold(a, options)),
    ...c.services.map((s) => serviceScaffold(s, options)),
    ...c.projections.map((p) => projectionScaffold(p, options)),
    ...upcastScaffolds(c, options),
  ]);
}

function aggregateScaffold(a: AggregateModel, options: ScaffoldOptions): ScaffoldFile {
  const tree: Node[] = [
    { key: "decide", children: a.handlers.map((h) => ({ key: h.command.name, params: ["command", "state"] })) },
    { key: "evolve", children: emittedEvents(a).map((e) => ({ key: e.name, params: ["state", "event"] })) },
  ];
  const doc = `The behaviour of aggregate \`${a.name}\`:\n\`decide\` answers its commands, \`evolve\` applies its events.`;
  return file(a.context, a.name, `${a.name}.`, "aggregates.js", aggregateNames(a).define, doc, tree, options);
}

function serviceScaffold(s: ServiceModel, options: ScaffoldOptions): ScaffoldFile {
  const tree = s.handlers.map((h) => ({ key: h.command.name, params: ["command"] }));
  return file(s.context, s.name, `${s.name}.`, "services.js", serviceNames(s).define, `The behaviour of service \`${s.name}\`: one handler per command.`, tree, options);
}

function projectionScaffold(p: ProjectionModel, options: ScaffoldOptions): ScaffoldFile {
  const tree = p.from.map((f) => ({ key: f.event.name, params: ["row", "event"] }));
  return file(p.context, p.name, `${p.name}.`, "projections.js", projectionNames(p).define, `The rows of projection \`${p.name}\`: one handler per event.`, tree, options);
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
export function upcastHookModules(model: Model): UpcastHookModule[] {
  return model.contexts.filter((c) => computedSteps(c).length > 0).map((c) => ({ context: c.name, path: scaffoldPath(c.name, "Upcasts"), variable: hooksVariable(c) }));
}

function computedSteps(c: ContextModel): { e: EventModel; steps: EventModel["upcasts"] }[] {
  return c.events.map((e) => ({ e, steps: e.upcasts.filter((u) => u.plan.some((p) => p.kind === "compute")) })).filter((x) => x.steps.length > 0);
}

function hooksVariable(c: ContextModel): string {
  return `${camel(c.name)}Upcasts`;
}

function scaffoldPath(context: string, name: string): string {
  return `${contextDir(context)}/${kebab(name)}.ts`;
}

/** The hooks of a context's `compute` rules: `{ Event: { v1: { field(event) {…} } } }`. */
function upcastScaffolds(c: ContextModel, options: ScaffoldOptions): ScaffoldFile[] {
  const events = computedSteps(c);
  if (events.length === 0) return [];
  const tree: Node[] = events.map(({ e, steps }: { e: EventModel; steps: EventModel["upcasts"] }) => ({
    key: e.name,
    children: steps.map((u) => ({ key: `v${u.from}`, children: u.plan.filter((p) => p.kind === "compute").map((p) => ({ key: p.field, params: ["event"] })) })),
  }));
  const define = identifier(`define${c.name}Upcasts`);
  const doc = [
    `The conversions the upcasts of context \`${c.name}\` leave to code (\`field = compute\`):`,
    "each gets the stored event at its old version and returns the value of the new field.",
  ].join("\n");
  return [file(c.name, "Upcasts", `${c.name} upcast `, "upcasters.js", define, doc, tree, options, hooksVariable(c))];
}

function file(context: string, name: string, label: string, module: string, define: string, doc: string, tree: readonly Node[], options: ScaffoldOptions, variable = camelName(name)): ScaffoldFile {
  const path = scaffoldPath(context, name);
  const from = relativeModule(options.generatedFromHandlers, `${contextDir(context)}/${module}`);
  const stub = (trail: readonly string[]): string => `${label}${trail.join(".")} is not implemented yet (edit ${path} in the handlers folder)`;
  const containers: ScaffoldContainer[] = [];
  // Prettier moves the call below `=` when the first line is too long, and indents it all.
  const head = `export const ${variable} = ${define}({`;
  const depth = head.length <= WIDTH ? 0 : 1;
  const body = objectBody(depth + 1, tree, [], stub, (trail, members) => containers.push({ variable, path: trail, members }));
  const call = depth === 0 ? [head, ...body, "});"] : [`export const ${variable} =`, `${pad(1)}${define}({`, ...body, `${pad(1)}});`];
  const content = [...importLines("import", [define], from), "", ...docComment(doc), ...call, ""].join("\n");
  containers.sort((a, b) => a.path.length - b.path.length);
  return { path, content, containers };
}

/**
 * The lines of an object literal's members at `depth`; reports each object literal as a container.
 * A stub's parameters start with `_` (it reads none of them), so a project with
 * `noUnusedParameters` compiles the scaffold as it is; the user renames them when filling it in.
 */
function objectBody(depth: number, nodes: readonly Node[], trail: readonly string[], stub: (trail: readonly string[]) => string, report: (trail: readonly string[], members: ScaffoldMember[]) => void): string[] {
  const lines: string[] = [];
  const members: ScaffoldMember[] = [];
  for (const node of nodes) {
    const here = [...trail, node.key];
    const key = propertyKey(node.key);
    const own =
      "children" in node
        ? node.children.length === 0
          ? [`${pad(depth)}${key}: {},`]
          : [`${pad(depth)}${key}: {`, ...objectBody(depth + 1, node.children, here, stub, report), `${pad(depth)}},`]
        : [`${pad(depth)}${key}(${node.params.map((p) => `_${p}`).join(", ")}) {`, ...throwLines(depth + 1, stub(here)), `${pad(depth)}},`];
    lines.push(...own);
    const text = own.map((l) => l.slice(pad(depth).length)).join("\n");
    members.push({ key: node.key, text: text.replace(/,$/, "") });
  }
  report(trail, members);
  return lines;
}

/** `throw new Error("…");`, the message on its own line when the statement is too long (as Prettier prints it). */
function throwLines(depth: number, message: string): string[] {
  const one = `${pad(depth)}throw new Error(${stringLiteral(message)});`;
  if (one.length <= WIDTH) return [one];
  return [`${pad(depth)}throw new Error(`, `${pad(depth + 1)}${stringLiteral(message)},`, `${pad(depth)});`];
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined".split(" "),
);

/** `CustomerOrders` → `customerOrders`; a reserved word gets a trailing `_`. */
export function camelName(name: string): string {
  const c = identifier(camel(name));
  return RESERVED.has(c) ? `${c}_` : c;
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
