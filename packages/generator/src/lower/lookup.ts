/**
 * Lookups into a GenModel by the Model's names: the context of a name, the names of a
 * declaration. The GenModel stays plain data (arrays, ready for templates); this index is built
 * once per GenModel and read by the emitters.
 */
import type { GenAggregate, GenContext, GenModel, GenProjection, GenService, GenWorkflow } from "./gen-model.js";

/** One context's names, by declaration name. */
export interface ContextIndex {
  readonly gen: GenContext;
  /** The identifier `schemas.ts` declares a type, enum, command or event under. */
  readonly local: (name: string) => string;
  /** The schema of one version of an event. */
  readonly version: (event: string, version: number) => string;
  /** The `{ type, data }` schema of a command or event. */
  readonly message: (name: string) => string;
  readonly aggregate: (name: string) => GenAggregate;
  readonly service: (name: string) => GenService;
  readonly projection: (name: string) => GenProjection;
  readonly workflow: (name: string) => GenWorkflow;
}

/** The GenModel's contexts, by name. */
export interface GenIndex {
  readonly context: (name: string) => ContextIndex;
  /** Whether scalars are branded in this generation (`GenModel.options.brandedScalars`). */
  readonly branded: boolean;
}

const cache = new WeakMap<GenModel, GenIndex>();

/** The index of a GenModel (built on first use, then cached). */
export function genIndex(gen: GenModel): GenIndex {
  let index = cache.get(gen);
  if (!index) cache.set(gen, (index = buildIndex(gen)));
  return index;
}

function buildIndex(gen: GenModel): GenIndex {
  const contexts = new Map<string, ContextIndex>();
  const byName = new Map(gen.contexts.map((c) => [c.name, c]));
  // Emitters ask for the same context many times in a row (one per field, per message).
  let lastName: string | undefined;
  let last: ContextIndex | undefined;
  return {
    branded: gen.options.brandedScalars,
    context: (name) => {
      if (name === lastName) return last as ContextIndex;
      let c = contexts.get(name);
      if (!c) {
        const found = byName.get(name);
        if (!found) throw new Error(`eda bug: no context ${name}`);
        contexts.set(name, (c = contextIndex(found)));
      }
      lastName = name;
      last = c;
      return c;
    },
  };
}

/** A lookup that fails loudly: a missing name is a bug of the lowering. */
function table<T>(what: string, entries: Iterable<readonly [string, T]>): (key: string) => T {
  const map = new Map(entries);
  return (key) => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`eda bug: no ${what} ${key}`);
    return value;
  };
}

function contextIndex(c: GenContext): ContextIndex {
  return {
    gen: c,
    local: table("declaration", c.schemas.declarations.map((d) => [d.name, d.local])),
    version: ((versions) => (event: string, version: number) => versions(`${event}@${version}`))(
      table("event version", c.schemas.events.flatMap((e) => e.versions.map((v) => [`${e.event}@${v.version}`, v.name] as const))),
    ),
    message: table("message", c.schemas.messages.map((m) => [m.message, m.name])),
    aggregate: table("aggregate", c.aggregates.map((a) => [a.name, a])),
    service: table("service", c.services.map((s) => [s.name, s])),
    projection: table("projection", c.projections.map((p) => [p.name, p])),
    workflow: table("workflow", c.workflows.map((w) => [w.name, w])),
  };
}
