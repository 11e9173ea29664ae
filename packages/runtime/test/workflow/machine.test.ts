/** The saga state machine on its own: pure transitions, no store. */
import { describe, expect, it } from "vitest";
import type { CommandOutcome } from "../../src/pipeline/command-types.js";
import type { OrchestratedWorkflow } from "../../src/workflow/definition.js";
import type { WorkflowInstance } from "../../src/workflow/instance.js";
import {
  contextOf,
  onDeadline,
  onEvent,
  onOutcome,
  startInstance,
  WorkflowDefinitionError,
  type Transition,
} from "../../src/workflow/machine.js";
import { InvalidWorkflowError, validateOrchestrated } from "../../src/workflow/validate.js";
import type { M } from "./support/messages.js";

type E = M<"Started", { id: string }> | M<"ADone", { id: string }> | M<"AFailed", { id: string }> | M<"BDone", { id: string; n: number }>;
type C = M<"DoA", { id: string }> | M<"UndoA", { id: string }> | M<"DoB", { id: string }> | M<"Finish", { n: number }> | M<"GiveUp", { why: string }>;

const saga: OrchestratedWorkflow<E, C, "Started", "a" | "b"> = {
  name: "Saga",
  start: "Started",
  correlate: (d) => d.id,
  timeoutMs: 60_000,
  steps: [
    { name: "a", send: (x) => ({ type: "DoA", data: { id: x.correlation } }), awaits: "ADone", failOn: "AFailed", compensate: (x) => ({ type: "UndoA", data: { id: x.correlation } }) },
    { name: "b", send: (x) => ({ type: "DoB", data: { id: x.correlation } }), awaits: "BDone", retry: { count: 1, everyMs: 1_000 } },
  ],
  onComplete: (x) => ({ type: "Finish", data: { n: x.awaited("BDone").n } }),
  onFail: (x) => ({ type: "GiveUp", data: { why: x.failure?.reason ?? "?" } }),
};

const T0 = new Date("2030-01-01T00:00:00Z");
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const event = (type: string, messageId: string, data: unknown = { id: "x" }) => ({ type, messageId, correlationId: "conv", data });
const accepted: CommandOutcome = { status: "accepted", commandId: "", stream: "s", events: [], lastPosition: null, lastGlobalPosition: null, duplicate: false };
const rejected: CommandOutcome = { status: "rejected", commandId: "", stream: "s", reason: "no", duplicate: false };

function moved(result: ReturnType<typeof onEvent>): Transition {
  if (result.kind !== "transition") throw new Error(`expected a transition, got a stray (${result.reason})`);
  return result.transition;
}

/** An instance waiting for step b (attempt 1), started at T0, step a done at T0 + 10 ms. */
function atStepB(): WorkflowInstance {
  const started = startInstance(saga, event("Started", "s1"), "x", T0).instance;
  return moved(onEvent(saga, started, event("ADone", "a1"), at(10))).instance;
}

