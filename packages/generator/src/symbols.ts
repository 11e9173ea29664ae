/**
 * The names generated modules export, per context, decided in one place so every emitter refers
 * to the same identifiers. Declared names win; a generated name that would clash gets `_`.
 */
import type { ContextModel, EventModel } from "@eda/language";
import { identifier } from "./escape.js";

export interface ContextSymbols {
  /** Schema/type of a declared type, enum, command or current event version. */
  readonly decl: (name: string) => string;
  /** Schema/type of one version of an event. */
  readonly version: (event: EventModel, version: number) => string;
  /** `{ type, data }` schema/type of a command or (current) event. */
  readonly message: (name: string) => string;
  readonly anyCommand: string;
  readonly anyEvent: string;
}

const cache = new WeakMap<ContextModel, ContextSymbols>();

/** The names of a context's generated exports (computed once per context). */
export function contextSymbols(c: ContextModel): ContextSymbols {
  let symbols = cache.get(c);
  if (!symbols) cache.set(c, (symbols = computeSymbols(c)));
  return symbols;
}

function computeSymbols(c: ContextModel): ContextSymbols {
  const taken = new Set<string>();
  for (const d of [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows]) taken.add(d.name);
  const fresh = (wanted: string): string => {
    let name = wanted;
    while (taken.has(name)) name += "_";
    taken.add(name);
    return identifier(name);
  };
  const versions = new Map<string, string>();
  for (const e of c.events) for (const v of e.versions) versions.set(`${e.name}@${v.version}`, fresh(`${e.name}V${v.version}`));
  const messages = new Map<string, string>();
  for (const m of [...c.commands, ...c.events]) messages.set(m.name, fresh(`${m.name}Message`));
  const anyCommand = fresh("AnyCommand");
  const anyEvent = fresh("AnyEvent");
  return {
    decl: (name) => identifier(name),
    version: (event, version) => versions.get(`${event.name}@${version}`) as string,
    message: (name) => messages.get(name) as string,
    anyCommand,
    anyEvent,
  };
}
