/**
 * Personal data never becomes an identifier. A stream id, a projection key and a workflow's
 * correlation value appear in every log record, trace attribute, error message, command id and
 * stored row key about the message — places redaction does not reach. So a `@pii` field may not
 * be an aggregate's stream field (EDA4015), a projection's key (EDA4016) or what a workflow
 * correlates on (EDA4017): key them by an id, and keep the personal data in a field of its own.
 */
import { diagnostic, type Diagnostic, type Label } from "../diagnostics/diagnostic.js";
import type { FieldModel, Model } from "../resolve/model.js";

const HINT = "Key it by an id (`customerId: uuid`) and keep the personal data in a field of its own, which logs and traces redact.";

export function checkPersonalData(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const a of c.aggregates) {
      const stream = a.stream;
      if (!stream) continue;
      const carriers = a.handlers.flatMap((h) => [{ owner: h.command.name, fields: h.command.fields }, ...h.emits.map((e) => ({ owner: e.name, fields: e.current.fields }))]);
      report(out, "EDA4015", carriers, stream.field, { span: stream.span, message: "the stream field is named here" }, (owner) => `\`${owner}.${stream.field}\` is personal data (\`@pii\`), but it is the stream field of aggregate \`${a.name}\`: stream ids appear in logs, traces and errors.`);
    }
    for (const p of c.projections) {
      const key = p.key;
      if (!key) continue;
      if (key.pii) out.push(diagnostic("EDA4016", key.span, `The key of projection \`${p.name}\` is personal data (\`@pii\`): row keys appear in logs and errors and are stored as they are.`, { hint: HINT }));
      else report(out, "EDA4016", p.from.map((f) => ({ owner: f.event.name, fields: f.event.current.fields })), key.name, { span: key.span, message: "the key is declared here" }, (owner) => `\`${owner}.${key.name}\` is personal data (\`@pii\`), but it is the key of projection \`${p.name}\`: row keys appear in logs and errors and are stored as they are.`);
    }
    for (const w of c.workflows) {
      const correlate = w.correlate;
      if (!correlate || w.mode !== "orchestrated") continue;
      const events = [w.start, ...w.steps.flatMap((s) => [s.await, s.failOn])].filter((e): e is NonNullable<typeof e> => e !== undefined);
      const carriers = [...new Map(events.map((e) => [e.name, { owner: e.name, fields: e.current.fields }])).values()];
      report(out, "EDA4017", carriers, correlate.field, { span: correlate.span, message: "the workflow correlates on this field" }, (owner) => `\`${owner}.${correlate.field}\` is personal data (\`@pii\`), but workflow \`${w.name}\` correlates on it: the correlation value is part of its command ids and instance keys.`);
    }
  }
}

/** One diagnostic per carrier whose `field` is `@pii`, at that field. */
function report(
  out: Diagnostic[],
  code: "EDA4015" | "EDA4016" | "EDA4017",
  carriers: readonly { readonly owner: string; readonly fields: readonly FieldModel[] }[],
  field: string,
  label: Label,
  message: (owner: string) => string,
): void {
  const seen = new Set<string>();
  for (const { owner, fields } of carriers) {
    const f = fields.find((x) => x.name === field);
    if (!f?.pii || seen.has(owner)) continue;
    seen.add(owner);
    out.push(diagnostic(code, f.span, message(owner), { labels: [label], hint: HINT }));
  }
}
