/** The names the runtime labels its metrics with, for the alert rules and the dashboard. */
import type { Model } from "@eda/language";
import type { OperationsNames } from "./gen-model.js";
import { ruleNames } from "./names.js";

/**
 * The names of the model's projections, choreography consumers (`<workflow>.<rule>`), orchestrated
 * workflows and those of them with a step that compensates, each sorted.
 */
export function operationsNames(model: Model): OperationsNames {
  const workflows = model.contexts.flatMap((c) => c.workflows);
  return {
    projections: model.contexts.flatMap((c) => c.projections.map((p) => p.qualifiedName)).sort(),
    consumers: workflows.filter((w) => w.mode === "choreographed").flatMap((w) => ruleNames(w).map((rule) => `${w.name}.${rule}`)).sort(),
    workflows: workflows.filter((w) => w.mode === "orchestrated").map((w) => w.name).sort(),
    compensating: workflows.filter((w) => w.mode === "orchestrated" && w.steps.some((s) => s.compensate !== undefined)).map((w) => w.name).sort(),
  };
}
