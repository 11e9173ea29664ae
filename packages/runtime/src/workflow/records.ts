/**
 * The records the workflow tables keep, and the tables' contract. Two implementations follow it:
 * SQL tables on SQLite and PostgreSQL (sql-tables.ts), row tables on the in-memory store (tables.ts).
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import type { Message } from "./definition.js";
import type { WorkflowInstance } from "./instance.js";
import type { PlannedCommand, StrayReason } from "./machine.js";

/**
 * The life of a queued command: `pending` until the dispatcher takes it, `sending` from just
 * before the sender is called until the outcome is recorded (`dispatched`). A step that fails
 * cancels its attempts that are still `pending` — never sent, so never to be sent; one that is
 * `sending` may have reached the world before a crash, so it is seen through to its outcome.
 */
export type CommandStatus = "pending" | "sending" | "dispatched" | "cancelled";

/** A command in an instance's outbox. */
export interface QueuedCommand {
  readonly commandId: string;
  readonly workflow: string;
  readonly correlation: string;
  readonly command: Message;
  readonly correlationId: string;
  readonly causationId: string;
  readonly status: CommandStatus;
  /** The sender's answer, once dispatched. */
  readonly outcome: CommandOutcome | null;
  readonly createdAt: string;
  readonly dispatchedAt: string | null;
  /** Whom the command acts for (the run's `onBehalfOf`), sent as its `onBehalfOf` metadata; null: nobody named. */
  readonly onBehalfOf: string | null;
}

/** An event that moved no instance, recorded and otherwise ignored. */
export interface StrayEvent {
  readonly workflow: string;
  readonly messageId: string;
  readonly type: string;
  /** The correlation value, when it could be read. */
  readonly correlation: string | null;
  readonly reason: StrayReason;
  /** The error, for a `definition-error`; which step, for a `step-succeeded-again`. */
  readonly detail: string | null;
  readonly time: string;
}

/**
 * An instance's claim: the app instance (`holder`) that runs its commands and deadlines now, until
 * `heldUntil` (ms since the epoch). Several app instances share a workflow's instances this way;
 * a claim that is not renewed (its holder died) may be taken over once it has expired.
 */
export interface InstanceClaim {
  readonly correlation: string;
  readonly holder: string;
  readonly heldUntil: number;
}

/** Who reads the pending commands: commands of instances another holder claims until later than `nowMs` are left out. */
export interface ClaimFilter {
  readonly holder: string;
  readonly nowMs: number;
}

/** The workflow tables, bound to one transaction. */
export interface WorkflowTables {
  /** Creates the tables if missing. */
  ensureSchema(): Promise<void>;
  /** One instance; on PostgreSQL its row stays locked until the transaction ends. */
  load(workflow: string, correlation: string): Promise<WorkflowInstance | null>;
  save(instance: WorkflowInstance): Promise<void>;
  list(workflow: string): Promise<WorkflowInstance[]>;
  /** Correlations of instances with a deadline at or before `nowMs`, earliest first. */
  due(workflow: string, nowMs: number, limit: number): Promise<string[]>;
  enqueue(instance: WorkflowInstance, commands: readonly PlannedCommand[], time: string): Promise<void>;
  /** Cancels the given commands that are still pending. */
  cancel(commandIds: readonly string[]): Promise<void>;
  /** Commands of a workflow still to send (pending or sending), in queueing order; not those of instances others claim. */
  pending(workflow: string, limit: number, claims?: ClaimFilter): Promise<QueuedCommand[]>;
  /**
   * Claims (or renews) an instance for `holder` until `untilMs`: true when it was free, expired at
   * `nowMs` or already the holder's; false when another holder's claim runs on. On PostgreSQL the
   * claim's row stays locked until the transaction ends.
   */
  claimInstance(workflow: string, correlation: string, holder: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Gives up `holder`'s claims of the workflow's instances: one (`correlation`) or all. */
  releaseClaims(workflow: string, holder: string, correlation?: string): Promise<void>;
  /** The claims of a workflow's instances, expired ones included, by correlation. */
  claims(workflow: string): Promise<InstanceClaim[]>;
  /** Marks a command `sending`; false when it is no longer to be sent (cancelled or dispatched meanwhile). */
  claim(commandId: string): Promise<boolean>;
  command(commandId: string): Promise<QueuedCommand | null>;
  markDispatched(commandId: string, outcome: CommandOutcome, time: string): Promise<void>;
  /** Every queued command of a workflow (or of one instance), in queueing order. */
  commands(workflow: string, correlation?: string): Promise<QueuedCommand[]>;
  addStray(stray: StrayEvent): Promise<void>;
  strays(workflow: string): Promise<StrayEvent[]>;
}

/** A command row as queued by `instance`. */
export function queued(instance: WorkflowInstance, planned: PlannedCommand, time: string): QueuedCommand {
  return {
    commandId: planned.commandId,
    workflow: instance.workflow,
    correlation: instance.correlation,
    command: planned.command,
    correlationId: instance.correlationId,
    causationId: planned.causationId,
    status: "pending",
    outcome: null,
    createdAt: time,
    dispatchedAt: null,
    onBehalfOf: instance.onBehalfOf ?? null,
  };
}
