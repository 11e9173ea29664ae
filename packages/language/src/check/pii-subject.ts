/**
 * `@pii(subject)`: the field is encrypted under the key of the data subject that `subject` names,
 * so forgetting that subject makes it unreadable (crypto-shredding). The subject must be a field
 * of the same message (EDA4018) that can serve as a key's name: required, not itself `@pii`, a
 * `uuid`, `string` or `int` (EDA4019). One message names one subject (EDA4019). A forgotten
 * field reads as the `"[forgotten]"` placeholder, so a required one must be text (`string`,
 * `email`, `url`); any other type must be optional and reads as absent (EDA4019). Value types
 * are encrypted by the message that carries them, so their fields take plain `@pii` (EDA4019).
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { FieldModel, Model } from "../resolve/model.js";
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
        out.push(
          diagnostic("EDA4019", f.piiSpan ?? f.span, `\`${t.name}.${f.name}\` names a data subject, but \`${t.name}\` is a value type: only event and command fields are encrypted per subject.`, {
            hint: "Write `@pii` here, or move the field onto the event that names the subject.",
          }),
        );
      }
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
      out.push(
        diagnostic("EDA4018", at, `\`${owner}\` has no field \`${f.piiSubject}\` to name the data subject of \`${f.name}\`.`, {
          hint: names.length > 0 ? `Name one of its fields: ${names.join(", ")}.` : "Add the id of the person the data is about, e.g. `customerId: uuid`.",
        }),
      );
      continue;
    }
    const why = subjectProblem(subject);
    if (why !== undefined) {
      out.push(diagnostic("EDA4019", at, `\`${owner}.${subject.name}\` cannot name the data subject of \`${f.name}\`: ${why}.`, { labels: [{ span: subject.span, message: "the subject field" }], hint: "Name a required id field of the message, e.g. `customerId: uuid`." }));
      continue;
    }
    if (first !== undefined && first.piiSubject !== f.piiSubject) {
      out.push(diagnostic("EDA4019", at, `\`${owner}\` names two data subjects, \`${first.piiSubject}\` and \`${f.piiSubject}\`: a message's personal data belongs to one subject.`, { labels: [{ span: first.piiSpan ?? first.span, message: "the first subject" }], hint: "Split the message, or name one subject on every field." }));
      continue;
    }
    first ??= f;
    const text = f.type.kind === "scalar" && TEXT_TYPES.has(f.type.name);
    if (!f.optional && f.defaultValue === undefined && !text && f.type.kind !== "unresolved") {
      out.push(
        diagnostic("EDA4019", at, `\`${owner}.${f.name}\` is a required \`${typeText(f.type)}\`: once its subject is forgotten it would have no value to read as.`, {
          hint: 'Make it optional (`?`, read as absent once forgotten) or text (read as "[forgotten]").',
        }),
      );
    }
  }
}

function subjectProblem(subject: FieldModel): string | undefined {
  if (subject.pii) return "it is personal data itself (`@pii`), but the subject's id is stored in clear to find the key";
  if (subject.optional) return "it is optional, and every event needs its subject to find the key";
  if (subject.type.kind !== "scalar" || !SUBJECT_TYPES.has(subject.type.name)) return `a subject is a \`uuid\`, \`string\` or \`int\`, not \`${typeText(subject.type)}\``;
  return undefined;
}
