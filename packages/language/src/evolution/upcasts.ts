/**
 * The upcasts of stored versions compared across two models: an upcast decides what a stored old
 * event reads as, so a changed rule (`size = Medium` → `size = Large`, `from phone` → `compute`, a
 * rule dropped so a default fills the field) or a changed target makes every event already stored
 * read differently, with nothing in the store to tell. Upcasts from versions the current model
 * no longer declares are EDA7008's; missing paths are EDA3002's.
 */
import { UPCAST_CHANGE } from "../diagnostics/codes/evolution.js";
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { EventModel, UpcastFieldPlan, UpcastModel } from "../resolve/model.js";
import { compareFields } from "./fields.js";
import { valueText } from "../resolve/values.js";

/** The changed upcasts of `event` from the versions the baseline `base` upcast. */
export function compareUpcasts(base: EventModel, event: EventModel, out: Diagnostic[]): void {
  const declared = new Set(event.versions.map((v) => v.version));
  for (const b of base.upcasts) {
    if (!declared.has(b.from)) continue;
    const u = event.upcasts.find((x) => x.from === b.from);
    if (!u) continue;
    const changes = upcastChanges(base, event, b, u);
    if (changes.length === 0) continue;
    const data = { event: event.name, version: b.from, changes: changes.join("; ") };
    out.push(report("EDA7011", u.headerSpan, data, { labels: [label(b.headerSpan, "asInBaselineUpcast", { event: event.name, version: b.from })] }));
  }
}

function upcastChanges(base: EventModel, event: EventModel, b: UpcastModel, u: UpcastModel): string[] {
  const out: string[] = [];
  // Into another version, the rules fill another shape and are not compared one by one.
  if (b.to !== u.to) return [UPCAST_CHANGE.target.format({ from: b.to, to: u.to })];
  const before = new Map(b.plan.map((p) => [p.field, p]));
  const reported = changedFields(base, event, b.to);
  for (const p of u.plan) {
    const q = before.get(p.field);
    // A field added to the target or removed from it is the version's own change (safe, or
    // EDA7001/EDA7004), and so is one EDA7001–EDA7007 reports: a rule that follows it is not
    // reported again. A change they let pass (a default dropped as the field became optional)
    // still shows here, when old events read otherwise through the upcast.
    if (q === undefined || reported.has(p.field)) continue;
    if (ruleKey(q) !== ruleKey(p)) out.push(UPCAST_CHANGE.rule.format({ field: p.field, from: ruleText(q), to: ruleText(p) }));
  }
  return out;
}

/** The top-level fields of `version` that the stored-version comparison reports. */
function changedFields(base: EventModel, event: EventModel, version: number): Set<string> {
  const b = base.versions.find((v) => v.version === version);
  const v = event.versions.find((x) => x.version === version);
  if (!b || !v) return new Set();
  return new Set(compareFields(b.fields, v.fields, { span: v.headerSpan, baseSpan: b.headerSpan }).map((c) => c.path.split(".")[0] ?? c.path));
}

/** What a rule fills the field with: a literal and a declared default of the same value are the same. */
function ruleKey(p: UpcastFieldPlan): string {
  return p.kind === "default" || p.kind === "fieldDefault" ? `= ${valueText(p.value)}` : ruleText(p);
}

/** How one field of the target is filled, as the message shows it. */
function ruleText(p: UpcastFieldPlan): string {
  switch (p.kind) {
    case "carry":
      return "carried over";
    case "default":
      return `\`= ${valueText(p.value)}\``;
    case "rename":
      return `\`= from ${p.from}\``;
    case "compute":
      // A rule deleted (or a default that does not fit) is explained by its own error (EDA3003, …).
      return p.invalid === true ? "without a valid rule" : "`= compute`";
    case "unset":
      return "left unset";
    case "fieldDefault":
      return `its default \`${valueText(p.value)}\``;
  }
}
