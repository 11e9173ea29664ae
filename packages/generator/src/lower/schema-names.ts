/**
 * The names `<context>/schemas.ts` exports, decided once per context. Declared names win; a
 * generated name that would clash gets `_`. A declaration named like one of the module's own
 * identifiers (`z`, `DECIMAL`, `PATTERN_1`, `SharedSchemas`) is declared as `z_` and exported as `z`.
 */
import type { ContextModel } from "@eda/language";
import { identifier } from "../escape.js";
import type { SchemaNames } from "./gen-model.js";

const SCHEMAS_MODULE_NAMES = new Set(["z", "DECIMAL", "decimalAtLeast", "decimalAtMost"]);

/**
 * Whether `schemas.ts` of a context may need the name for itself: the Zod and support imports,
 * its pattern constants, and the aliases it imports other contexts' schemas under
 * (`<Context>Schemas`; any name so ending is kept free, which costs nothing but a local name).
 */
function isSchemasModuleName(name: string): boolean {
  return SCHEMAS_MODULE_NAMES.has(name) || /^PATTERN_\d+$/.test(name) || name.endsWith("Schemas");
}

/** The names of a context's schema module. */
export function schemaNames(c: ContextModel): SchemaNames {
  const taken = new Set<string>();
  for (const d of [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows]) taken.add(d.name);
  const fresh = (wanted: string): string => {
    let name = wanted;
    while (taken.has(name) || isSchemasModuleName(name)) name += "_";
    taken.add(name);
    return identifier(name);
  };
  const declared = [...c.types, ...c.enums, ...c.commands, ...c.events];
  // Renamed locals are decided first, in declaration order, so the names stay as they were.
  const locals = new Map(declared.filter((d) => isSchemasModuleName(d.name)).map((d) => [d.name, fresh(d.name)] as const));
  const events = c.events.map((e) => ({ event: e.name, versions: e.versions.map((v) => ({ version: v.version, name: fresh(`${e.name}V${v.version}`) })) }));
  const messages = [...c.commands, ...c.events].map((m) => ({ message: m.name, name: fresh(`${m.name}Message`) }));
  return {
    declarations: declared.map((d) => ({ name: identifier(d.name), local: locals.get(d.name) ?? identifier(d.name) })),
    events,
    messages,
    anyCommand: fresh("AnyCommand"),
    anyEvent: fresh("AnyEvent"),
  };
}
