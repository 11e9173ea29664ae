/** Workflow rules that need the whole model: reachability, compensation, failure, cycles. */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { EventModel, Model, ReactionModel, StepModel, WorkflowModel } from "../resolve/model.js";
import { cyclicComponents, shortestCycle } from "./walk.js";

export function checkWorkflows(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const wf of c.workflows) if (wf.mode === "orchestrated") checkSteps(wf, out);
  }
  checkCycles(model, out);
}

function checkSteps(wf: WorkflowModel, out: Diagnostic[]): void {
  let blocker: StepModel | undefined;
  wf.steps.forEach((step, i) => {
    if (blocker) {
      out.push(report("EDA5006", step.nameSpan, { step: step.name, blocker: blocker.name }, { labels: [label(blocker.nameSpan, "stepNeverCompletes")] }));
      return;
    }
    if (!canComplete(step, out)) blocker = step;
    const later = wf.steps.slice(i + 1);
    const canFailLater = later.some((s) => s.failOn || s.retry) || (wf.timeoutMs !== undefined && later.length > 0);
    if (!step.compensate && canFailLater) {
      out.push(report("EDA5013", step.nameSpan, { step: step.name }));
    }
    if (!step.failOn && !step.retry && wf.timeoutMs === undefined) {
      out.push(report("EDA5015", step.nameSpan, { step: step.name }));
    }
  });
}

/** A step completes only if the handler of its command can emit the event it awaits. */
function canComplete(step: StepModel, out: Diagnostic[]): boolean {
  // A missing or unknown command or event is reported where it is written; do not cascade.
  if (!step.send || !step.await) return true;
  const handler = step.send.command.handler;
  if (!handler || handler.emits.includes(step.await)) return true;
  out.push(
    report("EDA5007", step.awaitSpan ?? step.nameSpan, { step: step.name, event: step.await.name, command: step.send.command.name, owner: handler.owner.name }, {
      labels: [label(handler.span, "emitsOnly", { owner: handler.owner.name, events: handler.emits.map((e) => `\`${e.name}\``).join(" | ") })],
    }),
  );
  return false;
}

/** Choreography rules that trigger themselves again: E → command → E' → … → E. */
function checkCycles(model: Model, out: Diagnostic[]): void {
  const rules = model.contexts.flatMap((c) => c.workflows.filter((w) => w.mode === "choreographed").flatMap((w) => w.reactions));
  const byEvent = new Map<EventModel, ReactionModel[]>();
  for (const r of rules) {
    const same = byEvent.get(r.event);
    if (same) same.push(r);
    else byEvent.set(r.event, [r]);
  }
  const triggers = (r: ReactionModel): ReactionModel[] => (r.send?.command.handler?.emits ?? []).flatMap((e) => byEvent.get(e) ?? []);
  for (const component of cyclicComponents(rules, triggers)) {
    const start = component[0] as ReactionModel;
    const path = shortestCycle(start, new Set(component), triggers) as ReactionModel[];
    const text = path.map((r) => `\`${r.event.name}\` → \`${r.send?.command.name}\``).join(" → ");
    out.push(
      report("EDA5014", start.span, { cycle: text, event: start.event.name }, { labels: path.slice(1).map((r) => (label(r.span, "cycle"))) }),
    );
  }
}
