/**
 * The evolution gate against a registry manifest (`json-schema/registry.json`, written by `eda
 * generate`) when there is no earlier model, only a deployed service's list of stored shapes:
 * every event version it lists must still exist, with the same schema hash. The hashes of the
 * current model come from the caller (the generator computes them), so this stays pure.
 */
import { label, report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import type { EventModel, Model } from "../resolve/model.js";

/** The format tag this reader understands. */
export const REGISTRY_FORMAT = "eda-registry/1";

/** One event version listed in a manifest, with where it is written there. */
export interface RegistryRecord {
  /** The event's name as stored (bare: event names are unique in a model). */
  readonly type: string;
  /** Its context, when the manifest says. */
  readonly context?: string;
  readonly version: number;
  readonly sha256: string;
  readonly span: Span;
}

/** Reads a manifest's text: its records, or what is wrong with it. */
export function readRegistry(file: SourceFile): { readonly records: RegistryRecord[] } | { readonly error: string } {
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (error) {
    return { error: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const manifest = value as { format?: unknown; events?: unknown } | null;
  if (typeof manifest !== "object" || manifest === null || manifest.format !== REGISTRY_FORMAT || !Array.isArray(manifest.events)) {
    return { error: `not a registry manifest: "format" must be "${REGISTRY_FORMAT}", with a list of "events"` };
  }
  const records: RegistryRecord[] = [];
  let from = 0;
  for (const [i, entry] of (manifest.events as unknown[]).entries()) {
    const e = entry as { type?: unknown; context?: unknown; version?: unknown; sha256?: unknown } | null;
    if (typeof e !== "object" || e === null || typeof e.type !== "string" || !Number.isSafeInteger(e.version) || (e.version as number) < 1 || typeof e.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      return { error: `events[${i}] must have a "type", a "version" (a whole number from 1) and a "sha256" (64 hex digits)` };
    }
    const at = new RegExp(`"type"\\s*:\\s*${escapeRegExp(JSON.stringify(e.type))}`, "g");
    at.lastIndex = from;
    const found = at.exec(file.text);
    const span = found ? { file: file.path, start: found.index, end: found.index + found[0].length } : { file: file.path, start: 0, end: 1 };
    if (found) from = span.end;
    records.push({ type: e.type, ...(typeof e.context === "string" ? { context: e.context } : {}), version: e.version as number, sha256: e.sha256, span });
  }
  return { records };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The stored shapes of a manifest that the current model lost or changed. `hashOf` gives the
 * current schema hash of an event version (as the generator writes it into the manifest).
 */
export function compareWithRegistry(records: readonly RegistryRecord[], current: Model, hashOf: (event: EventModel, version: number) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const events = new Map<string, EventModel>();
  for (const c of current.contexts) for (const e of c.events) events.set(e.name, e);
  const contexts = new Map(current.contexts.map((c) => [c.name, c]));
  for (const r of records) {
    const listed = [label(r.span, "manifest")];
    const event = events.get(r.type);
    if (!event) {
      const context = r.context === undefined ? undefined : contexts.get(r.context);
      out.push(report("EDA7009", context?.nameSpan ?? r.span, { event: r.type, name: r.type }, { variant: "manifest", labels: context ? listed : [] }));
      continue;
    }
    const v = event.versions.find((x) => x.version === r.version);
    if (!v) {
      out.push(report("EDA7008", event.nameSpan, { event: event.name, version: r.version }, { variant: "manifest", labels: listed }));
      continue;
    }
    const hash = hashOf(event, r.version);
    if (hash === r.sha256) continue;
    const next = Math.max(...event.versions.map((x) => x.version)) + 1;
    out.push(report("EDA7010", v.headerSpan, { event: event.name, version: r.version, listed: r.sha256.slice(0, 12), now: hash.slice(0, 12), next }, { labels: listed }));
  }
  return out;
}
