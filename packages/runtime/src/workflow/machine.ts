/**
 * The saga state machine, as pure functions: (definition, instance, input, now) → the next
 * instance and the commands to queue. No I/O — the orchestrator loads, calls, and commits the
 * result in one transaction. States: `awaiting <step>` (one per step), `compensating <step>`,
 * `completed`, `failed`. Inputs: the start event, an event, a deadline (retry or timeout), and
 * the outcome of a sent command.
 */
import { errorText } from "../codec/personal-values.js";
import type { CommandOutcome } from "../pipeline/command-types.js";
import type {
  CommandBuilder,
  WorkflowFailureReason,
  Message,
  OrchestratedStep,
  OrchestratedWorkflow,
  WorkflowContext,
  WorkflowFailure,
} from "./definition.js";
import { commandIds, type InstanceState, type WorkflowInstance } from "./instance.js";

/** Any orchestrated workflow, as the machine sees it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOrchestratedWorkflow = OrchestratedWorkflow<any, any, any, any>;

/** A command to queue in the instance's outbox. */
export interface PlannedCommand {
  readonly commandId: string;
  readonly command: Message;
  readonly causationId: string;
}

/** The result of a transition: the next instance, commands to queue, queued commands to drop. */
export interface Transition<N extends string = string> {
  readonly instance: WorkflowInstance<N>;
  readonly commands: readonly PlannedCommand[];
  /** Queued commands not to send any more (the attempts of a step that has failed). */
  readonly cancel: readonly string[];
}

/** Why an event did not move any instance. */
export type StrayReason =
  | "unknown-instance"
  | "finished-instance"
  | "unexpected-event"
  | "duplicate-start"
  | "duplicate-delivery"
  /**
   * The awaited event of a step the run has passed already, from another attempt (a retry whose
   * earlier attempt succeeded late, or a handler that answered twice) — or of the failed step
   * whose late success was compensated already: the step's effect may have happened twice (a
   * second capture), and nothing compensates it.
   */
  | "step-succeeded-again"
  /** A command builder of the definition threw for it. */
  | "definition-error";

/** What an event did: a transition, or nothing (a stray, with the reason). */
export type EventResult<N extends string = string> =
  | { readonly kind: "transition"; readonly transition: Transition<N> }
  | { readonly kind: "stray"; readonly reason: StrayReason; readonly detail?: string };

/** Thrown when a function of the definition throws (a command builder or `correlate`): a bug in it. */
export class WorkflowDefinitionError extends Error {
  override readonly name = "WorkflowDefinitionError";
  constructor(
    readonly workflow: string,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    const reason = errorText(options?.cause);
    super(`workflow ${workflow}: ${what} threw: ${reason}`, options);
  }
}

/** An incoming event, decoded. */
export interface IncomingEvent {
  readonly messageId: string;
  readonly correlationId: string;
  readonly type: string;
  readonly data: unknown;
  /** The principal behind the event (`originOf` its metadata), if it names one. */
  readonly onBehalfOf?: string | null;
}

/** Starts a run for a start event. */
export function startInstance(def: AnyOrchestratedWorkflow, event: IncomingEvent, correlation: string, now: Date): Transition {
  const time = now.toISOString();
  const timeoutAt = def.timeoutMs === undefined ? null : new Date(now.getTime() + def.timeoutMs).toISOString();
  const draft = new Draft(def, now, {
    workflow: def.name,
    correlation,
    correlationId: event.correlationId,
    state: { kind: "completed" },
    start: { type: event.type, messageId: event.messageId, data: event.data },
    events: {},
    lastEventId: event.messageId,
    attempt: 0,
    awaitingOutcome: null,
    completedSteps: [],
    pendingCompensations: [],
    lateCompensations: [],
    failure: null,
    rejections: [],
    sent: [],
    retryAt: null,
    timeoutAt,
    startedAt: time,
    updatedAt: time,
    onBehalfOf: event.onBehalfOf ?? null,
  });
  if (stepsOf(def).length === 0) draft.complete(event.messageId);
  else draft.enterStep(0, event.messageId);
  return draft.result();
}

