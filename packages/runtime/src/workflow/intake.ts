/**
 * How an orchestrator reads its events: from the store's global log, like a projection. Each
 * batch commits in ONE transaction with the workflow's checkpoint, a processed-message record
 * per event, every transition it causes and the commands those transitions queue — so a crash
 * keeps all of it or none of it, and no event moves an instance twice.
 */
import { maskedError, maskedMessage, personalValuesOf, type Redactor } from "../codec/personal-values.js";
import { parkedEvent, type ParkedEvent, type PoisonPolicy, type RetryReport } from "../parking/parked.js";
import { parkedTable } from "../parking/parked-table.js";
import { originOf } from "../pipeline/context.js";
import { keyEpochOf, KeyEpochMovedError } from "../crypto/key-epoch.js";
import type { EventStore, StoreTransaction } from "../store/event-store.js";
import type { StoredEvent } from "../types.js";
import type { Message } from "./definition.js";
import {
  onEvent,
  startInstance,
  WorkflowDefinitionError,
  type AnyOrchestratedWorkflow,
  type StrayReason,
  type Transition,
} from "./machine.js";
import { HISTORY_LIMIT, stateName, type TransitionCause, type WorkflowInstance } from "./instance.js";
import type { StrayEvent, WorkflowTables } from "./records.js";
import { workflowTables } from "./tables.js";

/** What a committed change reports to the hooks. */
export type Notice =
  | { readonly kind: "transition"; readonly transition: Transition; readonly before: Transition["instance"] | null; readonly cause: TransitionCause }
  | { readonly kind: "stray"; readonly stray: StrayEvent }
  | { readonly kind: "parked"; readonly parked: ParkedEvent; readonly envelope: StoredEvent; readonly error: unknown };

export type { TransitionCause };

/** An event of the workflow, decoded before its transaction opens (or the reason it could not be). */
interface Decoded {
  readonly envelope: StoredEvent;
  readonly event?: Message;
  readonly correlation?: string;
  readonly error?: unknown;
}

class CheckpointMoved extends Error {}

/** Times a batch is read again when a forget or rotation came between its read and its write. */
const EPOCH_RETRIES = 5;

/**
 * Saves the transition's instance with the transition appended to its history (time, states
 * left and entered, attempt, cause), cancels and queues its commands; returns the transition
 * as saved.
 */
export async function commitTransition(tables: WorkflowTables, transition: Transition, before: WorkflowInstance | null, cause: TransitionCause, time: string): Promise<Transition> {
  const entry = { at: time, from: before === null ? null : stateName(before.state), to: stateName(transition.instance.state), attempt: transition.instance.attempt, cause };
  const instance = { ...transition.instance, history: [...(before?.history ?? []), entry].slice(-HISTORY_LIMIT) };
  await tables.save(instance);
  await tables.cancel(transition.cancel);
  await tables.enqueue(instance, transition.commands, time);
  return { ...transition, instance };
}

/** The checkpoint and processed-message name of a workflow. */
export function workflowCheckpointName(workflow: string): string {
  return `workflow:${workflow}`;
}

