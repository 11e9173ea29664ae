/**
 * The persisted state of one orchestrated run, and the deterministic ids of the commands it
 * sends. An instance is plain JSON: the tables store it whole, beside a few columns for queries.
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import type { WorkflowFailure } from "./definition.js";

/**
 * Where a run is: waiting for step `step`'s event, compensating step `step` (waiting for its
 * compensation to be accepted), or finished.
 */
export type InstanceState<N extends string = string> =
  | { readonly kind: "awaiting"; readonly step: N }
  | { readonly kind: "compensating"; readonly step: N }
  | { readonly kind: "completed" }
  | { readonly kind: "failed" };

/** A command the domain refused, kept on the instance. */
export interface RejectedCommand {
  readonly commandId: string;
  readonly type: string;
  readonly reason: unknown;
  readonly at: string;
}

/** What moved an instance. */
export type TransitionCause =
  | { readonly kind: "event"; readonly type: string; readonly messageId: string }
  | { readonly kind: "deadline"; readonly now: string }
  | { readonly kind: "outcome"; readonly commandId: string; readonly status: CommandOutcome["status"] };

/** One committed transition of a run, as its history keeps it (ids and types, never data). */
export interface TransitionEntry {
  readonly at: string;
  /** The state left (`awaiting:<step>`, `compensating:<step>`, `completed`, `failed`), null at the start. */
  readonly from: string | null;
  readonly to: string;
  readonly attempt: number;
  readonly cause: TransitionCause;
}

/** How many transitions a run's history keeps (the latest; a run retried for ever stays bounded). */
export const HISTORY_LIMIT = 200;

/** One run of an orchestrated workflow. */
export interface WorkflowInstance<N extends string = string> {
  readonly workflow: string;
  /** The correlation value (e.g. the order id): one instance per value. */
  readonly correlation: string;
  /** The conversation's correlation id, taken from the start event; every command carries it. */
  readonly correlationId: string;
  readonly state: InstanceState<N>;
  /** The start event's type, id and data. */
  readonly start: { readonly type: string; readonly messageId: string; readonly data: unknown };
  /** The data of every awaited or `fail on` event received, by type. */
  readonly events: Readonly<Record<string, unknown>>;
  /** The id of the last event that moved the instance (causation of timer-driven re-sends). */
  readonly lastEventId: string;
  /** The current step's attempt (1-based; 0 when not awaiting a step). */
  readonly attempt: number;
  /** The command whose outcome can move the instance (the current attempt or compensation), or null. */
  readonly awaitingOutcome: string | null;
  readonly completedSteps: readonly N[];
  /** Steps still to compensate, next first. */
  readonly pendingCompensations: readonly N[];
  /** Steps compensated after the failure because their awaited event arrived late. */
  readonly lateCompensations: readonly N[];
  readonly failure: WorkflowFailure | null;
  readonly rejections: readonly RejectedCommand[];
  /** Ids of every command the instance has queued, in order. */
  readonly sent: readonly string[];
  /** When the current step's command is re-sent (or the step fails) if its event has not arrived. */
  readonly retryAt: string | null;
  /** When the whole run times out. */
  readonly timeoutAt: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  /**
   * Whom the run acts for: the principal behind its start event (that event's `onBehalfOf`, else
   * its caller); every command the run sends carries it as `onBehalfOf`. Absent or null when the
   * start event named nobody (or on runs stored before it was kept).
   */
  readonly onBehalfOf?: string | null;
  /** Every committed transition with its time, oldest first (absent on runs stored before it was kept). */
  readonly history?: readonly TransitionEntry[];
}

/** A state as logs and histories name it: `awaiting:<step>`, `compensating:<step>`, `completed`, `failed`. */
export function stateName(state: InstanceState): string {
  return state.kind === "awaiting" || state.kind === "compensating" ? `${state.kind}:${state.step}` : state.kind;
}

/** The earliest deadline of an instance in ms since the epoch, or null (the tables index it). */
export function nextDeadline(instance: WorkflowInstance): number | null {
  if (instance.state.kind !== "awaiting") return null;
  const times = [instance.retryAt, instance.timeoutAt].filter((t): t is string => t !== null).map(Date.parse);
  return times.length === 0 ? null : Math.min(...times);
}

/** Whether a run has ended (completed or failed); late compensations may still be sent. */
export function isFinished(instance: WorkflowInstance): boolean {
  return instance.state.kind === "completed" || instance.state.kind === "failed";
}

/**
 * Command ids are `<workflow>/<correlation>/<what>`: the same run sends the same ids however
 * often it is replayed or resumed, so the command pipeline's idempotency (same id → nothing
 * appended twice) turns at-least-once dispatch into exactly-once effect.
 */
export const commandIds = {
  /** Attempt `attempt` (1-based) of step `step`. */
  send: (workflow: string, correlation: string, step: string, attempt: number): string =>
    `${workflow}/${correlation}/${step}/send/${attempt}`,
  compensate: (workflow: string, correlation: string, step: string): string => `${workflow}/${correlation}/${step}/compensate`,
  complete: (workflow: string, correlation: string): string => `${workflow}/${correlation}/complete`,
  fail: (workflow: string, correlation: string): string => `${workflow}/${correlation}/fail`,
  /** A choreography rule's command for one event: a redelivery of the event sends the same id. */
  rule: (workflow: string, rule: string, eventId: string): string => `${workflow}/${rule}/${eventId}`,
} as const;
