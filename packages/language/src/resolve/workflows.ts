/** Workflows: steps and reactions resolved, and every command's fields mapped to a source. */
import * as A from "../ast/nodes.js";
import { label, report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import type { EventModel, StepModel, WorkflowModel } from "./model.js";
import { closest } from "./suggest.js";
import type { Scope, SymbolTable } from "./symbols.js";
import { resolveSend } from "./mappings.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Ctx {
  readonly table: SymbolTable;
  readonly scope: Scope;
  readonly out: Diagnostic[];
}

/** Fills a workflow's model from its declaration. */
export function resolveWorkflow(m: Mutable<WorkflowModel>, d: A.WorkflowDecl, table: SymbolTable, scope: Scope, out: Diagnostic[]): void {
  const c: Ctx = { table, scope, out };
  reportMisplacedClauses(d, out);
  if (d.mode === "choreographed") {
    m.reactions = d.reactions.flatMap((r) => {
      const event = lookupEvent(c, r.event, "after `on`");
      if (!event) return [];
      const send = resolveSend(r.send, { trigger: event, available: new Map([[event.name, event]]), role: `the rule on \`${event.name}\`` }, table, scope, out);
      return [{ event, ...(send ? { send } : {}), ...(r.doc ? { doc: r.doc.text } : {}), span: r.span }];
    });
    if (d.reactions.length === 0) out.push(report("EDA5017", d.name.span, { workflow: d.name.name }, { variant: "rules" }));
    return;
  }
  const start = d.start ? lookupEvent(c, d.start, "after `start on`") : undefined;
  if (start && d.start) {
    m.start = start;
    m.startSpan = d.start.span;
  }
  if (!d.start) out.push(report("EDA5008", d.name.span, { workflow: d.name.name }));
  if (d.correlate) m.correlate = { field: d.correlate.name, span: d.correlate.span };
  else out.push(report("EDA5009", d.name.span, { workflow: d.name.name }));
  if (d.timeout && d.timeout.ms <= 0) {
    out.push(report("EDA5018", d.timeout.span, { timeout: d.timeout.text }));
  } else if (d.timeout) m.timeoutMs = d.timeout.ms;
  if (start && d.correlate) checkCorrelation(start, d.correlate, d.start?.span ?? d.name.span, out);
  m.steps = resolveSteps(c, d, start, m);
  const awaited = availableAfter(start, m.steps, m.steps.length);
  if (d.onComplete) {
    const send = resolveSend(d.onComplete, { trigger: start, available: awaited, role: "on complete" }, table, scope, out);
    if (send) m.onComplete = send;
  }
  if (d.onFail) {
    const send = resolveSend(d.onFail, { trigger: start, available: availableAfter(start, [], 0), role: "on fail", unavailable: "onFail" }, table, scope, out);
    if (send) m.onFail = send;
  }
  if (d.steps.length === 0) out.push(report("EDA5017", d.name.span, { workflow: d.name.name }));
}

function lookupEvent(c: Ctx, p: A.Path, role: string): EventModel | undefined {
  const m = c.table.lookup(c.scope, p, { expected: ["event"], wrongKindCode: "EDA5001", role }, c.out)?.model;
  return m?.kind === "event" ? m : undefined;
}

function checkCorrelation(event: EventModel, field: A.Ident, span: Span, out: Diagnostic[]): void {
  if (event.current.fields.some((f) => f.name === field.name)) return;
  const guess = closest(field.name, event.current.fields.map((f) => f.name));
  const labels = [label(field.span, "correlation")];
  out.push(report("EDA5010", span, { event: event.name, field: field.name, guess: guess ?? "" }, { labels, hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: field.span, replacement: guess } }));
}

function availableAfter(start: EventModel | undefined, steps: readonly StepModel[], count: number): Map<string, EventModel> {
  const m = new Map<string, EventModel>();
  if (start) m.set(start.name, start);
  for (const s of steps.slice(0, count)) if (s.await) m.set(s.await.name, s.await);
  return m;
}

