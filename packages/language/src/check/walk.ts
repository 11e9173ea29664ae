/** Helpers to walk the Model. */
import type { ContextModel, FieldModel, Model } from "../resolve/model.js";

/** Every declaration's field lists, with a label for messages. */
export function* fieldLists(c: ContextModel): Generator<{ owner: string; fields: readonly FieldModel[] }> {
  for (const t of c.types) yield { owner: t.name, fields: t.fields };
  for (const m of c.commands) yield { owner: m.name, fields: m.fields };
  for (const e of c.events) for (const v of e.versions) yield { owner: `${e.name} v${v.version}`, fields: v.fields };
  for (const a of c.aggregates) yield { owner: a.name, fields: a.state };
  for (const p of c.projections) yield { owner: p.name, fields: p.key ? [p.key, ...p.fields] : p.fields };
}

export function allHandlers(model: Model) {
  return model.contexts.flatMap((c) => [...c.aggregates, ...c.services].flatMap((o) => o.handlers));
}
