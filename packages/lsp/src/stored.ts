/**
 * Stored events. Events are versioned forever once stored: the event store and the bus know an
 * event by its name and each stored version by its shape, so neither may change. The model does
 * not record what has been deployed; the rule is:
 *
 * - `versioned` (default): an event with a version above v1, or with upcasts, is stored — its
 *   older versions exist only because events of that shape were stored, and its current version
 *   was published to replace them. A v1-only event is taken as not yet released.
 * - `all`: every event is stored (for teams whose v1 events are in production).
 *
 * The way to change a stored event is a new version: `event X v3 { … }` with an upcast from the
 * current one (the "Add a new version" code action writes both).
 */
import type { EventModel, SymbolInfo } from "@eda/language";
import type { StoredEvents } from "./settings.js";

/** True when the event counts as stored under the policy. */
export function isStored(e: EventModel, policy: StoredEvents): boolean {
  return policy === "all" || e.versions.length > 1 || e.current.version > 1 || e.upcasts.length > 0;
}

/** Why renaming this symbol would break stored data, or undefined when it would not. */
export function storedReason(info: SymbolInfo, policy: StoredEvents): string | undefined {
  const why = policy === "all" ? "every event counts as stored (setting `eda.storedEvents`: `all`)" : "it has more than one version, so events of it are stored";
  if (info.kind === "declaration" && info.declaration.kind === "event" && isStored(info.declaration, policy)) {
    const e = info.declaration;
    return (
      `\`${e.name}\` is a stored event (${why}): the event store and the bus know it by this name forever, so it cannot be renamed. ` +
      `To change it, declare a new version (\`event ${e.name} v${e.current.version + 1}\` with an upcast: the quick fix “Add a new version of ${e.name}” writes both), or declare a new event and stop emitting this one.`
    );
  }
  if (info.kind === "field" && info.owner.kind === "event" && isStored(info.owner, policy)) {
    const e = info.owner;
    const next = e.current.version + 1;
    return (
      `\`${info.field.name}\` is a field of \`${e.name} v${info.version ?? 1}\`, a stored event version (${why}): stored events keep their shape, so it cannot be renamed. ` +
      `Declare \`event ${e.name} v${next}\` with the field renamed and the upcast rule \`newName = from ${info.field.name}\` instead (the quick fix “Add a new version of ${e.name}” writes the skeleton).`
    );
  }
  return undefined;
}