/** An awaited, `fail on` or late event for an existing instance. */
export function onEvent(def: AnyOrchestratedWorkflow, instance: WorkflowInstance, event: IncomingEvent, now: Date): EventResult {
  const { state } = instance;
  if (state.kind === "awaiting") {
    const index = stepIndex(def, state.step);
    const step = stepsOf(def)[index] as OrchestratedStep<Message, Message>;
    const draft = new Draft(def, now, instance);
    if (event.type === step.awaits) {
      draft.receive(event);
      // A retry queued but not sent yet would do the step a second time (a second charge).
      draft.cancelAttempts(index);
      draft.set({ completedSteps: [...instance.completedSteps, step.name] });
      if (index + 1 < stepsOf(def).length) draft.enterStep(index + 1, event.messageId);
      else draft.complete(event.messageId);
      return { kind: "transition", transition: draft.result() };
    }
    if (event.type === step.failOn) {
      draft.receive(event);
      draft.fail(index, "fail-on", event.messageId);
      return { kind: "transition", transition: draft.result() };
    }
    return againOrStray(def, instance, event, "unexpected-event");
  }
  const late = lateCompensation(def, instance, event, now);
  if (late !== null) return { kind: "transition", transition: late };
  return againOrStray(def, instance, event, state.kind === "compensating" ? "unexpected-event" : "finished-instance");
}

/**
 * A stray: `step-succeeded-again` when the event is what a step awaited whose success the run has
 * taken already — a step it completed, or the failed step whose late success it compensated —
 * else `reason`.
 */
function againOrStray(def: AnyOrchestratedWorkflow, instance: WorkflowInstance, event: IncomingEvent, reason: StrayReason): EventResult {
  const awaiting = stepsOf(def).filter((s) => s.awaits === event.type);
  const completed = awaiting.find((s) => instance.completedSteps.includes(s.name));
  if (completed !== undefined) {
    const compensated = completed.compensate === undefined ? "it has no compensation" : "its compensation is not sent for it";
    return { kind: "stray", reason: "step-succeeded-again", detail: `step ${completed.name} was completed already; this ${event.type} may be a second effect of it (${compensated})` };
  }
  // Two attempts of the failed step that both succeeded late: the first was compensated, once.
  const late = awaiting.find((s) => instance.lateCompensations.includes(s.name));
  if (late === undefined) return { kind: "stray", reason };
  return { kind: "stray", reason: "step-succeeded-again", detail: `step ${late.name} failed, then succeeded late and was compensated once; this ${event.type} may be a second effect of it (its compensation is not sent again)` };
}

/**
 * The failed step's awaited event arriving after the failure (a timeout, spent retries, or a
 * late reply to an earlier attempt): the step did happen after all, so it is compensated too,
 * once — otherwise a payment captured after the timeout would never be refunded.
 */
function lateCompensation(def: AnyOrchestratedWorkflow, instance: WorkflowInstance, event: IncomingEvent, now: Date): Transition | null {
  const failure = instance.failure;
  if (failure === null || instance.lateCompensations.includes(failure.step)) return null;
  const index = stepIndex(def, failure.step);
  const step = stepsOf(def)[index] as OrchestratedStep<Message, Message>;
  if (event.type !== step.awaits || step.compensate === undefined) return null;
  const draft = new Draft(def, now, instance);
  draft.receive(event);
  draft.set({ lateCompensations: [...instance.lateCompensations, step.name] });
  draft.queue(commandIds.compensate(def.name, instance.correlation, step.name), step.compensate, event.messageId, "compensate");
  return draft.result();
}

/**
 * The instance's deadlines at `now`: the run's timeout, else a step's retry. Null when nothing is
 * due. `undelivered`: the current attempt has not reached its handler yet (still queued, or its
 * send threw or is in flight) — then the retry is put off by one period instead of queueing the
 * next attempt behind it, which would go out right after it once the handler is back (a second
 * charge for one payment); a handler that stays away is bounded by the run's timeout.
 */
