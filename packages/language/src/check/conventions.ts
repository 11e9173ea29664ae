/** Naming conventions and the pitfalls visible in names. All warnings. */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CommandModel, DeclarationModel, FieldModel, Model, SendModel } from "../resolve/model.js";
import { commandNameProblem, eventNameProblem } from "./naming.js";
import { fieldLists } from "./walk.js";

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
/** A name beyond ASCII is an error already (EDA1001); a case hint would only repeat it. */
const ASCII_NAME = /^[A-Za-z0-9_]*$/;
const QUERY_VERBS = new Set("Get Fetch Find List Query Load Read Search Lookup Retrieve Show View Count Browse".split(" "));

/** True when `name` is ASCII and does not follow `pattern`. */
function breaks(pattern: RegExp, name: string): boolean {
  return ASCII_NAME.test(name) && !pattern.test(name);
}

function words(name: string): string[] {
  return name.match(/[A-Z][a-z0-9]*|[a-z][a-z0-9]*/g) ?? [name];
}

export function checkConventions(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    const decls: DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      if (breaks(PASCAL, d.name)) out.push(report("EDA6004", d.nameSpan, { name: d.name, suggestion: toPascal(d.name) }));
    }
    for (const e of c.enums) for (const m of e.members) if (breaks(PASCAL, m.name)) out.push(report("EDA6004", m.span, { name: m.name, suggestion: toPascal(m.name) }, { variant: "member" }));
    for (const a of c.aggregates) for (const v of a.variants ?? []) if (breaks(PASCAL, v.name)) out.push(report("EDA6004", v.span, { name: v.name, suggestion: toPascal(v.name) }, { variant: "stateVariant" }));
    for (const { fields } of fieldLists(c)) for (const f of fields) checkFieldName(f, out);
    for (const command of c.commands) checkCommandName(command, out);
    for (const ev of c.events) {
      if (eventNameProblem(ev.name)) {
        out.push(report("EDA6002", ev.nameSpan, { event: ev.name }));
      }
    }
    for (const wf of c.workflows) {
      for (const s of wf.steps) {
        if (breaks(CAMEL, s.name)) out.push(report("EDA6005", s.nameSpan, { name: s.name, suggestion: toCamel(s.name) }, { variant: "step" }));
        for (const send of [s.send, s.compensate]) if (send) checkDeprecatedWrites(send, out);
      }
      for (const send of [wf.onComplete, wf.onFail, ...wf.reactions.map((r) => r.send)]) if (send) checkDeprecatedWrites(send, out);
    }
  }
}

function checkFieldName(f: FieldModel, out: Diagnostic[]): void {
  if (!breaks(CAMEL, f.name)) return;
  out.push(report("EDA6005", { ...f.span, end: f.span.start + f.name.length }, { name: f.name, suggestion: toCamel(f.name) }));
}

function checkCommandName(command: CommandModel, out: Diagnostic[]): void {
  const ws = words(command.name);
  const first = ws[0] ?? "";
  if (QUERY_VERBS.has(first) && ws.length > 1) {
    out.push(report("EDA6003", command.nameSpan, { command: command.name }));
    return;
  }
  const problem = commandNameProblem(command.name);
  if (!problem) return;
  const data = { command: command.name };
  if (problem.kind === "past") out.push(report("EDA6001", command.nameSpan, data, { variant: "past" }));
  else if (problem.kind === "verb-last") out.push(report("EDA6001", command.nameSpan, { ...data, suggestion: problem.suggestion }, { variant: "verbLast" }));
  else out.push(report("EDA6001", command.nameSpan, data));
}

function checkDeprecatedWrites(send: SendModel, out: Diagnostic[]): void {
  for (const entry of send.fields) {
    const field = send.command.fields.find((f) => f.name === entry.field);
    if (field?.deprecated === undefined || entry.source.kind === "unset") continue;
    out.push(
      field.deprecated
        ? report("EDA6006", entry.span ?? send.span, { command: send.command.name, field: field.name, reason: field.deprecated }, { variant: "withReason", labels: [label(field.span, "deprecated")] })
        : report("EDA6006", entry.span ?? send.span, { command: send.command.name, field: field.name }, { labels: [label(field.span, "deprecated")] }),
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
