/** The in-memory event store: for tests and demos; everything is lost when the process ends. */
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { checkExpected, checkPositive, checkStream } from "./checks.js";
import {
  DuplicateCommandError,
  type AppendOptions,
  type CommandRecord,
  type EventStore,
  type ReadStreamOptions,
  type Snapshot,
  type StoreOptions,
  type StoreTransaction,
} from "./event-store.js";
import { HeadNotifier } from "./head-notifier.js";
import { MemoryTransaction, type MemoryTables } from "./memory-transaction.js";
import { Mutex } from "./mutex.js";
import type { Outbox, OutboxRow } from "./outbox.js";

function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** An `EventStore` kept in this process's memory. */
export class MemoryEventStore implements EventStore {
  readonly engine = "memory";
  readonly outbox: Outbox;
  private readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, number[]>();
  private readonly unsent = new Set<number>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly commands = new Map<string, CommandRecord>();
  private readonly tables: MemoryTables = { rows: new Map(), checkpoints: new Map(), processed: new Map() };
  private readonly mutex = new Mutex();
  private readonly notifier: HeadNotifier;
  private readonly clock: () => Date;

  constructor(options: StoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.notifier = new HeadNotifier(options.pollIntervalMs ?? 1000);
    this.outbox = {
      fetchUnsent: async (limit) => this.fetchUnsent(limit),
      markSent: async (ids) => {
        for (const id of ids) this.unsent.delete(id);
      },
    };
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkStream(stream);
    const result = await this.mutex.run(() => this.appendNow(stream, events, expected, options));
    if (events.length > 0) this.notifier.notify();
    return result;
  }

  private appendNow(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options: AppendOptions,
  ): AppendResult {
    const positions = this.streams.get(stream) ?? [];
    const current = positions.length === 0 ? null : positions.length - 1;
    checkExpected(stream, expected, current);
    const command = options.command;
    const recorded = command === undefined ? undefined : this.commands.get(command.id);
    if (recorded !== undefined) throw new DuplicateCommandError(recorded);
    const time = this.clock().toISOString();
    for (const event of events) {
      const stored = this.toStored(event, stream, positions.length, this.events.length + 1, time);
      this.events.push(stored);
      positions.push(stored.globalPosition - 1);
      this.unsent.add(stored.globalPosition);
    }
    if (positions.length > 0) this.streams.set(stream, positions);
    if (command !== undefined) {
      const lastGlobalPosition = events.length === 0 ? null : this.events.length;
      const result = json(command.result);
      this.commands.set(command.id, { commandId: command.id, stream, result, lastGlobalPosition, time });
    }
    return { lastPosition: positions.length - 1, lastGlobalPosition: this.events.length };
  }

  private toStored(event: NewEvent, stream: string, position: number, globalPosition: number, time: string): StoredEvent {
    return {
      messageId: event.messageId,
      type: event.type,
      version: event.version,
      stream,
      position,
      globalPosition,
      time,
      correlationId: event.correlationId,
      causationId: event.causationId,
      metadata: json(event.metadata ?? {}),
      payload: json(event.payload),
    };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromPosition ?? 0;
    const to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    const until = options.until?.toISOString();
    const found: StoredEvent[] = [];
    for (const index of this.streams.get(stream) ?? []) {
      const event = this.events[index];
      if (event === undefined || event.position < from || event.position > to) continue;
      if (until !== undefined && event.time > until) continue;
      found.push(event);
    }
    return found;
  }

  async streamPosition(stream: string): Promise<number | null> {
    const length = this.streams.get(stream)?.length ?? 0;
    return length === 0 ? null : length - 1;
  }

  async readAll(fromGlobalPosition: number, batchSize: number): Promise<StoredEvent[]> {
    checkPositive("batchSize", batchSize);
    const start = Math.max(fromGlobalPosition, 1) - 1;
    return this.events.slice(start, start + batchSize);
  }

  async headPosition(): Promise<number> {
    return this.events.length;
  }

  waitForEvents(afterGlobalPosition: number, signal?: AbortSignal): Promise<boolean> {
    return this.notifier.wait(afterGlobalPosition, () => this.headPosition(), signal);
  }

  async commandResult(commandId: string): Promise<CommandRecord | null> {
    return this.commands.get(commandId) ?? null;
  }

  async saveSnapshot(stream: string, position: number, state: unknown, schemaTag: string): Promise<void> {
    const time = this.clock().toISOString();
    this.snapshots.set(stream, { stream, position, state: json(state), schemaTag, time });
  }

  async loadSnapshot(stream: string): Promise<Snapshot | null> {
    const snapshot = this.snapshots.get(stream);
    return snapshot === undefined ? null : { ...snapshot, state: json(snapshot.state) };
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const tx = new MemoryTransaction(this.tables);
      const result = await fn(tx);
      tx.commit();
      return result;
    });
  }

  private fetchUnsent(limit: number): OutboxRow[] {
    checkPositive("limit", limit);
    const rows: OutboxRow[] = [];
    for (const id of this.unsent) {
      const envelope = this.events[id - 1];
      if (envelope !== undefined) rows.push({ id, envelope });
      if (rows.length >= limit) break;
    }
    return rows;
  }

  async close(): Promise<void> {
    this.notifier.close();
  }
}