export function onDeadline(def: AnyOrchestratedWorkflow, instance: WorkflowInstance, now: Date, undelivered = false): Transition | null {
  if (instance.state.kind !== "awaiting") return null;
  const index = stepIndex(def, instance.state.step);
  const draft = new Draft(def, now, instance);
  if (due(instance.timeoutAt, now)) {
    draft.fail(index, "timeout", instance.lastEventId);
    return draft.result();
  }
  if (!due(instance.retryAt, now)) return null;
  const step = stepsOf(def)[index] as OrchestratedStep<Message, Message>;
  if (step.retry !== undefined && undelivered) {
    draft.set({ retryAt: new Date(now.getTime() + step.retry.everyMs).toISOString() });
    return draft.result();
  }
  if (step.retry !== undefined && instance.attempt <= step.retry.count) draft.sendAttempt(index, instance.attempt + 1, instance.lastEventId);
  else draft.fail(index, "retries-spent", instance.lastEventId);
  return draft.result();
}

/**
 * The outcome of a sent command. A rejected (or invalid) step command fails the step unless
 * retries remain (the re-send then happens at the retry deadline). A compensation moves on to
 * the next one whether it was accepted or not; a rejection is recorded on the instance (an
 * invalid command as the reason `{ code: "invalid", issues }`, a version conflict as `{ code: "conflict", actualVersion }`).
 */
export function onOutcome(
  def: AnyOrchestratedWorkflow,
  instance: WorkflowInstance,
  sent: { readonly commandId: string; readonly type: string },
  outcome: CommandOutcome,
  now: Date,
): Transition | null {
  const draft = new Draft(def, now, instance);
  // A command its schema refuses (a mapping or hook that built bad data) fails like a rejection:
  // sending it again cannot help.
  const refused = outcome.status !== "accepted";
  if (refused) {
    const reason = outcome.status === "rejected" ? outcome.reason : outcome.status === "invalid" ? { code: "invalid", issues: outcome.issues } : { code: "conflict", actualVersion: outcome.actualVersion };
    draft.set({ rejections: [...instance.rejections, { commandId: sent.commandId, type: sent.type, reason, at: now.toISOString() }] });
  }
  const { state } = instance;
  if (sent.commandId !== instance.awaitingOutcome || state.kind === "completed" || state.kind === "failed") {
    return refused ? draft.result() : null;
  }
  draft.set({ awaitingOutcome: null });
  if (state.kind === "compensating") {
    draft.nextCompensation(instance.failure?.causationId ?? sent.commandId);
    return draft.result();
  }
  if (outcome.status === "accepted") return null;
  const index = stepIndex(def, state.step);
  const retry = (stepsOf(def)[index] as OrchestratedStep<Message, Message>).retry;
  if (retry === undefined || instance.attempt > retry.count) draft.fail(index, "rejected", sent.commandId);
  return draft.result();
}

function due(at: string | null, now: Date): boolean {
  return at !== null && Date.parse(at) <= now.getTime();
}

function stepsOf(def: AnyOrchestratedWorkflow): readonly OrchestratedStep<Message, Message>[] {
  return def.steps as readonly OrchestratedStep<Message, Message>[];
}

function stepIndex(def: AnyOrchestratedWorkflow, name: string): number {
  const index = stepsOf(def).findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`workflow ${def.name} has no step "${name}" (the definition changed under a running instance)`);
  return index;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A transition being built: a mutable copy of the instance and the commands queued so far. */
class Draft {
  private readonly next: Mutable<WorkflowInstance>;
  private readonly commands: PlannedCommand[] = [];
  private readonly cancel: string[] = [];

  constructor(
    private readonly def: AnyOrchestratedWorkflow,
    private readonly now: Date,
    instance: WorkflowInstance,
  ) {
    this.next = { ...instance, updatedAt: now.toISOString() };
  }

  set(changes: Partial<WorkflowInstance>): void {
    Object.assign(this.next, changes);
  }

  receive(event: IncomingEvent): void {
    this.set({ events: { ...this.next.events, [event.type]: event.data }, lastEventId: event.messageId });
  }

