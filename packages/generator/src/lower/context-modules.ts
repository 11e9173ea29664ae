/**
 * A context's generated modules: their paths, headers and imports, decided from the context's
 * declarations.
 */
import type { ContextModel, EventModel, FieldModel, SendModel, WorkflowModel } from "@eda/language";
import { header } from "../names.js";
import type { AggregateNames, ContextModules, GenImport, GenModule } from "./gen-model.js";
import { aggregateFields, decimalHelpers, messageContexts, named, namespace, referencedContexts, SchemaUse, serviceFields } from "./imports.js";
import { rowFields } from "../model-facts.js";

/**
 * The second line of a schema module. Each schema there is declared with its type written out,
 * and checking Zod's inference against that type costs the user's compiler far more than the
 * types save; the project's tests compile every schema module without this line instead.
 */
export const SCHEMAS_PRAGMA = "// @ts-nocheck: each schema is declared with its type; eda's tests check that they agree.";

/** What the module decisions need to know of the whole model. */
export interface ModuleNaming {
  /** The folder of a context. */
  readonly folder: (context: string) => string;
  /** The namespace alias of a context's schemas. */
  readonly schemasAlias: (context: string) => string;
}

/** The modules of context `c`. */
export function contextModules(c: ContextModel, naming: ModuleNaming, aggregates: readonly AggregateNames[]): ContextModules {
  const dir = naming.folder(c.name);
  const head = header(c.files);
  const module = (file: string, imports: GenImport[], own = head): GenModule => ({ path: `${dir}/${file}`, header: own, imports });
  const fromHere = (context: string): string => `${context === c.name ? "." : `../${naming.folder(context)}`}/schemas.js`;
  const hasUpcasts = c.events.some((e) => e.upcasts.length > 0);
  return {
    schemas: module("schemas.ts", schemasImports(c, naming), `${head}\n${SCHEMAS_PRAGMA}`),
    ...(hasUpcasts ? { upcasters: module("upcasters.ts", upcastersImports(c)) } : {}),
    ...(c.aggregates.length > 0 ? { aggregates: module("aggregates.ts", aggregatesImports(c, naming, fromHere)) } : {}),
    ...(c.services.length > 0 ? { services: module("services.ts", servicesImports(c, naming, fromHere)) } : {}),
    ...(c.projections.length > 0 ? { projections: module("projections.ts", projectionsImports(c, naming, fromHere)) } : {}),
    ...(c.workflows.length > 0 ? { workflows: module("workflows.ts", workflowsImports(c, naming, fromHere), header(c.workflows.map((w) => w.span.file))) } : {}),
    ...(c.aggregates.length > 0 ? { testing: module("testing.ts", testingImports(c, aggregates)) } : {}),
  };
}

function supportImport(helpers: readonly string[]): GenImport[] {
  return helpers.length > 0 ? [named("../support.js", helpers)] : [];
}

function schemasImports(c: ContextModel, naming: ModuleNaming): GenImport[] {
  // Every field of the context's types, commands and event versions (loops: contexts have many).
  const fields: FieldModel[] = [];
  for (const t of c.types) for (const f of t.fields) fields.push(f);
  for (const m of c.commands) for (const f of m.fields) fields.push(f);
  for (const e of c.events) for (const v of e.versions) for (const f of v.fields) fields.push(f);
  const others = [...referencedContexts(fields)].filter((x) => x !== c.name).sort();
  return [named("zod", ["z"]), ...supportImport(decimalHelpers(fields)), ...others.map((x) => namespace(`../${naming.folder(x)}/schemas.js`, naming.schemasAlias(x)))];
}

/** The runtime's type of what an upcast hook gets of the stored event: `upcasters.ts` imports it and names it. */
export const STORED_EVENT_INFO = "StoredEventInfo";

/** The schemas, and for `compute` rules the type of what their hooks get of the stored event. */
function upcastersImports(c: ContextModel): GenImport[] {
  const hooked = c.events.some((e) => e.upcasts.some((u) => u.plan.some((p) => p.kind === "compute")));
  return [...(hooked ? [named("@eda/runtime/codec", [STORED_EVENT_INFO], true)] : []), namespace("./schemas.js", "S", true)];
}