/** Reads a workflow's events from the store's log and applies them in batches. */
export class EventIntake {
  private readonly types: ReadonlySet<string>;
  private readonly name: string;
  private known: number | undefined;
  /** Stopped at an unreadable event (policy `"stop"`) in this process, until `retryParked`. */
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly def: AnyOrchestratedWorkflow,
    private readonly deserialize: (stored: StoredEvent) => Message,
    private readonly clock: () => Date,
    private readonly batchSize: number,
    private readonly policy: PoisonPolicy = "park",
    /** Finds an event's `@pii` values, masked in what its failure records (parked records, strays, errors). */
    private readonly redactor: Redactor | null = null,
  ) {
    const steps = def.steps as AnyOrchestratedWorkflow["steps"];
    this.types = new Set<string>([def.start, ...steps.flatMap((s) => [s.awaits, ...(s.failOn === undefined ? [] : [s.failOn])])]);
    this.name = workflowCheckpointName(def.name);
  }

  /** On the very first start, places the checkpoint at the head (`head`) or before the first event (`beginning`). */
  async init(startAt: "head" | "beginning"): Promise<void> {
    const head = startAt === "head" ? await this.store.headPosition() : 0;
    // Two transactions: the schema's DDL locks the workflow tables (even where they exist), and
    // holding those locks while waiting for the checkpoint's lock, which a running intake holds
    // while it writes those tables, would deadlock with it.
    await this.store.transaction((tx) => workflowTables(tx).ensureSchema());
    await this.store.transaction(async (tx) => {
      if ((await tx.getCheckpoint(this.name)) === null) await tx.setCheckpoint(this.name, { position: head, lastEventTime: null });
    });
  }

  /** True while stopped at an unreadable event (policy `"stop"`). */
  get halted(): boolean {
    return this.stopped;
  }

  /** The global position of the last event applied. */
  async position(): Promise<number> {
    return this.known ?? (await this.store.transaction((tx) => tx.getCheckpoint(this.name)))?.position ?? 0;
  }

  /**
   * Applies one batch; resolves with the events read (0 when caught up or stopped) and what changed.
   * `moved`: how many times a forget or rotation came between this batch's read and its write.
   */
  async step(moved = 0): Promise<{ read: number; notices: Notice[] }> {
    if (this.stopped) return { read: 0, notices: [] };
    const position = await this.position();
    const batch = await this.store.readAll(position + 1, this.batchSize);
    if (batch.length === 0) return { read: 0, notices: [] };
    const readAt = keyEpochOf(batch);
    // Deserialize outside the transaction: on SQLite it holds the whole database.
    const decoded = batch.filter((e) => this.types.has(e.type)).map((e) => this.decode(e));
    const stop = this.policy === "stop" ? decoded.find((d) => d.event === undefined) : undefined;
    const end = stop === undefined ? (batch[batch.length - 1] as StoredEvent) : batch.find((e) => e.globalPosition === stop.envelope.globalPosition - 1);
    const endPosition = stop === undefined ? (end as StoredEvent).globalPosition : stop.envelope.globalPosition - 1;
    try {
      const notices = await this.store.transaction(async (tx) => {
        // Personal data decrypted before a forget is not stored again after it (KeyEpochMovedError).
        if (readAt !== undefined) tx.pinKeyEpoch?.(readAt);
        const current = await tx.getCheckpoint(this.name);
        if ((current?.position ?? 0) !== position) throw new CheckpointMoved();
        const tables = workflowTables(tx);
        const found: Notice[] = [];
        // The event a stopped intake waited at goes through now (or is parked again below).
        if (!decoded.some((d) => d.envelope.globalPosition === position + 1 && d.event === undefined)) await parkedTable(tx).unpark(this.name, position + 1);
        for (const d of decoded) {
          if (d.envelope.globalPosition > endPosition) break;
          found.push(await this.apply(tx, tables, d));
        }
        if (stop !== undefined) found.push(await this.park(tx, stop, true));
        await tx.setCheckpoint(this.name, { position: endPosition, lastEventTime: end?.time ?? current?.lastEventTime ?? null });
        return found;
      });
      this.known = endPosition;
      this.stopped = stop !== undefined;
      return { read: endPosition - position, notices };
    } catch (error) {
      this.known = undefined;
      // Another coordinator of this workflow applied the batch: read on from where it stopped.
      if (error instanceof CheckpointMoved) return this.step(moved);
      // A forget or a rotation came between the read and the write: read the batch again, a few
      // times, a little later each (a burst of rotations); past that the runner's error path retries.
      if (error instanceof KeyEpochMovedError && moved < EPOCH_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** moved));
        return this.step(moved + 1);
      }
      throw error;
    }
  }

  /** The events this workflow parked (or stopped at), oldest first. */
  parked(): Promise<ParkedEvent[]> {
    return this.store.transaction((tx) => parkedTable(tx).list(this.name));
  }

  /** Tries the parked events again; a stopped intake resumes at the event it stopped at. */
  async retryParked(): Promise<RetryReport & { readonly notices: readonly Notice[] }> {
    let retried = 0;
    let stillParked = 0;
    const notices: Notice[] = [];
    for (const p of await this.parked()) {
      if (p.blocking) continue;
      const read = await this.store.readAll(p.globalPosition, 1);
      const [envelope] = read;
      if (envelope === undefined || envelope.globalPosition !== p.globalPosition) continue;
      const d = this.decode(envelope);
      const readAt = keyEpochOf(read);
      let notice: Notice;
      try {
        notice = await this.store.transaction(async (tx) => {
          if (readAt !== undefined) tx.pinKeyEpoch?.(readAt);
          if (d.event === undefined) return this.park(tx, d, false, p.attempts);
          await parkedTable(tx).unpark(this.name, p.globalPosition);
          return this.apply(tx, workflowTables(tx), d);
        });
      } catch (error) {
        // A forget came between the read and the write: the event stays parked for the next retry.
        if (!(error instanceof KeyEpochMovedError)) throw error;
        stillParked += 1;
        continue;
      }
      if (notice.kind === "parked") stillParked += 1;
      else retried += 1;
      notices.push(notice);
    }
    if (this.stopped) {
      this.stopped = false;
      const { read, notices: more } = await this.step();
      notices.push(...more);
      if (this.stopped && read === 0) stillParked += 1;
      else retried += 1;
    }
    return { retried, stillParked, notices };
  }

  private async park(tx: StoreTransaction, d: Decoded, blocking: boolean, attempts?: number): Promise<Notice> {
    const table = parkedTable(tx);
    const before = attempts ?? (await table.get(this.name, d.envelope.globalPosition))?.attempts ?? 0;
    const personal = personalValuesOf(this.redactor, d.envelope);
    const record = parkedEvent(this.name, d.envelope, "unreadable", d.error, { blocking, attempts: before + 1, time: this.clock().toISOString(), personal });
    await table.park(record);
    return { kind: "parked", parked: record, envelope: d.envelope, error: d.error };
  }

  private decode(envelope: StoredEvent): Decoded {
    try {
      const event = this.deserialize(envelope);
      const correlation = this.def.correlate(event.data);
      if (typeof correlation !== "string" || correlation === "") throw new Error(`correlate returned ${JSON.stringify(correlation)}`);
      return { envelope, event, correlation };
    } catch (error) {
      return { envelope, error };
    }
  }

  private async apply(tx: StoreTransaction, tables: WorkflowTables, d: Decoded): Promise<Notice> {
    const { envelope } = d;
    const stray = async (reason: StrayReason, detail: string | null = null): Promise<Notice> => {
      const record: StrayEvent = {
        workflow: this.def.name,
        messageId: envelope.messageId,
        type: envelope.type,
        correlation: d.correlation ?? null,
        reason,
        detail,
        time: this.clock().toISOString(),
      };
      await tables.addStray(record);
      return { kind: "stray", stray: record };
    };
    // An event that cannot be read or correlated is parked: retried once the model or code is fixed.
    if (d.event === undefined || d.correlation === undefined) return this.park(tx, d, false);
    if (!(await tx.markProcessed(this.name, envelope.messageId))) return stray("duplicate-delivery");
    const before = await tables.load(this.def.name, d.correlation);
    const incoming = { messageId: envelope.messageId, correlationId: envelope.correlationId, type: d.event.type, data: d.event.data, onBehalfOf: originOf(envelope.metadata) };
    const now = this.clock();
    let transition: Transition;
    try {
      if (d.event.type === this.def.start) {
        if (before !== null) return stray("duplicate-start");
        transition = startInstance(this.def, incoming, d.correlation, now);
      } else {
        if (before === null) return stray("unknown-instance");
        const result = onEvent(this.def, before, incoming, now);
        if (result.kind === "stray") return stray(result.reason, result.detail ?? null);
        transition = result.transition;
      }
    } catch (error) {
      // A command builder may quote the event it was given: its personal values are masked in
      // the stray's detail (stored) and in the error the loop logs as `runner-error`.
      const personal = personalValuesOf(this.redactor, envelope);
      if (error instanceof WorkflowDefinitionError) return stray("definition-error", maskedMessage(error, personal));
      throw maskedError(error, personal);
    }
    const cause = { kind: "event", type: envelope.type, messageId: envelope.messageId } as const;
    return { kind: "transition", transition: await commitTransition(tables, transition, before, cause, now.toISOString()), before, cause };
  }
}
