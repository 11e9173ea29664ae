/**
 * What an orchestrator tells the world after each commit: its hooks, its logs
 * (`workflow-transition`, `runner-error`, `parked`) and its metrics. Hooks and observers must not
 * throw; one that does is ignored, so it can never stop the coordinator.
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import { describeError, messageRecord } from "../observability/logger.js";
import type { WorkflowCompletedSample } from "../observability/metrics.js";
import type { Observability } from "../observability/observability.js";
import type { ParkedEvent } from "../parking/parked.js";
import { workflowCheckpointName, type Notice, type TransitionCause } from "./intake.js";
import { commandIds, isFinished, stateName, type InstanceState, type WorkflowInstance } from "./instance.js";
import type { QueuedCommand, StrayEvent } from "./records.js";

/** A committed transition, as the hooks see it. */
export interface TransitionRecord {
  readonly workflow: string;
  readonly correlation: string;
  readonly from: InstanceState | null;
  readonly to: InstanceState;
  readonly cause: TransitionCause;
  /** Ids of the commands the transition queued. */
  readonly queued: readonly string[];
}

/** Where an orchestrator reports what it does (after each commit). Hooks must not throw. */
export interface WorkflowHooks {
  onTransition?(record: TransitionRecord): void;
  onStray?(stray: StrayEvent): void;
  /** An event that could not be read or correlated was parked (or the intake stopped at it). */
  onParked?(parked: ParkedEvent): void;
  onDispatched?(command: QueuedCommand, outcome: CommandOutcome): void;
  /** A send that threw, a failed batch or tick; the work is tried again later. */
  onError?(error: unknown, phase: WorkflowPhase, command?: QueuedCommand): void;
}

/** The three loops of a running orchestrator. */
export type WorkflowPhase = "intake" | "dispatch" | "tick";

/** Reports one workflow's notices, outcomes and errors to its hooks and observability. */
export class WorkflowReporter {
  constructor(
    private readonly workflow: string,
    private readonly hooks: WorkflowHooks,
    private readonly observability: Observability,
    private readonly clock: () => Date,
  ) {}

  /** Transitions, strays and parked events, as the intake or a deadline produced them. */
  notices(notices: readonly Notice[]): void {
    for (const notice of notices) {
      if (notice.kind === "stray") this.stray(notice.stray);
      else if (notice.kind === "parked") this.parked(notice);
      else this.transition(notice);
    }
  }

  /** A command the dispatcher sent, and the transition its outcome made (if any). */
  dispatched(command: QueuedCommand, outcome: CommandOutcome, notice: Notice | null): void {
    safely(() => this.hooks.onDispatched?.(command, outcome));
    if (notice !== null) this.notices([notice]);
  }

  /** An error that is tried again later (the hook only). */
  error(error: unknown, phase: WorkflowPhase, command?: QueuedCommand): void {
    safely(() => this.hooks.onError?.(error, phase, command));
  }

  /** A failed loop round: the hook and a `runner-error` log saying when it is retried. */
  retrying(error: unknown, phase: WorkflowPhase, attempt: number, delay: number): void {
    this.error(error, phase);
    safely(() =>
      this.observability.logger.log({
        level: "warn",
        event: "runner-error",
        time: new Date().toISOString(),
        message: `workflow ${this.workflow}: ${phase} failed; retrying in ${delay} ms`,
        runner: workflowCheckpointName(this.workflow),
        attempt,
        error: describeError(error),
      }),
    );
  }

