/**
 * What changed in the readers of the log: a projection whose rows no longer match its definition
 * (a notice: rebuild it), an orchestrated workflow whose steps changed under running instances
 * (a warning: they were started on the old steps).
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { FieldModel, ProjectionModel, SendModel, StepModel, WorkflowModel } from "../resolve/model.js";
import { typeText } from "../resolve/types.js";
import { valueText } from "../resolve/values.js";

type Lookup = (qualifiedName: string) => { readonly kind: string } | undefined;

export function compareProjections(base: readonly ProjectionModel[], lookup: Lookup, out: Diagnostic[]): void {
  for (const b of base) {
    const p = lookup(b.qualifiedName);
    if (p?.kind !== "projection") continue;
    const reasons = projectionChanges(b, p as ProjectionModel);
    if (reasons.length === 0) continue;
    out.push(
      diagnostic("EDA7201", (p as ProjectionModel).nameSpan, `Projection \`${b.name}\` must be rebuilt: ${reasons.join("; ")}.`, {
        labels: [{ span: b.nameSpan, message: "as it was in the baseline" }],
        hint: "Its stored rows follow the old definition: rebuild it when you deploy (`eda projections rebuild <Context.Name>` replays the log beside the live rows and swaps them in).",
      }),
    );
  }
}

function fieldText(f: FieldModel): string {
  return `${f.name}${f.optional ? "?" : ""}: ${typeText(f.type)}${f.defaultValue ? ` = ${valueText(f.defaultValue)}` : ""}`;
}

function projectionChanges(b: ProjectionModel, p: ProjectionModel): string[] {
  const reasons: string[] = [];
  const keyText = (m: ProjectionModel): string => (m.key ? fieldText(m.key) : "none");
  if (keyText(b) !== keyText(p)) reasons.push(`its key changed from \`${keyText(b)}\` to \`${keyText(p)}\``);
  const listed = (what: string, names: readonly string[]): void => {
    if (names.length > 0) reasons.push(`${what} ${names.map((n) => `\`${n}\``).join(", ")}`);
  };
  const before = new Map(b.fields.map((f) => [f.name, fieldText(f)]));
  const after = new Map(p.fields.map((f) => [f.name, fieldText(f)]));
  listed("fields added:", [...after.keys()].filter((n) => !before.has(n)));
  listed("fields removed:", [...before.keys()].filter((n) => !after.has(n)));
  listed("fields changed:", [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)));
  const sourcesBefore = new Set(b.from.map((s) => s.event.qualifiedName));
  const sourcesAfter = new Set(p.from.map((s) => s.event.qualifiedName));
  listed("now also from", [...sourcesAfter].filter((n) => !sourcesBefore.has(n)));
  listed("no longer from", [...sourcesBefore].filter((n) => !sourcesAfter.has(n)));
  return reasons;
}

export function compareWorkflows(base: readonly WorkflowModel[], lookup: Lookup, out: Diagnostic[]): void {
  for (const b of base) {
    const w = lookup(b.qualifiedName) as WorkflowModel | undefined;
    if (w?.kind !== "workflow" || b.mode !== "orchestrated" || w.mode !== "orchestrated") continue;
    const reasons = stepChanges(b, w);
    if (reasons.length === 0) continue;
    out.push(
      diagnostic("EDA7301", w.nameSpan, `The steps of workflow \`${b.name}\` changed (${reasons.join("; ")}); instances already running were started on the old steps.`, {
        labels: [{ span: b.nameSpan, message: "as it was in the baseline" }],
        hint: "Running instances keep the name of their step and resume on the new definition: let them finish before you deploy, or keep the old steps until they have.",
      }),
    );
  }
}

function sendText(s: SendModel | undefined): string {
  if (!s) return "";
  const fields = s.fields.map((f) => `${f.field}=${f.source.kind === "literal" ? valueText(f.source.value) : f.source.kind === "event" ? `${f.source.event.qualifiedName}.${f.source.field}` : f.source.kind === "trigger" ? f.source.field : f.source.kind}`);
  return `${s.command.qualifiedName}{${fields.join(",")}}`;
}

function stepText(s: StepModel): string {
  const retry = s.retry ? `${s.retry.count}x${s.retry.everyMs}` : "";
  return [sendText(s.send), s.await?.qualifiedName ?? "", s.failOn?.qualifiedName ?? "", sendText(s.compensate), retry].join("|");
}

function stepChanges(b: WorkflowModel, w: WorkflowModel): string[] {
  const reasons: string[] = [];
  const before = new Map(b.steps.map((s) => [s.name, stepText(s)]));
  const after = new Map(w.steps.map((s) => [s.name, stepText(s)]));
  const names = (list: readonly string[]): string => list.map((n) => `\`${n}\``).join(", ");
  const added = [...after.keys()].filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !after.has(n));
  const changed = [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n));
  if (added.length > 0) reasons.push(`added ${names(added)}`);
  if (removed.length > 0) reasons.push(`removed ${names(removed)}`);
  if (changed.length > 0) reasons.push(`changed ${names(changed)}`);
  const kept = (list: readonly string[], other: ReadonlyMap<string, string>): string => list.filter((n) => other.has(n)).join(",");
  if (kept([...before.keys()], after) !== kept([...after.keys()], before)) reasons.push("reordered");
  return reasons;
}
