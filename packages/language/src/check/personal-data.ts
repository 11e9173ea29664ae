/**
 * Personal data never becomes an identifier. A stream id, a projection key and a workflow's
 * correlation value appear in every log record, trace attribute, error message, command id and
 * stored row key about the message — places redaction does not reach. So a `@pii` field may not
 * be an aggregate's stream field (EDA4015), a projection's key (EDA4016) or what a workflow
 * correlates on (EDA4017): key them by an id, and keep the personal data in a field of its own.
 */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { FieldModel, Model } from "../resolve/model.js";

export function checkPersonalData(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const a of c.aggregates) {
      const stream = a.stream;
      if (!stream) continue;
      const carriers = a.handlers.flatMap((h) => [{ owner: h.command.name, fields: h.command.fields }, ...h.emits.map((e) => ({ owner: e.name, fields: e.current.fields }))]);
      const labels = [label(stream.span, "streamField")];
      for (const { owner, span } of personal(carriers, stream.field)) out.push(report("EDA4015", span, { owner, field: stream.field, aggregate: a.name }, { labels }));
    }
    for (const p of c.projections) {
      const key = p.key;
      if (!key) continue;
      if (key.pii) {
        out.push(report("EDA4016", key.span, { projection: p.name }, { variant: "key" }));
        continue;
      }
      const labels = [label(key.span, "key")];
      const carriers = p.from.map((f) => ({ owner: f.event.name, fields: f.event.current.fields }));
      for (const { owner, span } of personal(carriers, key.name)) out.push(report("EDA4016", span, { owner, field: key.name, projection: p.name }, { labels }));
    }
    for (const w of c.workflows) {
      const correlate = w.correlate;
      if (!correlate || w.mode !== "orchestrated") continue;
      const events = [w.start, ...w.steps.flatMap((s) => [s.await, s.failOn])].filter((e): e is NonNullable<typeof e> => e !== undefined);
      const carriers = [...new Map(events.map((e) => [e.name, { owner: e.name, fields: e.current.fields }])).values()];
      const labels = [label(correlate.span, "correlation")];
      for (const { owner, span } of personal(carriers, correlate.field)) out.push(report("EDA4017", span, { owner, field: correlate.field, workflow: w.name }, { labels }));
    }
  }
}

/** The carriers whose `field` is `@pii`, once each, with the span of that field. */
function personal(carriers: readonly { readonly owner: string; readonly fields: readonly FieldModel[] }[], field: string): { owner: string; span: FieldModel["span"] }[] {
  const seen = new Set<string>();
  const out: { owner: string; span: FieldModel["span"] }[] = [];
  for (const { owner, fields } of carriers) {
    const f = fields.find((x) => x.name === field);
    if (!f?.pii || seen.has(owner)) continue;
    seen.add(owner);
    out.push({ owner, span: f.span });
  }
  return out;
}