function aggregatesImports(c: ContextModel, naming: ModuleNaming, from: (context: string) => string): GenImport[] {
  const fields = c.aggregates.flatMap(aggregateFields);
  const rejected = c.aggregates.some((a) => a.rejections.length > 0) ? ["type Rejected"] : [];
  return [
    named("@eda/runtime", ["DecideContext", "Decider"], true),
    named("@eda/runtime/decisions", ["decider"]),
    named("zod", ["z"]),
    named("../decisions.js", ["type Decision", "type ExactTable", ...rejected, "type RejectionReason"]),
    ...supportImport(decimalHelpers(fields)),
    ...new SchemaUse().types(messageContexts(c.aggregates)).values(fields).imports(c.name, naming.schemasAlias, from),
  ];
}

function servicesImports(c: ContextModel, naming: ModuleNaming, from: (context: string) => string): GenImport[] {
  const fields = c.services.flatMap(serviceFields);
  const rejected = c.services.some((s) => s.rejections.length > 0) ? ["type Rejected"] : [];
  return [
    named("@eda/runtime", ["CommandContext", "ServiceHandler"], true),
    named("@eda/runtime/decisions", ["service"]),
    ...(fields.length > 0 ? [named("zod", ["z"])] : []),
    named("../decisions.js", [...rejected.map((r) => r.slice("type ".length)), "RejectionReason", "ServiceResult"], true),
    ...supportImport(decimalHelpers(fields)),
    ...new SchemaUse().types(messageContexts(c.services)).values(fields).imports(c.name, naming.schemasAlias, from),
  ];
}

function projectionsImports(c: ContextModel, naming: ModuleNaming, from: (context: string) => string): GenImport[] {
  const fields = c.projections.flatMap(rowFields);
  const events = c.projections.flatMap((p) => p.from.map((f) => f.event.context));
  return [
    named("@eda/runtime", ["Projection", "StoredEvent"], true),
    named("@eda/runtime/decisions", ["projection"]),
    named("zod", ["z"]),
    named("../decisions.js", ["ExactTable"], true),
    ...supportImport(decimalHelpers(fields)),
    ...new SchemaUse().types(events).values(fields).imports(c.name, naming.schemasAlias, from),
  ];
}

/** The events and commands a workflow's types name: start, awaited, `fail on`, sent; a choreography's triggers and commands. */
function workflowMessages(w: WorkflowModel): { readonly context: string }[] {
  const sends = (s: SendModel | undefined): { readonly context: string }[] => (s ? [s.command] : []);
  if (w.mode === "choreographed") return w.reactions.flatMap((r) => (r.send ? [r.event, r.send.command] : []));
  const steps = w.steps.filter((s) => s.send !== undefined && s.await !== undefined);
  const events: EventModel[] = [...(w.start ? [w.start] : []), ...steps.flatMap((s) => [s.await as EventModel, ...(s.failOn ? [s.failOn] : [])])];
  return [...events, ...steps.flatMap((s) => [...sends(s.send), ...sends(s.compensate)]), ...sends(w.onComplete), ...sends(w.onFail)];
}

/** Whether a workflow has `compute` fields, so its definition needs the user's hooks. */
export function workflowHasHooks(w: WorkflowModel): boolean {
  const sends = w.mode === "orchestrated" ? [...w.steps.flatMap((s) => [s.send, s.compensate]), w.onComplete, w.onFail] : w.reactions.map((r) => r.send);
  return sends.some((s) => s?.fields.some((f) => f.source.kind === "hook") ?? false);
}

function workflowsImports(c: ContextModel, naming: ModuleNaming, from: (context: string) => string): GenImport[] {
  // The runtime's definition type of each mode, and what the hooks of each mode receive.
  const runtime = new Set<string>();
  for (const w of c.workflows) {
    runtime.add(w.mode === "orchestrated" ? "OrchestratedWorkflow" : "ChoreographedWorkflow");
    if (workflowHasHooks(w)) runtime.add(w.mode === "orchestrated" ? "WorkflowContext" : "StoredEvent");
  }
  const contexts = [...new Set(c.workflows.flatMap(workflowMessages).map((m) => m.context))].sort();
  return [named("@eda/runtime", [...runtime].sort(), true), ...contexts.map((x) => namespace(from(x), naming.schemasAlias(x), true))];
}

function testingImports(c: ContextModel, aggregates: readonly AggregateNames[]): GenImport[] {
  const types = c.aggregates.flatMap((a, i) => {
    const n = aggregates[i] as AggregateNames;
    return [n.command, n.decider, n.event, ...(a.rejections.length > 0 ? [n.rejects] : []), n.state];
  });
  return [named("../codec.js", ["codecTable"]), named("@eda/runtime/testing", ["scenarios", "type Scenarios"]), named("./aggregates.js", types, true)];
}
