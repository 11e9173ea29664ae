/**
 * How an orchestrator reads its events: from the store's global log, like a projection. Each
 * batch commits in ONE transaction with the workflow's checkpoint, a processed-message record
 * per event, every transition it causes and the commands those transitions queue — so a crash
 * keeps all of it or none of it, and no event moves an instance twice.
 */
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
import type { StrayEvent, WorkflowTables } from "./records.js";
import { workflowTables } from "./tables.js";

/** What a committed change reports to the hooks. */
export type Notice =
  | { readonly kind: "transition"; readonly transition: Transition; readonly before: Transition["instance"] | null; readonly cause: TransitionCause }
  | { readonly kind: "stray"; readonly stray: StrayEvent };

/** What moved an instance. */
export type TransitionCause =
  | { readonly kind: "event"; readonly type: string; readonly messageId: string }
  | { readonly kind: "deadline"; readonly now: string }
  | { readonly kind: "outcome"; readonly commandId: string; readonly status: "accepted" | "rejected" };

/** An event of the workflow, decoded before its transaction opens (or the reason it could not be). */
interface Decoded {
  readonly envelope: StoredEvent;
  readonly event?: Message;
  readonly correlation?: string;
  readonly error?: string;
}

class CheckpointMoved extends Error {}

/** Saves a transition: the instance, cancelled attempts, and the commands it queues. */
export async function commitTransition(tables: WorkflowTables, transition: Transition, time: string): Promise<void> {
  await tables.save(transition.instance);
  await tables.cancel(transition.cancel);
  await tables.enqueue(transition.instance, transition.commands, time);
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

  constructor(
    private readonly store: EventStore,
    private readonly def: AnyOrchestratedWorkflow,
    private readonly deserialize: (stored: StoredEvent) => Message,
    private readonly clock: () => Date,
    private readonly batchSize: number,
  ) {
    const steps = def.steps as AnyOrchestratedWorkflow["steps"];
    this.types = new Set<string>([def.start, ...steps.flatMap((s) => [s.awaits, ...(s.failOn === undefined ? [] : [s.failOn])])]);
    this.name = workflowCheckpointName(def.name);
  }

  /** On the very first start, places the checkpoint at the head (`head`) or before the first event (`beginning`). */
  async init(startAt: "head" | "beginning"): Promise<void> {
    const head = startAt === "head" ? await this.store.headPosition() : 0;
    await this.store.transaction(async (tx) => {
      await workflowTables(tx).ensureSchema();
      if ((await tx.getCheckpoint(this.name)) === null) await tx.setCheckpoint(this.name, { position: head, lastEventTime: null });
    });
  }

  /** The global position of the last event applied. */
  async position(): Promise<number> {
    return this.known ?? (await this.store.transaction((tx) => tx.getCheckpoint(this.name)))?.position ?? 0;
  }

  /** Applies one batch; resolves with the events read (0 when caught up) and what changed. */
  async step(): Promise<{ read: number; notices: Notice[] }> {
    const position = await this.position();
    const batch = await this.store.readAll(position + 1, this.batchSize);
    const last = batch.at(-1);
    if (last === undefined) return { read: 0, notices: [] };
    // Deserialize outside the transaction: on SQLite it holds the whole database.
    const decoded = batch.filter((e) => this.types.has(e.type)).map((e) => this.decode(e));
    try {
      const notices = await this.store.transaction(async (tx) => {
        if (((await tx.getCheckpoint(this.name))?.position ?? 0) !== position) throw new CheckpointMoved();
        const tables = workflowTables(tx);
        const found: Notice[] = [];
        for (const d of decoded) found.push(await this.apply(tx, tables, d));
        await tx.setCheckpoint(this.name, { position: last.globalPosition, lastEventTime: last.time });
        return found;
      });
      this.known = last.globalPosition;
      return { read: batch.length, notices };
    } catch (error) {
      this.known = undefined;
      // Another coordinator of this workflow applied the batch; read on from where it stopped.
      if (error instanceof CheckpointMoved) return this.step();
      throw error;
    }
  }

  private decode(envelope: StoredEvent): Decoded {
    try {
      const event = this.deserialize(envelope);
      const correlation = this.def.correlate(event.data);
      if (typeof correlation !== "string" || correlation === "") throw new Error(`correlate returned ${JSON.stringify(correlation)}`);
      return { envelope, event, correlation };
    } catch (error) {
      return { envelope, error: error instanceof Error ? error.message : String(error) };
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
    if (!(await tx.markProcessed(this.name, envelope.messageId))) return stray("duplicate-delivery");
    if (d.event === undefined || d.correlation === undefined) return stray("unreadable", d.error ?? null);
    const before = await tables.load(this.def.name, d.correlation);
    const incoming = { messageId: envelope.messageId, correlationId: envelope.correlationId, type: d.event.type, data: d.event.data };
    const now = this.clock();
    let transition: Transition;
    try {
      if (d.event.type === this.def.start) {
        if (before !== null) return stray("duplicate-start");
        transition = startInstance(this.def, incoming, d.correlation, now);
      } else {
        if (before === null) return stray("unknown-instance");
        const result = onEvent(this.def, before, incoming, now);
        if (result.kind === "stray") return stray(result.reason);
        transition = result.transition;
      }
    } catch (error) {
      if (error instanceof WorkflowDefinitionError) return stray("definition-error", error.message);
      throw error;
    }
    await commitTransition(tables, transition, now.toISOString());
    return { kind: "transition", transition, before, cause: { kind: "event", type: envelope.type, messageId: envelope.messageId } };
  }
}