  enterStep(index: number, causationId: string): void {
    this.sendAttempt(index, 1, causationId);
  }

  sendAttempt(index: number, attempt: number, causationId: string): void {
    const step = stepsOf(this.def)[index] as OrchestratedStep<Message, Message>;
    const id = commandIds.send(this.def.name, this.next.correlation, step.name, attempt);
    const retryAt = step.retry === undefined ? null : new Date(this.now.getTime() + step.retry.everyMs).toISOString();
    this.set({ state: { kind: "awaiting", step: step.name }, attempt, awaitingOutcome: id, retryAt });
    this.queue(id, step.send, causationId, `step ${step.name}: send`);
  }

  complete(causationId: string): void {
    this.set({ state: { kind: "completed" }, attempt: 0, awaitingOutcome: null, retryAt: null, timeoutAt: null });
    if (this.def.onComplete !== undefined) {
      this.queue(commandIds.complete(this.def.name, this.next.correlation), this.def.onComplete, causationId, "onComplete");
    }
  }

  /** Cancels the step's attempts still pending (never sent); one being sent is seen through. */
  cancelAttempts(index: number): void {
    const step = stepsOf(this.def)[index] as OrchestratedStep<Message, Message>;
    for (let attempt = 1; attempt <= this.next.attempt; attempt++) {
      this.cancel.push(commandIds.send(this.def.name, this.next.correlation, step.name, attempt));
    }
  }

  fail(index: number, reason: WorkflowFailureReason, causationId: string): void {
    const step = stepsOf(this.def)[index] as OrchestratedStep<Message, Message>;
    this.cancelAttempts(index);
    const failure: WorkflowFailure = { reason, step: step.name, causationId, at: this.now.toISOString() };
    const compensable = new Set(stepsOf(this.def).filter((s) => s.compensate !== undefined).map((s) => s.name));
    const own = step.compensate !== undefined && step.compensateOnFailure === true ? [step.name] : [];
    const pending = [...own, ...[...this.next.completedSteps].reverse().filter((name) => compensable.has(name))];
    this.set({ failure, pendingCompensations: pending, attempt: 0, awaitingOutcome: null, retryAt: null, timeoutAt: null });
    this.nextCompensation(causationId);
  }

  nextCompensation(causationId: string): void {
    const [name, ...rest] = this.next.pendingCompensations;
    if (name === undefined) {
      this.set({ state: { kind: "failed" } });
      if (this.def.onFail !== undefined) this.queue(commandIds.fail(this.def.name, this.next.correlation), this.def.onFail, causationId, "onFail");
      return;
    }
    const step = stepsOf(this.def)[stepIndex(this.def, name)] as OrchestratedStep<Message, Message>;
    const id = commandIds.compensate(this.def.name, this.next.correlation, name);
    this.set({ state: { kind: "compensating", step: name } as InstanceState, pendingCompensations: rest, awaitingOutcome: id });
    this.queue(id, step.compensate as CommandBuilder<Message, Message>, causationId, `step ${name}: compensate`);
  }

  /** Queues a command unless the instance sent that id before (a compensation is sent once). */
  queue(commandId: string, build: CommandBuilder<Message, Message>, causationId: string, what: string): void {
    if (this.next.sent.includes(commandId)) return;
    let command: Message;
    try {
      command = build(contextOf(this.next));
    } catch (error) {
      throw new WorkflowDefinitionError(this.def.name, what, { cause: error });
    }
    this.commands.push({ commandId, command, causationId });
    this.set({ sent: [...this.next.sent, commandId] });
  }

  result(): Transition {
    return { instance: this.next, commands: this.commands, cancel: this.cancel };
  }
}

/** The context command builders see. */
export function contextOf(instance: WorkflowInstance): WorkflowContext<Message> {
  const events = instance.events as Record<string, unknown>;
  return {
    correlation: instance.correlation,
    start: instance.start.data,
    events,
    failure: instance.failure,
    awaited(type) {
      if (!(type in events)) throw new Error(`the run has not received a ${type} event yet`);
      return events[type];
    },
  };
}
