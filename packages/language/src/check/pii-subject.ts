/**
 * `@pii(subject)`: the field is encrypted under the key of the data subject that `subject` names,
 * so forgetting that subject makes it unreadable (crypto-shredding). The subject must be a field
 * of the same message (EDA4018) that can serve as a key's name: required, not itself `@pii`, a
 * `uuid`, `string` or `int` (EDA4019). One message names one subject (EDA4019). A forgotten
 * field reads as the `"[forgotten]"` placeholder, so a required one must be text (`string`,
 * `email`, `url`); any other type must be optional and reads as absent (EDA4019). Value types
 * are encrypted by the message that carries them, so their fields take plain `@pii` (EDA4019);
 * aggregate state and projection rows are stored as the handlers write them, so theirs too
 * (EDA4019). A workflow copying a `@pii(subject)` field into a command field that is not one
 * leaves the value in clear (EDA6007). A newer event version that stops encrypting such a field
 * is EDA3012, reported where upcasts are planned (`resolve/upcast-pii.ts`).
 */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { EventModel, FieldModel, Model, SendModel, WorkflowModel } from "../resolve/model.js";
import { typeText } from "../resolve/types.js";

const SUBJECT_TYPES = new Set(["uuid", "string", "int"]);
const TEXT_TYPES = new Set(["string", "email", "url"]);

export function checkPiiSubjects(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const m of c.commands) checkMessage(m.name, m.fields, out);
    for (const e of c.events) for (const v of e.versions) checkMessage(e.versions.length > 1 ? `${e.name} v${v.version}` : e.name, v.fields, out);
    for (const t of c.types) {
      for (const f of t.fields) {
        if (f.piiSubject === undefined) continue;
        out.push(report("EDA4019", f.piiSpan ?? f.span, { owner: t.name, field: f.name }, { variant: "valueType" }));
      }
    }
    // Aggregate state (in snapshots) and projection rows are stored as the handlers write them.
    for (const a of c.aggregates) {
      for (const fields of [a.state, ...(a.variants ?? []).map((v) => v.fields)]) {
        for (const f of fields) if (f.piiSubject !== undefined) out.push(storedHere(a.name, f, "aggregate state", "its snapshots keep it", "state"));
      }
    }
    for (const p of c.projections) {
      for (const f of p.fields) if (f.piiSubject !== undefined) out.push(storedHere(p.name, f, "a projection's row", "the row keeps it", "projection"));
    }
    // A rejection's reason is the command's result, kept with the command (and in a run's rejections).
    for (const owner of [...c.aggregates, ...c.services]) {
      for (const r of owner.rejections) {
        for (const f of r.fields) if (f.piiSubject !== undefined) out.push(storedHere(`${owner.name}.${r.name}`, f, "a rejection's field", "the command's result keeps it", "rejection"));
      }
    }
    for (const wf of c.workflows) checkCopies(wf, out);
  }
}

/** Whether `send` fills the command's field `subject` from `from`'s field `sourceSubject`. */
function sameSubject(send: SendModel, subject: string, from: EventModel, sourceSubject: string): boolean {
  const filled = send.fields.find((e) => e.field === subject)?.source;
  if (filled?.kind === "trigger") return filled.field === sourceSubject;
  if (filled?.kind === "event") return filled.event === from && filled.field === sourceSubject;
  return false;
}

function storedHere(owner: string, f: FieldModel, kind: string, where: string, hint: "state" | "projection" | "rejection"): Diagnostic {
  return report("EDA4019", f.piiSpan ?? f.span, { owner, field: f.name, kind, where }, { variant: "stored", hint });
}

/**
 * An orchestrated workflow that copies a `@pii(subject)` field of an event into a command field
 * that is not encrypted (EDA6007): the orchestrator queues its commands in the store
 * (`eda_workflow_commands`), where the value then sits in clear. A choreography rule sends its
 * command at once and stores none.
 */
function checkCopies(wf: WorkflowModel, out: Diagnostic[]): void {
  const sends: SendModel[] = [];
  for (const s of wf.steps) for (const send of [s.send, s.compensate]) if (send) sends.push(send);
  for (const send of [wf.onComplete, wf.onFail]) if (send) sends.push(send);
  const trigger: EventModel | undefined = wf.start;
  for (const send of sends) {
    for (const entry of send.fields) {
      const from = entry.source.kind === "trigger" ? trigger : entry.source.kind === "event" ? entry.source.event : undefined;
      if (from === undefined || (entry.source.kind !== "trigger" && entry.source.kind !== "event")) continue;
      const sourceName = entry.source.field;
      const source = from.current.fields.find((f) => f.name === sourceName);
      const target = send.command.fields.find((f) => f.name === entry.field);
      if (source?.piiSubject === undefined || target === undefined) continue;
      // Encrypted too, but for the same subject only when the command's subject field is filled
      // from the event's: forgetting that subject must reach the copy.
      if (target.piiSubject !== undefined && sameSubject(send, target.piiSubject, from, source.piiSubject)) continue;
      const labels = [label(source.piiSpan ?? source.span, "personalData")];
      const data = { command: send.command.name, field: target.name, source: `${from.name}.${source.name}`, subject: source.piiSubject, targetSubject: target.piiSubject ?? "" };
      out.push(report("EDA6007", entry.span ?? send.span, data, { labels, ...(target.piiSubject === undefined ? {} : { variant: "otherSubject" as const }) }));
    }
  }
}

function checkMessage(owner: string, fields: readonly FieldModel[], out: Diagnostic[]): void {
  let first: FieldModel | undefined;
  for (const f of fields) {
    if (f.piiSubject === undefined) continue;
    const at = f.piiSpan ?? f.span;
    const subject = fields.find((g) => g.name === f.piiSubject);
    if (subject === undefined) {
      const names = fields.filter((g) => !g.pii).map((g) => `\`${g.name}\``);
      out.push(report("EDA4018", at, { owner, subject: f.piiSubject, field: f.name, fields: names.join(", ") }, { hint: names.length > 0 ? "default" : "noFields" }));
      continue;
    }
    const why = subjectProblem(subject);
    if (why !== undefined) {
      const labels = [label(subject.span, "subjectField")];
      out.push(report("EDA4019", at, { owner, subject: subject.name, field: f.name, type: typeText(subject.type) }, { variant: why, labels }));
      continue;
    }
    if (first !== undefined && first.piiSubject !== f.piiSubject) {
      const labels = [label(first.piiSpan ?? first.span, "firstSubject")];
      out.push(report("EDA4019", at, { owner, first: first.piiSubject ?? "", second: f.piiSubject }, { variant: "twoSubjects", labels }));
      continue;
    }
    first ??= f;
    const text = f.type.kind === "scalar" && TEXT_TYPES.has(f.type.name);
    if (!f.optional && f.defaultValue === undefined && !text && f.type.kind !== "unresolved") {
      out.push(report("EDA4019", at, { owner, field: f.name, type: typeText(f.type) }, { variant: "requiredValue" }));
    }
  }
}

/** Why a field cannot name a data subject (a variant of EDA4019), if it cannot. */
function subjectProblem(subject: FieldModel): "subjectPii" | "subjectOptional" | "default" | undefined {
  if (subject.pii) return "subjectPii";
  if (subject.optional) return "subjectOptional";
  if (subject.type.kind !== "scalar" || !SUBJECT_TYPES.has(subject.type.name)) return "default";
  return undefined;
}