function resolveSteps(c: Ctx, d: A.WorkflowDecl, start: EventModel | undefined, wf: WorkflowModel): StepModel[] {
  const seen = new Map<string, A.Step>();
  const steps: StepModel[] = [];
  for (const s of d.steps) {
    const first = seen.get(s.name.name);
    if (first) {
      c.out.push(report("EDA5011", s.name.span, { step: s.name.name }, { labels: [label(first.name.span, "firstDeclared")] }));
      continue;
    }
    seen.set(s.name.name, s);
    steps.push(resolveStep(c, s, start, steps, wf));
  }
  return steps;
}

function resolveStep(c: Ctx, s: A.Step, start: EventModel | undefined, before: readonly StepModel[], wf: WorkflowModel): StepModel {
  const step: Mutable<StepModel> = { name: s.name.name, span: s.span, nameSpan: s.name.span, ...(s.doc ? { doc: s.doc.text } : {}) };
  const missing = !s.send && !s.await ? "default" : !s.send ? "noSend" : !s.await ? "noAwait" : undefined;
  if (missing) c.out.push(report("EDA5012", s.name.span, { step: s.name.name }, { variant: missing }));
  const available = availableAfter(start, before, before.length);
  if (s.send) {
    const send = resolveSend(s.send, { trigger: start, available, role: `step \`${s.name.name}\`` }, c.table, c.scope, c.out);
    if (send) step.send = send;
  }
  if (s.await) {
    const ev = lookupEvent(c, s.await, "after `await`");
    if (ev) {
      step.await = ev;
      step.awaitSpan = s.await.span;
      if (wf.correlate) checkCorrelation(ev, { kind: "Ident", name: wf.correlate.field, span: wf.correlate.span }, s.await.span, c.out);
    }
  }
  if (s.failOn) {
    const ev = lookupEvent(c, s.failOn, "after `fail on`");
    if (ev) {
      step.failOn = ev;
      step.failOnSpan = s.failOn.span;
      if (wf.correlate) checkCorrelation(ev, { kind: "Ident", name: wf.correlate.field, span: wf.correlate.span }, s.failOn.span, c.out);
    }
  }
  if (s.compensate) {
    // A compensation that may run when the step failed cannot read the step's own event.
    const own = s.compensateAlways ? available : availableAfter(start, [...before, step], before.length + 1);
    const role = `the compensation of \`${s.name.name}\``;
    const early = s.compensateAlways ? { unavailable: "compensateAlways" as const } : {};
    const send = resolveSend(s.compensate, { trigger: start, available: own, role, ...early }, c.table, c.scope, c.out);
    if (send) step.compensate = send;
    if (send && s.compensateAlways) step.compensateAlways = true;
  }
  if (s.retry) {
    if (!Number.isInteger(s.retry.count) || s.retry.count < 1 || s.retry.everyMs <= 0) {
      c.out.push(report("EDA5016", s.retry.span, { count: s.retry.count, every: s.retry.everyText }));
    } else step.retry = { count: s.retry.count, everyMs: s.retry.everyMs, span: s.retry.span };
  }
  return step;
}

function reportMisplacedClauses(d: A.WorkflowDecl, out: Diagnostic[]): void {
  const misplaced: [Span, string][] = [];
  if (d.mode === "choreographed") {
    if (d.start) misplaced.push([d.start.span, "start on"]);
    if (d.correlate) misplaced.push([d.correlate.span, "correlate"]);
    if (d.timeout) misplaced.push([d.timeout.span, "timeout"]);
    for (const s of d.steps) misplaced.push([s.name.span, "step"]);
    if (d.onComplete) misplaced.push([d.onComplete.span, "on complete"]);
    if (d.onFail) misplaced.push([d.onFail.span, "on fail"]);
  } else {
    for (const r of d.reactions) misplaced.push([r.span, `on ${A.pathText(r.event)} send`]);
  }
  for (const [span, clause] of misplaced) {
    out.push(report("EDA1011", span, { clause, workflow: d.name.name }, d.mode === "choreographed" ? {} : { variant: "choreographed" }));
  }
}

