/** Aggregates (stream field, state, snapshots) and projections (key, rows, events). */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
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
function streamHint(field: string, owner: string, fields: readonly FieldModel[]): string {
  const guess = closest(field, fields.map((f) => f.name));
  return guess ? `\`${owner}\` has \`${guess}\`: did you mean \`stream ${guess}\`?` : `Add \`${field}\` to \`${owner}\`.`;
}

function checkAggregate(a: AggregateModel, out: Diagnostic[]): void {
  if (a.snapshotEvery !== undefined && a.snapshotSpan && (!Number.isInteger(a.snapshotEvery) || a.snapshotEvery < 1)) {
    out.push(diagnostic("EDA4008", a.snapshotSpan, `\`snapshot every ${a.snapshotEvery}\` needs a whole number of events, at least 1.`, { hint: "Write `snapshot every 100`." }));
  }
  checkInitial(a.state, "state", a.name, out);
  if (a.variants) checkVariants(a, a.variants, out);
  if (!a.stream) {
    out.push(diagnostic("EDA4006", a.nameSpan, `The aggregate \`${a.name}\` does not name its stream field.`, { hint: "Add `stream fieldName`: the identity field that its commands and events carry." }));
    return;
  }
  const stream = a.stream;
  let first: { owner: string; field: FieldModel } | undefined;
  const carriers: [string, readonly FieldModel[], FieldModel["span"]][] = [];
  for (const h of a.handlers) {
    carriers.push([h.command.name, h.command.fields, h.commandSpan]);
    h.emits.forEach((ev, i) => carriers.push([ev.name, ev.current.fields, h.emitSpans[i] ?? h.span]));
  }
  for (const [owner, fields, span] of carriers) {
    const f = fields.find((x) => x.name === stream.field);
    if (!f) {
      out.push(diagnostic("EDA4005", span, `\`${owner}\` has no field \`${stream.field}\`, the stream field of aggregate \`${a.name}\`.`, { labels: [{ span: stream.span, message: "the stream field is named here" }], hint: streamHint(stream.field, owner, fields) }));
      continue;
    }
    if (!first && !f.optional) {
      first = { owner, field: f };
      continue;
    }
    if (!first) {
      out.push(diagnostic("EDA4007", f.typeSpan, `\`${owner}.${stream.field}\` is optional, but a stream field is always present.`, { hint: `Make \`${stream.field}\` required in \`${owner}\`.` }));
      continue;
    }
    if (!sameType(f.type, first.field.type) || f.optional) {
      out.push(
        diagnostic("EDA4007", f.typeSpan, `\`${owner}.${stream.field}\` is ${f.optional ? "optional " : ""}\`${typeText(f.type)}\`, but \`${first.owner}.${stream.field}\` is \`${typeText(first.field.type)}\`: a stream field has one type and is always present.`, {
          labels: [{ span: first.field.typeSpan, message: `\`${first.owner}\` declares it here` }],
          hint: "Give every command and event of the aggregate the same, required stream field.",
        }),
      );
    }
  }
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
      out.push(diagnostic("EDA4020", v.span, `The state of \`${a.name}\` already has a variant \`${v.name}\`.`, { labels: [{ span: first.span, message: "first declared here" }], hint: "Give each variant its own name, or join their fields into one." }));
    } else seen.set(v.name, v);
    const tag = v.fields.find((f) => f.name === STATUS);
    if (tag) {
      out.push(diagnostic("EDA4021", tag.span, `The variant \`${v.name}\` of \`${a.name}\` declares a field \`${STATUS}\`, but \`${STATUS}\` is the tag that names the variant.`, { hint: `Rename the field (\`phase\`, \`stage\`): \`state.${STATUS}\` is already \`"${v.name}"\`.` }));
    }
  }
  const initial = variants[0];
  if (initial) checkInitial(initial.fields, "state", a.name, out, initial.name);
}

/** The field of a variant state that holds the variant's name. */
const STATUS = "status";

/** How to give a field an initial value: `= {}` for maps and value types, `= []` for lists. */
function initialHint(f: FieldModel): string {
  const empty = f.type.kind === "map" ? "{}" : f.type.kind === "list" ? "[]" : f.type.kind === "type" ? "{}" : "…";
  const when = f.type.kind === "type" ? ` (when each field of \`${typeText(f.type)}\` has a default)` : "";
  return `Give it a default (\`${f.name}: ${typeText(f.type)} = ${empty}\`${when}) or make it optional (\`${f.name}?: …\`).`;
}

/** Required fields of a state or row need defaults: the initial value is built from them. */
function checkInitial(fields: readonly FieldModel[], what: string, owner: string, out: Diagnostic[], variant?: string): void {
  for (const f of fields) {
    if (f.optional || f.defaultValue) continue;
    const of = variant ? `\`${owner}\`'s first variant \`${variant}\` (its initial state)` : `\`${owner}\``;
    const hint = variant ? `${initialHint(f)} Or begin the state with a variant without fields: \`state Empty | ${variant} { … }\`.` : initialHint(f);
    out.push(diagnostic("EDA4014", f.span, `The ${what} field \`${f.name}\` of ${of} has no default, so there is no initial ${what}.`, { hint }));
  }
}

function checkProjection(p: ProjectionModel, out: Diagnostic[]): void {
  checkInitial(p.fields, "row", p.name, out);
  if (p.from.length === 0) out.push(diagnostic("EDA4011", p.nameSpan, `The projection \`${p.name}\` is built from no events.`, { hint: "Add `from EventA, EventB`." }));
  const key = p.key;
  if (!key) {
    out.push(diagnostic("EDA4010", p.nameSpan, `The projection \`${p.name}\` has no key.`, { hint: "Add `key fieldName: Type`: one row per value of a field its events carry." }));
    return;
  }
  for (const { event, span } of p.from) checkKey(p, key, event, span, out);
}

function checkKey(p: ProjectionModel, key: FieldModel, event: EventModel, span: FieldModel["span"], out: Diagnostic[]): void {
  const f = event.current.fields.find((x) => x.name === key.name);
  if (!f) {
    out.push(diagnostic("EDA4010", span, `\`${event.name}\` has no field \`${key.name}\`, the key of projection \`${p.name}\`.`, { labels: [{ span: key.span, message: "the key is declared here" }], hint: `Add \`${key.name}\` to \`${event.name}\`, or build the projection from other events.` }));
  } else if (!sameType(f.type, key.type) || f.optional) {
    out.push(
      diagnostic("EDA4012", span, `\`${event.name}.${key.name}\` is ${f.optional ? "optional " : ""}\`${typeText(f.type)}\`, but the key of \`${p.name}\` is \`${typeText(key.type)}\`.`, {
        labels: [{ span: key.span, message: "the key is declared here" }],
        hint: "The key field must have the key's type and always be present.",
      }),
    );
  }
}
