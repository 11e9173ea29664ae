/**
 * The evolution gate: the current model compared with a baseline (an earlier commit, a folder, a
 * deployed service's manifest). Stored event versions must keep their shape (errors), commands
 * should stay sendable by older senders (warnings, or errors on request), and read models and
 * running workflows that changed are named (a notice, a warning). Pure: two Models in,
 * diagnostics out; spans point into the current model, labels into the baseline.
 */
import { label, report, type Diagnostic, type Label, type Span } from "../diagnostics/diagnostic.js";
import type { CommandModel, ContextModel, EventModel, EventVersionModel, Model } from "../resolve/model.js";
import { compareProjections, compareWorkflows } from "./behaviour.js";
import { compareStreams } from "./streams.js";
import { compareUpcasts } from "./upcasts.js";
import { compareFields, type FieldChange, type FieldChangeKind } from "./fields.js";

export interface CompareOptions {
  /** The severity of commands' breaking changes (EDA7101): `warning` (the default) or `error`. */
  readonly commands?: "warning" | "error";
}

/** The diagnostics of the changes from `baseline` to `current`, unsorted. */
export function compareModels(baseline: Model, current: Model, options: CompareOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const now = byName(current);
  const contexts = new Map(current.contexts.map((c) => [c.name, c]));
  /** Where to point at something only the baseline has: its context in the current model, else the baseline. */
  const anchor = (context: string, baseSpan: Span): Span => contexts.get(context)?.nameSpan ?? baseSpan;
  for (const context of baseline.contexts) {
    for (const event of context.events) {
      const match = now.get(event.name);
      if (match?.kind === "event") compareEvent(event, match, out);
      else {
        const labels = [label(event.nameSpan, "baselineDeclared")];
        out.push(report("EDA7009", anchor(context.name, event.nameSpan), { event: event.qualifiedName, name: event.name }, { labels }));
      }
    }
    for (const command of context.commands) {
      const match = now.get(command.name);
      const severity = options.commands ?? "warning";
      const push = (d: Diagnostic): void => void out.push({ ...d, severity });
      if (match?.kind === "command") compareCommand(command, match, push);
      else {
        const labels = [label(command.nameSpan, "baselineDeclared")];
        push(report("EDA7101", anchor(context.name, command.nameSpan), { command: command.qualifiedName }, { variant: "removed", labels }));
      }
    }
    compareProjections(context.projections, (name) => now.get(name), out);
    compareWorkflows(context.workflows, (name) => now.get(name), out);
  }
  compareStreams(baseline, current, out);
  return out;
}

type Declaration = ContextModel["events"][number] | ContextModel["commands"][number] | ContextModel["projections"][number] | ContextModel["workflows"][number];

/**
 * Declarations by the name they are matched with: events and commands by their bare name, which
 * is unique in a model (EDA2014) and is what a store and a bus carry, so moving one to another
 * context changes nothing stored; projections and workflows by qualified name.
 */
function byName(model: Model): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  for (const c of model.contexts) {
    for (const d of [...c.events, ...c.commands]) out.set(d.name, d);
    for (const d of [...c.projections, ...c.workflows]) out.set(d.qualifiedName, d);
  }
  return out;
}

const EVENT_CODES: Record<FieldChangeKind, "EDA7001" | "EDA7002" | "EDA7003" | "EDA7004" | "EDA7005" | "EDA7006" | "EDA7007"> = {
  removed: "EDA7001",
  renamed: "EDA7002",
  retyped: "EDA7003",
  required: "EDA7004",
  tightened: "EDA7005",
  enumMemberRemoved: "EDA7006",
  defaultChanged: "EDA7007",
};

function compareEvent(base: EventModel, event: EventModel, out: Diagnostic[]): void {
  const versions = new Map(event.versions.map((v) => [v.version, v]));
  const next = Math.max(...event.versions.map((v) => v.version), ...base.versions.map((v) => v.version)) + 1;
  for (const b of base.versions) {
    const v = versions.get(b.version);
    if (!v) {
      const upcast = base.upcasts.find((u) => u.from === b.version);
      const still = event.upcasts.some((u) => u.from === b.version);
      const variant = upcast ? (still ? "upcastStill" : "upcast") : still ? "still" : "default";
      const labels = [label(b.headerSpan, "baselineDeclared")];
      out.push(report("EDA7008", event.nameSpan, { event: event.name, version: b.version, to: upcast?.to ?? 0 }, { variant, labels }));
      continue;
    }
    for (const change of compareFields(b.fields, v.fields, { span: v.headerSpan, baseSpan: b.headerSpan })) {
      out.push(eventDiagnostic(event, b, v, change, next));
    }
    compareSealing(event, b, v, out);
  }
  compareUpcasts(base, event, out);
}

/**
 * A stored version whose fields are `@pii(subject)` holds them in a sealed entry under that
 * subject's key; the store opens it by the current model's plan for the version (its subject
 * field). With another subject field the entry is opened with the wrong subject's keys (its fields
 * read as forgotten, or fail), and with none it is not opened at all (its fields read as absent).
 */
function compareSealing(event: EventModel, b: EventVersionModel, v: EventVersionModel, out: Diagnostic[]): void {
  const sealedBy = b.fields.find((f) => f.piiSubject !== undefined);
  const subject = sealedBy?.piiSubject;
  if (sealedBy === undefined || subject === undefined) return;
  const now = v.fields.find((f) => f.piiSubject !== undefined);
  if (now?.piiSubject === subject) return;
  const data = { event: event.name, version: b.version, subject, to: now?.piiSubject ?? "" };
  const labels = [label(sealedBy.piiSpan ?? sealedBy.span, "asInBaselineVersion", { event: event.name, version: b.version })];
  out.push(report("EDA7012", now ? (now.piiSpan ?? now.span) : v.headerSpan, data, { variant: now ? "changed" : "default", labels }));
}

function eventDiagnostic(event: EventModel, b: EventVersionModel, v: EventVersionModel, change: FieldChange, next: number): Diagnostic {
  // The upcast to write: a rename's rule, or `compute` for a new required top-level field.
  const hint = change.kind === "renamed" ? "rename" : change.kind === "required" && !change.path.includes(".") ? "compute" : "default";
  const baseline: Label = label(change.baseSpan, "asInBaselineVersion", { event: event.name, version: b.version });
  const data = { event: event.name, version: v.version, change: change.what, next, field: change.path, to: change.renamedTo ?? "" };
  return report(EVENT_CODES[change.kind], change.span, data, { labels: [baseline], hint });
}

function compareCommand(base: CommandModel, command: CommandModel, push: (d: Diagnostic) => void): void {
  for (const change of compareFields(base.fields, command.fields, { span: command.nameSpan, baseSpan: base.nameSpan })) {
    const variant = change.kind === "removed" || change.kind === "renamed" ? "ignored" : "default";
    push(report("EDA7101", change.span, { command: command.name, change: change.what }, { variant, labels: [label(change.baseSpan, "asInBaseline")] }));
  }
}
