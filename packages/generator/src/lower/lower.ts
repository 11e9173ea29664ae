/**
 * Model → GenModel: every generated name, path, module specifier and import decided once, before
 * any emitter runs. Pure, and a function of its arguments: the same model and options give the
 * same GenModel.
 */
import { contextFolder, type ContextModel, type Model } from "@eda/language";
import { identifier } from "../escape.js";
import { header } from "../names.js";
import { contextModules, workflowHasHooks, type ModuleNaming } from "./context-modules.js";
import type { GenContext, GenModel, GenOptions, GenUpcasts, ModelFiles, ModelModules } from "./gen-model.js";
import { named, namespace } from "./imports.js";
import { aggregateNames, projectionNames, REGISTRY_PATH, ruleNames, scaffoldOf, serviceNames, upcastFunction, upcastHookNames, workflowKey, workflowNames } from "./names.js";
import { operationsNames } from "./operations.js";
import { schemaNames } from "./schema-names.js";
import { serviceStreamField } from "./stream-field.js";

/** What besides the Model the lowering reads. */
export interface LowerOptions {
  /** See `GenerateOptions.brandedScalars`. */
  readonly brandedScalars?: boolean;
}

const MODEL_FILES: ModelFiles = {
  registry: REGISTRY_PATH,
  diagram: "diagrams/model.mmd",
  alerts: "operations/prometheus-alerts.yml",
  dashboard: "operations/grafana-dashboard.json",
};

/** Folders and aliases by context name, each computed once per lowering (modules refer to other contexts often). */
function moduleNaming(): ModuleNaming {
  const memo = (f: (context: string) => string): ((context: string) => string) => {
    const seen = new Map<string, string>();
    return (context) => {
      let v = seen.get(context);
      if (v === undefined) seen.set(context, (v = f(context)));
      return v;
    };
  };
  return { folder: memo(contextFolder), schemasAlias: memo((context) => identifier(`${context}Schemas`)) };
}

/** Lowers a model that checked without errors. */
export function lower(model: Model, options: LowerOptions = {}): GenModel {
  const gen: GenOptions = { brandedScalars: options.brandedScalars === true };
  const naming = moduleNaming();
  const contexts = model.contexts.map((c) => lowerContext(c, naming));
  return { sources: [...model.files], options: gen, modules: modelModules(model, contexts, gen), files: MODEL_FILES, contexts, operations: operationsNames(model) };
}

function lowerContext(c: ContextModel, naming: ModuleNaming): GenContext {
  const folder = naming.folder(c.name);
  const aggregates = c.aggregates.map((a) => ({ name: a.name, qualifiedName: a.qualifiedName, names: aggregateNames(a), scaffold: scaffoldOf(folder, a.name, "aggregates.js") }));
  const wNames = workflowNames(c);
  const upcasts = lowerUpcasts(c, folder);
  return {
    name: c.name,
    folder,
    sources: [...c.files],
    jsonSchemas: `json-schema/${folder}`,
    aliases: {
      schemas: naming.schemasAlias(c.name),
      upcasters: identifier(`${c.name}Upcasters`),
      aggregates: identifier(`${c.name}Aggregates`),
      services: identifier(`${c.name}Services`),
      projections: identifier(`${c.name}Projections`),
      workflows: identifier(`${c.name}Workflows`),
    },
    modules: contextModules(c, naming, aggregates.map((a) => a.names)),
    schemas: schemaNames(c),
    aggregates,
    services: c.services.map((s) => {
      const field = serviceStreamField(s);
      return { name: s.name, qualifiedName: s.qualifiedName, names: serviceNames(s), ...(field === undefined ? {} : { streamField: field }), scaffold: scaffoldOf(folder, s.name, "services.js") };
    }),
    projections: c.projections.map((p) => ({ name: p.name, qualifiedName: p.qualifiedName, names: projectionNames(p), scaffold: scaffoldOf(folder, p.name, "projections.js") })),
    workflows: c.workflows.map((w, i) => ({ name: w.name, mode: w.mode, key: workflowKey(w), names: wNames[i] as GenContext["workflows"][number]["names"], hooked: workflowHasHooks(w), rules: ruleNames(w), diagram: `diagrams/${folder}/${w.name}.mmd` })),
    ...(upcasts ? { upcasts } : {}),
  };
}

function lowerUpcasts(c: ContextModel, folder: string): GenUpcasts | undefined {
  const functions = c.events.flatMap((e) => e.upcasts.map((u) => ({ event: e.name, from: u.from, name: upcastFunction(e.name, u.from) })));
  if (functions.length === 0) return undefined;
  const hooked = c.events.some((e) => e.upcasts.some((u) => u.plan.some((p) => p.kind === "compute")));
  return hooked ? { functions, hooks: upcastHookNames(c, folder) } : { functions };
}

function modelModules(model: Model, contexts: readonly GenContext[], options: GenOptions): ModelModules {
  const head = header(model.files);
  const hooked = contexts.some((c) => c.upcasts?.hooks !== undefined);
  const projected = contexts.some((c) => c.projections.length > 0);
  const withMessages = model.contexts.filter((c) => c.events.length > 0 || c.commands.length > 0).map((c) => c.name);
  const byName = new Map(contexts.map((c) => [c.name, c]));
  const app = [
    named("@eda/runtime", [
      "createApp as createRuntimeApp",
      ...["App", "AppOptions", "Message", "Orchestrator", "OutcomeOf", ...(projected ? ["Projection"] : []), "ProjectionReadOptions", "ProjectionRunner", "SendOptions"].map((t) => `type ${t}`),
    ]),
    named("./codec.js", ["createCodec", "type AnyCommand", "type AnyEvent", ...(hooked ? ["type UpcastHooks"] : [])]),
    ...contexts.flatMap((c) => [
      ...(c.aggregates.length > 0 ? [namespace(`./${c.folder}/aggregates.js`, c.aliases.aggregates, true)] : []),
      ...(c.services.length > 0 ? [namespace(`./${c.folder}/services.js`, c.aliases.services, true)] : []),
      ...(c.projections.length > 0 ? [namespace(`./${c.folder}/projections.js`, c.aliases.projections, true)] : []),
      ...(c.workflows.length > 0 ? [namespace(`./${c.folder}/workflows.js`, c.aliases.workflows)] : []),
    ]),
  ];
  const codec = [
    named("@eda/runtime/codec", ["createCodec as createModelCodec", "defineCodecTable", "type ModelCodec"]),
    ...withMessages.map((name) => byName.get(name) as GenContext).map((c) => namespace(`./${c.folder}/schemas.js`, c.aliases.schemas)),
    ...contexts.filter((c) => c.upcasts !== undefined).map((c) => namespace(`./${c.folder}/upcasters.js`, c.aliases.upcasters)),
  ];
  return {
    support: { path: "support.ts", header: head, imports: options.brandedScalars ? [named("zod", ["z"])] : [] },
    codec: { path: "codec.ts", header: head, imports: codec },
    decisions: { path: "decisions.ts", header: head, imports: [named("@eda/runtime/decisions", ["reject as rejection", "type Rejection"])] },
    testing: { path: "testing.ts", header: head, imports: [] },
    index: { path: "index.ts", header: head, imports: [] },
    app: { path: "app.ts", header: head, imports: app },
  };
}
