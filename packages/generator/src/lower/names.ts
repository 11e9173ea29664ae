/**
 * The names generated modules export, decided once per declaration: aggregates, services,
 * projections, workflows, upcasts and scaffolds. Each is a pure function of the Model.
 */
import { kebab, RESERVED_WORDS, type AggregateModel, type ContextModel, type ProjectionModel, type ServiceModel, type WorkflowModel } from "@eda/language";
import { identifier, propertyKey } from "../escape.js";
import { camel, pascal } from "../names.js";
import type { AggregateNames, GenScaffold, ProjectionNames, RejectionNames, ServiceNames, UpcastHookNames, WorkflowNames } from "./gen-model.js";

/** `name`, or `name_` when it is a reserved word or one of `taken` (a local the generated code binds). */
export function freeLocal(name: string, taken: ReadonlySet<string> = NO_NAMES): string {
  const id = identifier(name);
  return RESERVED_WORDS.has(id) || taken.has(id) ? `${id}_` : id;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** `CustomerOrders` → `customerOrders`; a reserved word gets a trailing `_`. */
export function camelName(name: string): string {
  return freeLocal(camel(name));
}

/** The names of an owner's rejection tables. */
export function rejectionNames(owner: string): RejectionNames {
  const n = identifier(owner);
  return { rejections: `${n}Rejections`, rejects: `${n}Rejects` };
}

/** The exported names of aggregate `a` (all start with its name, so two aggregates never clash). */
export function aggregateNames(a: AggregateModel): AggregateNames {
  const n = identifier(a.name);
  return {
    state: `${n}State`,
    initialState: `initial${n}State`,
    commands: `${n}Commands`,
    emits: `${n}Emits`,
    events: `${n}Events`,
    command: `${n}Command`,
    event: `${n}Event`,
    decide: `${n}Decide`,
    evolve: `${n}Evolve`,
    handlers: `${n}Handlers`,
    decider: `${n}Decider`,
    define: `define${n}`,
    test: `test${n}`,
    ...rejectionNames(a.name),
  };
}

/** The exported names of service `s`. */
export function serviceNames(s: ServiceModel): ServiceNames {
  const n = identifier(s.name);
  return {
    commands: `${n}Commands`,
    emits: `${n}Emits`,
    command: `${n}Command`,
    event: `${n}Event`,
    handlers: `${n}Handlers`,
    service: `${n}Service`,
    define: `define${n}`,
    ...rejectionNames(s.name),
  };
}

/** The exported names of projection `p`. */
export function projectionNames(p: ProjectionModel): ProjectionNames {
  const n = identifier(p.name);
  return { row: `${n}Row`, events: `${n}Events`, event: `${n}Event`, handlers: `${n}Handlers`, projection: `${n}Projection`, define: `define${n}` };
}

/** The export names of every workflow of a context, fresh within its module, in declaration order. */
export function workflowNames(c: ContextModel): WorkflowNames[] {
  const taken = new Set<string>();
  const fresh = (wanted: string): string => {
    let name = wanted;
    while (taken.has(name)) name += "_";
    taken.add(name);
    return identifier(name);
  };
  return c.workflows.map((w) => ({
    event: fresh(`${w.name}Event`),
    command: fresh(`${w.name}Command`),
    step: fresh(`${w.name}Step`),
    context: fresh(`${w.name}Context`),
    definition: fresh(`${w.name}Workflow`),
    hooks: fresh(`${w.name}Hooks`),
    define: fresh(`define${w.name}`),
    constant: fresh(camel(w.name)),
  }));
}

/** The property key of a workflow in the `Implementation` of its context. */
export function workflowKey(w: WorkflowModel): string {
  return propertyKey(w.name);
}

/**
 * The stable name of each rule of a choreography: `on<Event>Send<Command>`, with the first free
 * number from 2 appended when two rules would share one. A number never takes another rule's own
 * name (`on A send B` twice beside `on A send B2`): the runtime names a rule's consumer after it
 * and refuses two rules of one name.
 */
export function ruleNames(w: WorkflowModel): string[] {
  const bases = w.reactions.flatMap((r) => (r.send === undefined ? [] : [`on${pascal(r.event.name)}Send${pascal(r.send.command.name)}`]));
  const own = new Set(bases);
  const taken = new Set<string>();
  return bases.map((base) => {
    let name = base;
    for (let n = 2; taken.has(name) || (name !== base && own.has(name)); n++) name = `${base}${n}`;
    taken.add(name);
    return identifier(name);
  });
}

/** The handler file of a declaration (or of a context's upcast hooks) in a context's folder: `<folder>/<kebab-name>.ts`. */
export function scaffoldOf(folder: string, name: string, module: string, variable = camelName(name)): GenScaffold {
  return { path: `${folder}/${kebab(name)}.ts`, variable, module: `${folder}/${module}` };
}

/** The names of a context's upcast hooks (for a context with `compute` rules). */
export function upcastHookNames(c: ContextModel, folder: string): UpcastHookNames {
  return {
    type: identifier(`${c.name}UpcastHooks`),
    define: identifier(`define${c.name}Upcasts`),
    scaffold: scaffoldOf(folder, "Upcasts", "upcasters.js", `${camel(c.name)}Upcasts`),
  };
}

/** The upcast function of one step of an event: `upcastOrderPlacedV1`. */
export function upcastFunction(event: string, from: number): string {
  return identifier(`upcast${event}V${from}`);
}

/** The JSON Schema file of version `version` of a command or event, in a context's JSON Schema folder. */
export function jsonSchemaFile(folder: string, name: string, version: number): string {
  return `${folder}/${name}.v${version}.schema.json`;
}

/** The registry manifest's path below the output folder. */
export const REGISTRY_PATH = "json-schema/registry.json";
