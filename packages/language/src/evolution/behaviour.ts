/**
 * What changed in the readers of the log: a projection whose rows no longer match its definition
 * (a notice: rebuild it), an orchestrated workflow whose steps changed under running instances
 * (a warning: they were started on the old steps).
 */
import { PROJECTION_CHANGE, STEP_CHANGE } from "../diagnostics/codes/evolution.js";
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
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
    out.push(report("EDA7201", (p as ProjectionModel).nameSpan, { projection: b.name, changes: reasons.join("; ") }, { labels: [label(b.nameSpan, "asInBaseline")] }));
  }
}

function fieldText(f: FieldModel): string {
  return `${f.name}${f.optional ? "?" : ""}: ${typeText(f.type)}${f.defaultValue ? ` = ${valueText(f.defaultValue)}` : ""}`;
}

function projectionChanges(b: ProjectionModel, p: ProjectionModel): string[] {
  const reasons: string[] = [];
  const keyText = (m: ProjectionModel): string => (m.key ? fieldText(m.key) : "none");
  if (keyText(b) !== keyText(p)) reasons.push(PROJECTION_CHANGE.key.format({ from: keyText(b), to: keyText(p) }));
  const listed = (what: keyof typeof PROJECTION_CHANGE, names: readonly string[]): void => {
    if (names.length > 0) reasons.push(PROJECTION_CHANGE[what].format({ names: names.map((n) => `\`${n}\``).join(", "), from: "", to: "" }));
  };
  const before = new Map(b.fields.map((f) => [f.name, fieldText(f)]));
  const after = new Map(p.fields.map((f) => [f.name, fieldText(f)]));
  listed("fieldsAdded", [...after.keys()].filter((n) => !before.has(n)));
  listed("fieldsRemoved", [...before.keys()].filter((n) => !after.has(n)));
  listed("fieldsChanged", [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)));
  const sourcesBefore = new Set(b.from.map((s) => s.event.qualifiedName));
  const sourcesAfter = new Set(p.from.map((s) => s.event.qualifiedName));
  listed("sourcesAdded", [...sourcesAfter].filter((n) => !sourcesBefore.has(n)));
  listed("sourcesRemoved", [...sourcesBefore].filter((n) => !sourcesAfter.has(n)));
  return reasons;
}

export function compareWorkflows(base: readonly WorkflowModel[], lookup: Lookup, out: Diagnostic[]): void {
  for (const b of base) {
    const w = lookup(b.qualifiedName) as WorkflowModel | undefined;
    if (w?.kind !== "workflow" || b.mode !== "orchestrated" || w.mode !== "orchestrated") continue;
    const reasons = stepChanges(b, w);
    if (reasons.length === 0) continue;
    out.push(report("EDA7301", w.nameSpan, { workflow: b.name, changes: reasons.join("; ") }, { labels: [label(b.nameSpan, "asInBaseline")] }));
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
  if (added.length > 0) reasons.push(STEP_CHANGE.added.format({ names: names(added) }));
  if (removed.length > 0) reasons.push(STEP_CHANGE.removed.format({ names: names(removed) }));
  if (changed.length > 0) reasons.push(STEP_CHANGE.changed.format({ names: names(changed) }));
  const kept = (list: readonly string[], other: ReadonlyMap<string, string>): string => list.filter((n) => other.has(n)).join(",");
  if (kept([...before.keys()], after) !== kept([...after.keys()], before)) reasons.push(STEP_CHANGE.reordered.format({}));
  return reasons;
}
