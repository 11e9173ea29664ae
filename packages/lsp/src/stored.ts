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
 * A stored version's shape includes the fields of the types and enums it carries (`total: Money`,
 * an enum's members): the evolution gate follows them. Their names are not part of it — a payload
 * holds field names and values, never a type's name — so a type, an enum or the context holding
 * them may be renamed (the gate compares a renamed type by its shape).
 *
 * The way to change a stored event is a new version: `event X v3 { … }` with an upcast from the
 * current one (the "Add a new version" code action writes both).
 */
import type { AggregateModel, EnumModel, EventModel, FieldModel, Model, SymbolInfo, TypeModel, TypeRefModel } from "@eda/language";
import type { StoredEvents } from "./settings.js";

/** True when the event counts as stored under the policy. */
export function isStored(e: EventModel, policy: StoredEvents): boolean {
  return policy === "all" || e.versions.length > 1 || e.current.version > 1 || e.upcasts.length > 0;
}

/** Why renaming this symbol would break stored data, or undefined when it would not. */
export function storedReason(info: SymbolInfo, policy: StoredEvents, model: Model): string | undefined {
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
  if (info.kind === "declaration" && info.declaration.kind === "aggregate") {
    const a = info.declaration;
    const event = storedEmit(a, policy);
    if (event) {
      return (
        `\`${a.name}\` is an aggregate whose streams hold the stored event \`${event.name}\` (${why}): a stream is named by the aggregate's qualified name and its stream field (\`${a.qualifiedName}-<${a.stream?.field ?? "id"}>\`), so renaming it would start every existing ${a.name} again from an empty stream (the evolution gate says EDA7013). ` +
        `Keep the aggregate's name.`
      );
    }
  }
  if (info.kind === "context") {
    // An aggregate's streams are named by its context too (`Ordering.Order-<id>`).
    const c = info.context;
    for (const a of c.aggregates) {
      const event = storedEmit(a, policy);
      if (!event) continue;
      return (
        `\`${c.name}\` is a context whose aggregate \`${a.name}\` keeps the stored event \`${event.name}\` in streams named \`${a.qualifiedName}-<${a.stream?.field ?? "id"}>\` (${why}): renaming the context would start every existing ${a.name} again from an empty stream (the evolution gate says EDA7013). ` +
        `Keep the context's name.`
      );
    }
  }
  if (info.kind === "field" && info.owner.kind === "type") {
    // A type's fields are stored too when a stored event carries the type (the gate follows nested types).
    const carrier = storedCarrier(info.owner, policy, model);
    if (carrier) {
      const { event, version, path } = carrier;
      return (
        `\`${info.field.name}\` is a field of type \`${info.owner.name}\`, which the stored event \`${event.name} v${version}\` carries (in \`${path}\`) (${why}): stored events keep their shape, so it cannot be renamed. ` +
        `Declare a new type with the field renamed, and \`event ${event.name} v${event.current.version + 1}\` that uses it, with an upcast.`
      );
    }
  }
  return undefined;
}

/** The first stored event the aggregate emits: its streams hold it. */
function storedEmit(a: AggregateModel, policy: StoredEvents): EventModel | undefined {
  for (const h of a.handlers) for (const e of h.emits) if (isStored(e, policy)) return e;
  return undefined;
}

/** The first stored event version whose fields reach `type` (through lists, maps and other types), with the path to it. */
function storedCarrier(type: TypeModel | EnumModel, policy: StoredEvents, model: Model): { event: EventModel; version: number; path: string } | undefined {
  for (const c of model.contexts) {
    for (const e of c.events) {
      if (!isStored(e, policy)) continue;
      for (const v of e.versions) {
        const path = pathTo(type, v.fields, "", new Set());
        if (path !== undefined) return { event: e, version: v.version, path };
      }
    }
  }
  return undefined;
}

/** The dotted path of the first field that carries `type`, if any; `seen` ends recursive types. */
function pathTo(type: TypeModel | EnumModel, fields: readonly FieldModel[], prefix: string, seen: Set<TypeModel>): string | undefined {
  for (const f of fields) {
    let t: TypeRefModel = f.type;
    while (t.kind === "list" || t.kind === "map") t = t.kind === "list" ? t.element : t.value;
    if ((t.kind === "type" || t.kind === "enum") && t.decl === type) return prefix + f.name;
    if (t.kind !== "type") continue;
    if (seen.has(t.decl)) continue;
    seen.add(t.decl);
    const inner = pathTo(type, t.decl.fields, `${prefix}${f.name}.`, seen);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
