/**
 * The names generated modules export, per context, decided in one place so every emitter refers
 * to the same identifiers. Declared names win; a generated name that would clash gets `_`.
 */
import type { ContextModel, EventModel } from "@eda/language";
import { identifier } from "./escape.js";

export interface ContextSymbols {
  /** Schema/type of a declared type, enum, command or current event version, as exported. */
  readonly decl: (name: string) => string;
  /**
   * The same inside `schemas.ts`, where a declaration named like one of the module's own
   * identifiers (`z`, `DECIMAL`, `PATTERN_1`, `SharedSchemas`) is declared as `z_` and exported
   * as `z`.
   */
  readonly local: (name: string) => string;
  /** The declarations `schemas.ts` declares under another name: `[local, exported]`. */
  readonly renamed: readonly (readonly [string, string])[];
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

/**
 * Whether `schemas.ts` of a context may need the name for itself: the Zod and support imports,
 * its pattern constants, and the aliases it imports other contexts' schemas under
 * (`<Context>Schemas`; any name so ending is kept free, which costs nothing but a local name).
 */
function isSchemasModuleName(name: string): boolean {
  return SCHEMAS_MODULE_NAMES.has(name) || /^PATTERN_\d+$/.test(name) || name.endsWith("Schemas");
}

const SCHEMAS_MODULE_NAMES = new Set(["z", "DECIMAL", "decimalAtLeast", "decimalAtMost"]);

function computeSymbols(c: ContextModel): ContextSymbols {
  const taken = new Set<string>();
  const declarations = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
  for (const d of declarations) taken.add(d.name);
  const fresh = (wanted: string): string => {
    let name = wanted;
    while (taken.has(name) || isSchemasModuleName(name)) name += "_";
    taken.add(name);
    return identifier(name);
  };
  const locals = new Map<string, string>();
  for (const d of [...c.types, ...c.enums, ...c.commands, ...c.events]) {
    if (isSchemasModuleName(d.name)) locals.set(d.name, fresh(d.name));
  }
  const versions = new Map<string, string>();
  for (const e of c.events) for (const v of e.versions) versions.set(`${e.name}@${v.version}`, fresh(`${e.name}V${v.version}`));
  const messages = new Map<string, string>();
  for (const m of [...c.commands, ...c.events]) messages.set(m.name, fresh(`${m.name}Message`));
  const anyCommand = fresh("AnyCommand");
  const anyEvent = fresh("AnyEvent");
  return {
    decl: (name) => identifier(name),
    local: (name) => locals.get(name) ?? identifier(name),
    renamed: [...locals].map(([exported, local]) => [local, identifier(exported)] as const),
    version: (event, version) => versions.get(`${event.name}@${version}`) as string,
    message: (name) => messages.get(name) as string,
    anyCommand,
    anyEvent,
  };
}