describe("the saga state machine", () => {
  it("a start queues the first step's command, caused by the start event, and sets the deadlines", () => {
    const t = startInstance(saga, event("Started", "s1"), "x", T0);
    expect(t.instance.state).toEqual({ kind: "awaiting", step: "a" });
    expect(t.commands).toEqual([{ commandId: "Saga/x/a/send/1", command: { type: "DoA", data: { id: "x" } }, causationId: "s1" }]);
    expect(t.instance).toMatchObject({ correlationId: "conv", attempt: 1, retryAt: null, timeoutAt: at(60_000).toISOString() });
  });

  it("a workflow without steps completes at once", () => {
    const t = startInstance({ ...saga, steps: [], onComplete: () => ({ type: "Finish", data: { n: 0 } }) }, event("Started", "s1"), "x", T0);
    expect(t.instance.state).toEqual({ kind: "completed" });
    expect(t.commands.map((c) => c.commandId)).toEqual(["Saga/x/complete"]);
  });

  it("the awaited event moves to the next step, which sets its retry deadline", () => {
    const b = atStepB();
    expect(b.state).toEqual({ kind: "awaiting", step: "b" });
    expect(b).toMatchObject({ completedSteps: ["a"], retryAt: at(1_010).toISOString(), lastEventId: "a1", awaitingOutcome: "Saga/x/b/send/1" });
  });

  it("the last step's event completes the run; onComplete reads the awaited events", () => {
    const done = moved(onEvent(saga, atStepB(), event("BDone", "b1", { id: "x", n: 7 }), at(20)));
    expect(done.instance).toMatchObject({ state: { kind: "completed" }, retryAt: null, timeoutAt: null, awaitingOutcome: null });
    expect(done.commands).toEqual([{ commandId: "Saga/x/complete", command: { type: "Finish", data: { n: 7 } }, causationId: "b1" }]);
  });

  it("an event the state does not wait for is a stray; a completed step's awaited event again may be a second effect", () => {
    expect(onEvent(saga, atStepB(), event("AFailed", "a2"), at(20))).toEqual({ kind: "stray", reason: "unexpected-event" });
    expect(onEvent(saga, atStepB(), event("ADone", "a2"), at(20))).toEqual({
      kind: "stray",
      reason: "step-succeeded-again",
      detail: "step a was completed already; this ADone may be a second effect of it (its compensation is not sent for it)",
    });
    const done = moved(onEvent(saga, atStepB(), event("BDone", "b1", { id: "x", n: 7 }), at(20))).instance;
    expect(onEvent(saga, done, event("BDone", "b2"), at(30))).toMatchObject({ kind: "stray", reason: "step-succeeded-again", detail: expect.stringContaining("(it has no compensation)") });
    expect(onEvent(saga, done, event("AFailed", "a3"), at(30))).toEqual({ kind: "stray", reason: "finished-instance" });
  });

  it("a deadline: nothing before it; a re-send (caused by the last event) at it; the step fails once retries are spent", () => {
    const b = atStepB();
    expect(onDeadline(saga, b, at(1_009))).toBeNull();
    const retried = onDeadline(saga, b, at(1_010));
    expect(retried?.commands).toEqual([{ commandId: "Saga/x/b/send/2", command: { type: "DoB", data: { id: "x" } }, causationId: "a1" }]);
    expect(retried?.instance.retryAt).toBe(at(2_010).toISOString());
    const spent = onDeadline(saga, retried?.instance ?? b, at(2_010));
    expect(spent?.instance.failure).toMatchObject({ reason: "retries-spent", step: "b", causationId: "a1" });
    expect(spent?.cancel).toEqual(["Saga/x/b/send/1", "Saga/x/b/send/2"]);
    expect(spent?.commands.map((c) => [c.commandId, c.causationId])).toEqual([["Saga/x/a/compensate", "a1"]]);
  });

  it("a retry due while the current attempt is undelivered is put off a period; the timeout is not", () => {
    const b = atStepB();
    const put = onDeadline(saga, b, at(1_010), true);
    expect(put?.commands).toEqual([]);
    expect(put?.instance).toMatchObject({ state: { kind: "awaiting", step: "b" }, attempt: 1, retryAt: at(2_010).toISOString() });
    const spent = onDeadline(saga, { ...b, attempt: 2 }, at(1_010), true);
    expect(spent?.instance).toMatchObject({ state: { kind: "awaiting", step: "b" }, failure: null, retryAt: at(2_010).toISOString() });
    expect(onDeadline(saga, b, at(60_000), true)?.instance.failure?.reason).toBe("timeout");
  });

  it("the timeout wins over a retry due at the same time", () => {
    const b = atStepB();
    const t = onDeadline(saga, { ...b, retryAt: at(60_000).toISOString() }, at(60_000));
    expect(t?.instance.failure?.reason).toBe("timeout");
    expect(t?.instance.state).toEqual({ kind: "compensating", step: "a" });
  });

  it("the outcome of an older attempt is recorded but moves nothing", () => {
    const b = atStepB();
    const second = onDeadline(saga, b, at(1_010))?.instance ?? b;
    const t = onOutcome(saga, second, { commandId: "Saga/x/b/send/1", type: "DoB" }, rejected, at(1_020));
    expect(t?.instance.state).toEqual({ kind: "awaiting", step: "b" });
    expect(t?.instance.rejections.map((r) => r.commandId)).toEqual(["Saga/x/b/send/1"]);
    expect(onOutcome(saga, second, { commandId: "Saga/x/b/send/2", type: "DoB" }, accepted, at(1_020))).toBeNull();
  });

  it("a compensation's outcome — accepted or rejected — moves to the next compensation, then onFail", () => {
    const failing = onDeadline(saga, atStepB(), at(60_000))?.instance;
    if (failing === undefined) throw new Error("no transition");
    const done = onOutcome(saga, failing, { commandId: "Saga/x/a/compensate", type: "UndoA" }, rejected, at(60_001));
    expect(done?.instance.state).toEqual({ kind: "failed" });
    expect(done?.commands.map((c) => [c.commandId, c.command, c.causationId])).toEqual([["Saga/x/fail", { type: "GiveUp", data: { why: "timeout" } }, "a1"]]);
  });

  it("the failed step's event arriving late queues its compensation once; other late events are strays", () => {
    const started = startInstance(saga, event("Started", "s1"), "x", T0).instance;
    const failed = onDeadline(saga, started, at(60_000))?.instance;
    if (failed === undefined) throw new Error("no transition");
    expect(failed.state).toEqual({ kind: "failed" });
    const late = moved(onEvent(saga, failed, event("ADone", "late"), at(60_001)));
    expect(late.commands.map((c) => [c.commandId, c.causationId])).toEqual([["Saga/x/a/compensate", "late"]]);
    expect(onEvent(saga, late.instance, event("BDone", "b"), at(60_002))).toEqual({ kind: "stray", reason: "finished-instance" });
  });

  it("the failed step's event late a second time (two attempts that both succeeded) is step-succeeded-again: one compensation was sent", () => {
    const started = startInstance(saga, event("Started", "s1"), "x", T0).instance;
    const failed = onDeadline(saga, started, at(60_000))?.instance;
    if (failed === undefined) throw new Error("no transition");
    const late = moved(onEvent(saga, failed, event("ADone", "late"), at(60_001)));
    expect(onEvent(saga, late.instance, event("ADone", "later"), at(60_002))).toEqual({
      kind: "stray",
      reason: "step-succeeded-again",
      detail: "step a failed, then succeeded late and was compensated once; this ADone may be a second effect of it (its compensation is not sent again)",
    });
    // `compensate always`: the compensation went with the failure, and the first late success is the one it undoes.
    const always = { ...saga, steps: [{ ...saga.steps[0], compensateOnFailure: true }, saga.steps[1]] } as typeof saga;
    const failedAlways = onDeadline(always, startInstance(always, event("Started", "s1"), "x", T0).instance, at(60_000))?.instance;
    if (failedAlways === undefined) throw new Error("no transition");
    const first = moved(onEvent(always, failedAlways, event("ADone", "late"), at(60_001)));
    expect(first.commands).toEqual([]);
    expect(onEvent(always, first.instance, event("ADone", "later"), at(60_002))).toMatchObject({ kind: "stray", reason: "step-succeeded-again" });
  });

  it("a builder that throws is a WorkflowDefinitionError naming the step", () => {
    const broken = { ...saga, steps: [{ ...saga.steps[0], send: () => { throw new Error("no mapping"); } }] } as typeof saga;
    expect(() => startInstance(broken, event("Started", "s1"), "x", T0)).toThrow(WorkflowDefinitionError);
    expect(() => startInstance(broken, event("Started", "s1"), "x", T0)).toThrow("workflow Saga: step a: send threw: no mapping");
  });

  it("the context gives the start, the events received, and fails loudly for one not yet received", () => {
    const context = contextOf(atStepB());
    expect(context.start).toEqual({ id: "x" });
    expect(context.awaited("ADone")).toEqual({ id: "x" });
    expect(() => context.awaited("BDone")).toThrow("the run has not received a BDone event yet");
  });
});

describe("workflow validation", () => {
  const step = saga.steps[0];
  it.each([
    ["two steps with one name", { ...saga, steps: [step, step] }, /two steps are named "a"/],
    ["a step awaiting the start event", { ...saga, steps: [{ ...step, awaits: "Started" }] }, /waits for the start event/],
    ["a negative retry count", { ...saga, steps: [{ ...step, retry: { count: -1, everyMs: 5 } }] }, /retry needs/],
    ["a zero timeout", { ...saga, timeoutMs: 0 }, /timeoutMs must be positive/],
    ["a name with a slash", { ...saga, name: "a/b" }, /must be an identifier/],
  ])("refuses %s", (_what, def, message) => {
    expect(() => validateOrchestrated(def as typeof saga)).toThrow(InvalidWorkflowError);
    expect(() => validateOrchestrated(def as typeof saga)).toThrow(message);
  });
});
