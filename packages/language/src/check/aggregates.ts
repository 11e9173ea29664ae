/** Aggregates (stream field, state, snapshots) and projections (key, rows, events). */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AggregateModel, EventModel, FieldModel, Model, ProjectionModel, StateVariantModel } from "../resolve/model.js";
import { closest } from "../resolve/suggest.js";
import { sameType, typeText } from "../resolve/types.js";

export function checkAggregates(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const a of c.aggregates) checkAggregate(a, out);
    for (const p of c.projections) checkProjection(p, out);
  }
}

/** "Did you mean `stream orderId`?" when the carrier has a field of a close name. */

function checkAggregate(a: AggregateModel, out: Diagnostic[]): void {
  if (a.snapshotEvery !== undefined && a.snapshotSpan && (!Number.isInteger(a.snapshotEvery) || a.snapshotEvery < 1)) {
    out.push(report("EDA4008", a.snapshotSpan, { every: a.snapshotEvery }));
  }
  checkInitial(a.state, "state", a.name, out);
  if (a.variants) checkVariants(a, a.variants, out);
  if (!a.stream) {
    out.push(report("EDA4006", a.nameSpan, { aggregate: a.name }));
    return;
  }
  const stream = a.stream;
  let first: { owner: string; field: FieldModel } | undefined;
  const carriers: [string, readonly FieldModel[], FieldModel["span"]][] = [];
  for (const h of a.handlers) {
    carriers.push([h.command.name, h.command.fields, h.commandSpan]);
    h.emits.forEach((ev, i) => carriers.push([ev.name, ev.current.fields, h.emitSpans[i] ?? h.span]));
  }
  // Named wrong for every message (a typo in the stream clause): one error there, not one per message.
  if (carriers.length > 1 && carriers.every(([, fields]) => !fields.some((x) => x.name === stream.field))) {
    const shared = carriers.map(([, fields]) => closest(stream.field, fields.map((x) => x.name)));
    const guess = shared.every((g) => g !== undefined && g === shared[0]) ? shared[0] : undefined;
    const data = { owner: a.name, field: stream.field, aggregate: a.name, guess: guess ?? "" };
    out.push(report("EDA4005", stream.span, data, { variant: "none", hint: guess ? "noneGuess" : "none", fix: guess === undefined ? undefined : { span: stream.span, replacement: guess } }));
    return;
  }
  for (const [owner, fields, span] of carriers) {
    const f = fields.find((x) => x.name === stream.field);
    if (!f) {
      const guess = closest(stream.field, fields.map((x) => x.name));
      const labels = [label(stream.span, "streamField")];
      out.push(report("EDA4005", span, { owner, field: stream.field, aggregate: a.name, guess: guess ?? "" }, { labels, hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: stream.span, replacement: guess } }));
      continue;
    }
    if (!first && !f.optional) {
      first = { owner, field: f };
      continue;
    }
    if (!first) {
      out.push(report("EDA4007", f.typeSpan, { owner, field: stream.field }, { variant: "optional" }));
      continue;
    }
    if (!sameType(f.type, first.field.type) || f.optional) {
      const labels = [label(first.field.typeSpan, "declaresIt", { owner: first.owner })];
      out.push(report("EDA4007", f.typeSpan, { owner, field: stream.field, actual: fieldType(f), first: first.owner, expected: fieldType(first.field) }, { labels }));
    }
  }
}

/** A field's type as messages show it: \`string\`, or optional \`string\`. */
function fieldType(f: FieldModel): string {
  return `${f.optional ? "optional " : ""}\`${typeText(f.type)}\``;
}

/**
 * A variant state: names unique, no field named `status` (the tag that tells the variants
 * apart), and defaults for the first variant's required fields (the initial state). The other
 * variants are built by `evolve`, so their fields need none.
 */
function checkVariants(a: AggregateModel, variants: readonly StateVariantModel[], out: Diagnostic[]): void {
  const seen = new Map<string, StateVariantModel>();
  for (const v of variants) {
    const first = seen.get(v.name);
    if (first) {
      out.push(report("EDA4020", v.span, { aggregate: a.name, variant: v.name }, { labels: [label(first.span, "firstDeclared")] }));
    } else seen.set(v.name, v);
    const tag = v.fields.find((f) => f.name === STATUS);
    if (tag) {
      out.push(report("EDA4021", tag.span, { aggregate: a.name, variant: v.name, field: STATUS }));
    }
  }
  const initial = variants[0];
  if (initial) checkInitial(initial.fields, "state", a.name, out, initial.name);
}

/** The field of a variant state that holds the variant's name. */
const STATUS = "status";

/** How to give a field an initial value: `= {}` for maps and value types, `= []` for lists. */

/** Required fields of a state or row need defaults: the initial value is built from them. */
function checkInitial(fields: readonly FieldModel[], what: string, owner: string, out: Diagnostic[], variant?: string): void {
  for (const f of fields) {
    if (f.optional || f.defaultValue) continue;
    const valueType = f.type.kind === "type";
    const data = { what, field: f.name, owner, type: typeText(f.type), empty: f.type.kind === "map" ? "{}" : f.type.kind === "list" ? "[]" : "…" };
    if (variant) out.push(report("EDA4014", f.span, { ...data, variantName: variant }, { variant: "variant", hint: valueType ? "variantValueType" : "variant" }));
    else out.push(report("EDA4014", f.span, data, { hint: valueType ? "valueType" : "default" }));
  }
}

function checkProjection(p: ProjectionModel, out: Diagnostic[]): void {
  checkInitial(p.fields, "row", p.name, out);
  if (p.from.length === 0) out.push(report("EDA4011", p.nameSpan, { projection: p.name }));
  const key = p.key;
  if (!key) {
    out.push(report("EDA4010", p.nameSpan, { projection: p.name }));
    return;
  }
  for (const { event, span } of p.from) checkKey(p, key, event, span, out);
}

function checkKey(p: ProjectionModel, key: FieldModel, event: EventModel, span: FieldModel["span"], out: Diagnostic[]): void {
  const f = event.current.fields.find((x) => x.name === key.name);
  if (!f) {
    out.push(report("EDA4010", span, { event: event.name, key: key.name, projection: p.name }, { variant: "eventLacksKey", labels: [label(key.span, "key")] }));
  } else if (!sameType(f.type, key.type) || f.optional) {
    const labels = [label(key.span, "key")];
    out.push(report("EDA4012", span, { event: event.name, key: key.name, actual: fieldType(f), projection: p.name, keyType: typeText(key.type) }, { labels }));
  }
}
