/**
 * Personal data encrypted for its subject stays encrypted across versions (EDA3012). A field that
 * an old version marks `@pii(subject)` is sealed in the stored events under the subject's key, and
 * `eda forget` shreds that key. When an upcast carries the field, by its name or with `from`, into
 * a field of the newer version that is not encrypted (plain `@pii`, or no `@pii`), every event
 * written as the newer version holds the value in clear, and forgetting the subject no longer
 * reaches it. A field the newer version drops is not reported: nothing carries its value; nor one
 * it encrypts for another of its subject fields (a change of owner, the way EDA7012 advises).
 */
import type { UpcastDecl } from "../ast/nodes.js";
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { EventModel, EventVersionModel, FieldModel, UpcastModel } from "./model.js";

/** An upcast with the declaration it was planned from (for the spans of its rules). */
export interface PlannedUpcast {
  readonly model: UpcastModel;
  readonly decl: UpcastDecl;
}

/**
 * Reports the fields of `event`'s newer versions that an upcast fills from a `@pii(subject)` field
 * of the older one without keeping it encrypted for the same subject. A field of the newer version
 * is reported once, though several upcasts lead to its version.
 */
export function checkSealedFieldsKept(event: EventModel, upcasts: readonly PlannedUpcast[], out: Diagnostic[]): void {
  const reported = new Set<string>();
  // Newest old version first: a field is reported against the version nearest to its own.
  for (const u of [...upcasts].sort((a, b) => b.model.from - a.model.from)) {
    const from = event.versions.find((v) => v.version === u.model.from);
    const to = event.versions.find((v) => v.version === u.model.to);
    if (from && to) checkUpcast(event, u, from, to, reported, out);
  }
}

function checkUpcast(event: EventModel, u: PlannedUpcast, from: EventVersionModel, to: EventVersionModel, reported: Set<string>, out: Diagnostic[]): void {
  for (const field of to.fields) {
    const p = u.model.plan.find((x) => x.field === field.name);
    // A `from` another field moves that field's value here; the same name is the same data, whatever fills it.
    const moved = p?.kind === "rename" && p.from !== field.name ? sealed(from, p.from) : undefined;
    const source = moved ?? sealed(from, field.name);
    if (source?.piiSubject === undefined) continue;
    const subject = source.piiSubject;
    const targetSubject = field.piiSubject;
    // Encrypted for a subject of the new version: still shredded, maybe for a new owner (EDA7012's way to change one).
    if (targetSubject !== undefined && to.fields.some((f) => f.name === targetSubject)) continue;
    const key = `${to.version} ${field.name}`;
    if (!moved && reported.has(key)) continue;
    reported.add(key);
    const newSubject = to.fields.find((f) => !f.pii && fills(u.model, f.name, subject))?.name;
    const data = { event: event.name, from: from.version, to: to.version, field: field.name, source: source.name, subject, newSubject: newSubject ?? subject };
    const hint = newSubject === undefined ? "noSubject" : newSubject !== subject ? "renamedSubject" : moved ? "mark" : "keep";
    const labels = [label(source.piiSpan ?? source.span, "encryptedIn", { version: from.version })];
    if (moved) {
      const rule = u.decl.rules.find((r) => r.field.name === field.name);
      labels.push(label(field.piiSpan ?? field.span, "declaredAs", { name: field.name }));
      out.push(report("EDA3012", rule?.span ?? u.model.headerSpan, data, { variant: "moved", hint, labels }));
      continue;
    }
    const variant = field.pii ? "plain" : "default";
    out.push(report("EDA3012", field.piiSpan ?? field.span, data, { variant, hint, labels }));
  }
}

/** `name` of `version`, when it is encrypted for a subject field the version has (else EDA4018's). */
function sealed(version: EventVersionModel, name: string): FieldModel | undefined {
  const f = version.fields.find((x) => x.name === name);
  const subject = f?.piiSubject;
  return subject !== undefined && version.fields.some((x) => x.name === subject) ? f : undefined;
}

/** Whether the upcast fills the new version's `field` from the old version's `source`. */
function fills(u: UpcastModel, field: string, source: string): boolean {
  const p = u.plan.find((x) => x.field === field);
  return (p?.kind === "carry" && field === source) || (p?.kind === "rename" && p.from === source);
}
