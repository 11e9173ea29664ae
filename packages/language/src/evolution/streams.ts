/**
 * Aggregates' streams across two models. An aggregate rebuilds its state from the stream named
 * `<Context>.<Aggregate>-<stream field's value>`, so a stream field changed, or the aggregate
 * renamed or moved to another context while it keeps handling the same events, makes every
 * existing aggregate start again from an empty stream: its invariants silently forgotten, its
 * new events written beside its history.
 */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AggregateModel, Model } from "../resolve/model.js";

export function compareStreams(baseline: Model, current: Model, out: Diagnostic[]): void {
  const now = new Map<string, AggregateModel>();
  for (const c of current.contexts) for (const a of c.aggregates) now.set(a.qualifiedName, a);
  for (const c of baseline.contexts) {
    for (const b of c.aggregates) {
      const field = b.stream?.field;
      if (field === undefined || !b.handlers.length) continue;
      const a = now.get(b.qualifiedName);
      const labels = [label(b.stream?.span ?? b.nameSpan, "asInBaseline")];
      if (a !== undefined) {
        if (a.stream !== undefined && a.stream.field !== field) {
          out.push(report("EDA7013", a.stream.span, { aggregate: b.qualifiedName, field, to: a.stream.field }, { labels }));
        }
        continue;
      }
      const heir = successor(b, current);
      if (heir !== undefined) out.push(report("EDA7013", heir.nameSpan, { aggregate: b.qualifiedName, field, to: heir.qualifiedName }, { variant: "renamed", labels }));
    }
  }
}

/** The aggregate of `current` that emits one of the events `b` emitted (events keep their names). */
function successor(b: AggregateModel, current: Model): AggregateModel | undefined {
  const emitted = new Set(b.handlers.flatMap((h) => h.emits.map((e) => e.name)));
  for (const c of current.contexts) {
    for (const a of c.aggregates) if (a.handlers.some((h) => h.emits.some((e) => emitted.has(e.name)))) return a;
  }
  return undefined;
}
