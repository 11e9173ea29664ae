/** Naming conventions and the pitfalls visible in names. All warnings. */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CommandModel, DeclarationModel, FieldModel, Model, SendModel } from "../resolve/model.js";
import { commandNameProblem, eventNameProblem } from "./naming.js";
import { fieldLists } from "./walk.js";

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const QUERY_VERBS = new Set("Get Fetch Find List Query Load Read Search Lookup Retrieve Show View Count Browse".split(" "));

function words(name: string): string[] {
  return name.match(/[A-Z][a-z0-9]*|[a-z][a-z0-9]*/g) ?? [name];
}

export function checkConventions(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    const decls: DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      if (!PASCAL.test(d.name)) out.push(diagnostic("EDA6004", d.nameSpan, `\`${d.name}\` should be PascalCase.`, { hint: `Write \`${toPascal(d.name)}\`.` }));
    }
    for (const e of c.enums) for (const m of e.members) if (!PASCAL.test(m.name)) out.push(diagnostic("EDA6004", m.span, `The enum member \`${m.name}\` should be PascalCase.`, { hint: `Write \`${toPascal(m.name)}\`.` }));
    for (const a of c.aggregates) for (const v of a.variants ?? []) if (!PASCAL.test(v.name)) out.push(diagnostic("EDA6004", v.span, `The state variant \`${v.name}\` should be PascalCase.`, { hint: `Write \`${toPascal(v.name)}\`.` }));
    for (const { fields } of fieldLists(c)) for (const f of fields) checkFieldName(f, out);
    for (const command of c.commands) checkCommandName(command, out);
    for (const ev of c.events) {
      if (eventNameProblem(ev.name)) {
        out.push(diagnostic("EDA6002", ev.nameSpan, `Events record what happened, so \`${ev.name}\` should name its verb as a past participle.`, { hint: "Name it after the fact, in the past tense: `OrderPlaced`, `PaymentCaptured`, `ItemsCheckedInToInventory`." }));
      }
    }
    for (const wf of c.workflows) {
      for (const s of wf.steps) {
        if (!CAMEL.test(s.name)) out.push(diagnostic("EDA6005", s.nameSpan, `The step name \`${s.name}\` should be camelCase.`, { hint: `Write \`${toCamel(s.name)}\`.` }));
        for (const send of [s.send, s.compensate]) if (send) checkDeprecatedWrites(send, out);
      }
      for (const send of [wf.onComplete, wf.onFail, ...wf.reactions.map((r) => r.send)]) if (send) checkDeprecatedWrites(send, out);
    }
  }
}

function checkFieldName(f: FieldModel, out: Diagnostic[]): void {
  if (CAMEL.test(f.name)) return;
  out.push(diagnostic("EDA6005", { ...f.span, end: f.span.start + f.name.length }, `The field name \`${f.name}\` should be camelCase.`, { hint: `Write \`${toCamel(f.name)}\`.` }));
}

function checkCommandName(command: CommandModel, out: Diagnostic[]): void {
  const ws = words(command.name);
  const first = ws[0] ?? "";
  if (QUERY_VERBS.has(first) && ws.length > 1) {
    out.push(diagnostic("EDA6003", command.nameSpan, `\`${command.name}\` reads like a query. Commands change state; a query through the command path gains nothing and costs a round trip.`, { hint: "Read from a projection or call the service directly instead." }));
    return;
  }
  const problem = commandNameProblem(command.name);
  if (!problem) return;
  const [message, hint] =
    problem.kind === "past"
      ? ["sounds like something that already happened; commands are requests, named imperatively.", "Name it verb first, like `PlaceOrder`; if it is a fact, declare it as an event."]
      : problem.kind === "verb-last"
        ? ["puts its verb last; commands are requests, named verb first.", `Write \`${problem.suggestion}\`.`]
        : ["does not start with a verb; commands are requests, named after the action they ask for.", "Name it verb first, like `PlaceOrder` or `CancelBooking`."];
  out.push(diagnostic("EDA6001", command.nameSpan, `\`${command.name}\` ${message}`, { hint }));
}

function checkDeprecatedWrites(send: SendModel, out: Diagnostic[]): void {
  for (const entry of send.fields) {
    const field = send.command.fields.find((f) => f.name === entry.field);
    if (field?.deprecated === undefined || entry.source.kind === "unset") continue;
    out.push(
      diagnostic("EDA6006", entry.span ?? send.span, `\`${send.command.name}.${field.name}\` is deprecated${field.deprecated ? `: ${field.deprecated}` : ""}, but this workflow still writes it.`, {
        labels: [{ span: field.span, message: "deprecated here" }],
        hint: "Stop filling it, or remove `@deprecated`.",
      }),
    );
  }
}

function toPascal(s: string): string {
  return s.replace(/(^|_+)([a-zA-Z0-9])/g, (_, __, ch: string) => ch.toUpperCase());
}

function toCamel(s: string): string {
  const p = toPascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
