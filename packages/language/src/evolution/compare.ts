/**
 * The evolution gate: the current model compared with a baseline (an earlier commit, a folder, a
 * deployed service's manifest). Stored event versions must keep their shape (errors), commands
 * should stay sendable by older senders (warnings, or errors on request), and read models and
 * running workflows that changed are named (a notice, a warning). Pure: two Models in,
 * diagnostics out; spans point into the current model, labels into the baseline.
 */
import { diagnostic, type Diagnostic, type Label, type Span } from "../diagnostics/diagnostic.js";
import type { CommandModel, ContextModel, EventModel, EventVersionModel, Model } from "../resolve/model.js";
import { compareProjections, compareWorkflows } from "./behaviour.js";
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
        out.push(
          diagnostic("EDA7009", anchor(context.name, event.nameSpan), `Event \`${event.qualifiedName}\` is in the baseline but no longer declared; the events of it already stored cannot be read.`, {
            labels: [{ span: event.nameSpan, message: "declared here in the baseline" }],
            hint: `Keep \`${event.name}\` with every version the store may hold; \`eda store verify\` lists what it cannot read.`,
          }),
        );
      }
    }
    for (const command of context.commands) {
      const match = now.get(command.name);
      const severity = options.commands ?? "warning";
      const push = (d: Diagnostic): void => void out.push({ ...d, severity });
      if (match?.kind === "command") compareCommand(command, match, push);
      else {
        push(
          diagnostic("EDA7101", anchor(context.name, command.nameSpan), `Command \`${command.qualifiedName}\` was removed; senders built on the baseline still send it, and nothing handles it now.`, {
            labels: [{ span: command.nameSpan, message: "declared here in the baseline" }],
            hint: "Remove the senders first, and the command in a later release.",
          }),
        );
      }
    }
    compareProjections(context.projections, (name) => now.get(name), out);
    compareWorkflows(context.workflows, (name) => now.get(name), out);
  }
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
      out.push(
        diagnostic("EDA7008", event.nameSpan, `\`${event.name} v${b.version}\` is in the baseline but no longer declared; stored v${b.version} events cannot be read${upcast ? ` (the baseline upcast them to v${upcast.to})` : ""}${still ? ", and an upcast still starts from it" : ""}.`, {
            labels: [{ span: b.headerSpan, message: "declared here in the baseline" }],
            hint: `Keep \`event ${event.name} v${b.version}\` and its upcast for as long as the store may hold v${b.version} events; \`eda store verify\` tells.`,
          },
        ),
      );
      continue;
    }
    for (const change of compareFields(b.fields, v.fields, { span: v.headerSpan, baseSpan: b.headerSpan })) {
      out.push(eventDiagnostic(event, b, v, change, next));
    }
  }
}

function eventDiagnostic(event: EventModel, b: EventVersionModel, v: EventVersionModel, change: FieldChange, next: number): Diagnostic {
  const name = `${event.name} v${v.version}`;
  const rule =
    change.kind === "renamed" ? ` { ${change.renamedTo} = from ${change.path} }` : change.kind === "required" && !change.path.includes(".") ? ` { ${change.path} = compute }` : "";
  const label: Label = { span: change.baseSpan, message: `as it was in the baseline's \`${event.name} v${b.version}\`` };
  return diagnostic(EVENT_CODES[change.kind], change.span, `In \`${name}\`, ${change.what}; events already stored as v${v.version} no longer fit it.`, {
    labels: [label],
    hint: `A stored version keeps its shape: restore \`${name}\`, declare the new shape as \`event ${event.name} v${next}\` and an upcast from v${v.version} (\`upcast ${event.name} v${v.version} -> v${next}${rule}\`).`,
  });
}

function compareCommand(base: CommandModel, command: CommandModel, push: (d: Diagnostic) => void): void {
  for (const change of compareFields(base.fields, command.fields, { span: command.nameSpan, baseSpan: base.nameSpan })) {
    const effect = change.kind === "removed" || change.kind === "renamed" ? "what they send there is now ignored" : "what they send may now be rejected";
    push(
      diagnostic("EDA7101", change.span, `In command \`${command.name}\`, ${change.what}; for senders built on the baseline ${effect}.`, {
        labels: [{ span: change.baseSpan, message: "as it was in the baseline" }],
        hint: "Deploy the handler and every sender together, or keep the change compatible: a new field optional or with a default, a looser constraint.",
      }),
    );
  }
}