  /** A transition: the hook, a `workflow-transition` log, and the completion time when the run ended. */
  private transition(notice: Extract<Notice, { kind: "transition" }>): void {
    const obs = this.observability;
    const record = transitionRecord(this.workflow, notice);
    safely(() => this.hooks.onTransition?.(record));
    const to = stateName(record.to);
    const from = record.from === null ? null : stateName(record.from);
    const time = new Date().toISOString();
    const message = `workflow ${this.workflow} ${record.correlation}: ${from ?? "start"} -> ${to}`;
    const instance = notice.transition.instance;
    safely(() => obs.logger.log({ level: "info", event: "workflow-transition", time, message, runner: workflowCheckpointName(this.workflow), correlationId: instance.correlationId, from, to }));
    for (const step of newlyRefused(notice.before, instance)) safely(() => obs.metrics.compensationRejected?.({ workflow: this.workflow, step }));
    if (!isFinished(instance) || (notice.before !== null && isFinished(notice.before))) return;
    const end = notice.cause.kind === "deadline" ? Date.parse(notice.cause.now) : this.clock().getTime();
    const outcome = runOutcome(instance);
    const seconds = Math.max(0, (end - Date.parse(instance.startedAt)) / 1000);
    safely(() => obs.metrics.workflowCompleted({ workflow: this.workflow, outcome, seconds }));
  }

  /**
   * An event the run did not act on: the hook, the count by reason, and a warning for one that may
   * be a step's second effect (the others — a redelivery, a late event for a finished run — are
   * routine under at-least-once delivery).
   */
  private stray(stray: StrayEvent): void {
    const obs = this.observability;
    safely(() => this.hooks.onStray?.(stray));
    safely(() => obs.metrics.workflowStray?.({ workflow: this.workflow, reason: stray.reason }));
    if (stray.reason !== "step-succeeded-again") return;
    const message = `workflow ${this.workflow} ${stray.correlation ?? ""}: ${stray.type} ${stray.messageId}: ${stray.detail ?? ""}`;
    safely(() => obs.logger.log({ level: "warn", event: "workflow-stray", time: stray.time, message, runner: workflowCheckpointName(this.workflow) }));
  }

  private parked(notice: Extract<Notice, { kind: "parked" }>): void {
    const obs = this.observability;
    const { parked } = notice;
    safely(() => this.hooks.onParked?.(parked));
    safely(() => obs.metrics.parked({ runner: parked.runner, type: parked.type, reason: parked.reason, blocking: parked.blocking }));
    safely(() => obs.logger.log(messageRecord("error", "parked", notice.envelope, obs.codec, { runner: parked.runner, blocking: parked.blocking, error: notice.error })));
  }
}

function transitionRecord(workflow: string, notice: Extract<Notice, { kind: "transition" }>): TransitionRecord {
  return {
    workflow,
    correlation: notice.transition.instance.correlation,
    from: notice.before?.state ?? null,
    to: notice.transition.instance.state,
    cause: notice.cause,
    queued: notice.transition.commands.map((c) => c.commandId),
  };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Hooks must not throw; one that does must not stop the coordinator.
  }
}

/** How a finished run ended, for `eda_workflow_duration`'s `eda_outcome`. */
function runOutcome(instance: WorkflowInstance): WorkflowCompletedSample["outcome"] {
  if (instance.state.kind === "completed") return "completed";
  // Compensated steps: the completed ones, and the failed one (`compensate always`, or its late success).
  const steps = instance.failure === null ? instance.completedSteps : [...instance.completedSteps, instance.failure.step];
  const compensations = new Set(steps.map((step) => commandIds.compensate(instance.workflow, instance.correlation, step)));
  if (instance.rejections.some((r) => compensations.has(r.commandId))) return "compensation_rejected";
  return instance.failure?.reason === "timeout" ? "timed_out" : "failed";
}

/**
 * The steps whose compensation this transition recorded as refused — while the run compensated,
 * or a late success's compensation after it had ended (no outcome is counted then).
 */
function newlyRefused(before: WorkflowInstance | null, after: WorkflowInstance): string[] {
  const fresh = after.rejections.slice(before?.rejections.length ?? 0);
  if (fresh.length === 0) return [];
  const prefix = `${after.workflow}/${after.correlation}/`;
  return fresh.filter((r) => r.commandId.startsWith(prefix) && r.commandId.endsWith("/compensate")).map((r) => r.commandId.slice(prefix.length, -"/compensate".length));
}
