/**
 * Keeps a projection's rows current. Each batch is read from the global log, folded into rows,
 * and committed in ONE store transaction together with the projection's checkpoint — so a crash
 * at any point either keeps the whole batch or none of it: no event is applied twice or skipped.
 * The next batch is read only after the previous one committed (back-pressure), and an optional
 * rate limit paces replays.
 */
import type { Checkpoint, EventStore, StoreTransaction } from "../store/event-store.js";
import type { EventCodec, StoredEvent } from "../types.js";
import type { BatchReport, Projection, ProjectionLag } from "./projection.js";
import { RateLimiter } from "./rate-limiter.js";

/** Options for a `ProjectionRunner`. */
export interface ProjectionRunnerOptions {
  /** Events read per batch and transaction (default 500). */
  readonly batchSize?: number;
  /** Upper bound on events processed per second, for replays that must not flood the database. */
  readonly maxEventsPerSecond?: number;
  /** Called after each committed batch (metrics). */
  readonly onBatch?: (report: BatchReport) => void;
  readonly clock?: () => Date;
}

/** Thrown inside a batch when another runner moved the checkpoint first; the batch is retried. */
class CheckpointMoved extends Error {}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The checkpoint name of a projection (projection checkpoints share the table with consumers'). */
export function projectionCheckpointName(name: string): string {
  return `projection:${name}`;
}

/** Drives one projection over one store. */
export class ProjectionRunner<E extends { readonly type: string }, Row> {
  private readonly types: ReadonlySet<string>;
  private readonly batchSize: number;
  private readonly clock: () => Date;
  private readonly checkpointName: string;
  /** The checkpoint as this runner last committed or read it; the transaction re-checks it. */
  private known: number | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly codec: Pick<EventCodec<E>, "deserialize">,
    private readonly projection: Projection<E, Row>,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.types = new Set(projection.events);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    }
    this.clock = options.clock ?? (() => new Date());
    this.checkpointName = projectionCheckpointName(projection.name);
  }

  /** Applies batches until the projection has reached the head; returns the events read. */
  async catchUp(signal?: AbortSignal): Promise<number> {
    const limiter = new RateLimiter(this.options.maxEventsPerSecond);
    let total = 0;
    while (!aborted(signal)) {
      const read = await this.step(limiter.batchSize(this.batchSize));
      if (read === 0) break;
      total += read;
      await limiter.consume(read, signal);
    }
    return total;
  }

  /**
   * Keeps the projection current until `signal` aborts (or the store closes): catches up, then
   * waits for new events, and so on. Rejects when a batch fails (for example an event that does
   * not deserialize); the checkpoint stays before that batch.
   */
  async run(signal?: AbortSignal): Promise<void> {
    while (!aborted(signal)) {
      await this.catchUp(signal);
      if (aborted(signal)) return;
      const { position } = await this.checkpoint();
      if (!(await this.store.waitForEvents(position, signal))) return;
    }
  }

  /** Drops every row and the checkpoint, then replays from the first event. Stop `run` first. */
  async rebuild(signal?: AbortSignal): Promise<number> {
    await this.store.transaction(async (tx) => {
      await tx.clearRows(this.projection.name);
      await tx.deleteCheckpoint(this.checkpointName);
    });
    this.known = 0;
    return this.catchUp(signal);
  }

  /** The projection's checkpoint (position 0 before the first batch). */
  async checkpoint(): Promise<Checkpoint> {
    const checkpoint = await this.store.transaction((tx) => tx.getCheckpoint(this.checkpointName));
    return checkpoint ?? { position: 0, lastEventTime: null };
  }

  /** How far the projection is behind the store, in events and seconds. */
  async lag(): Promise<ProjectionLag> {
    const [head, checkpoint] = await Promise.all([this.store.headPosition(), this.checkpoint()]);
    const eventsBehind = Math.max(0, head - checkpoint.position);
    let secondsBehind = 0;
    if (eventsBehind > 0) {
      const [oldest] = await this.store.readAll(checkpoint.position + 1, 1);
      if (oldest !== undefined) secondsBehind = Math.max(0, (this.clock().getTime() - Date.parse(oldest.time)) / 1000);
    }
    return {
      projection: this.projection.name,
      checkpoint: checkpoint.position,
      head,
      eventsBehind,
      secondsBehind,
      lastAppliedEventTime: checkpoint.lastEventTime,
    };
  }

  /** One row, or undefined. */
  async row(key: string): Promise<Row | undefined> {
    const rows = await this.store.transaction((tx) => tx.getRows(this.projection.name, [key]));
    return rows.get(key) as Row | undefined;
  }

  /** Every row, by key. */
  async rows(): Promise<Map<string, Row>> {
    return (await this.store.transaction((tx) => tx.listRows(this.projection.name))) as Map<string, Row>;
  }

  /** Reads and commits one batch; returns the events read (0 when caught up). */
  private async step(size: number): Promise<number> {
    const started = Date.now();
    const position = this.known ?? (await this.checkpoint()).position;
    const batch = await this.store.readAll(position + 1, size);
    const last = batch.at(-1);
    if (last === undefined) return 0;
    // Deserialize before the transaction opens: the transaction holds the checkpoint's lock.
    const events = batch.filter((e) => this.types.has(e.type)).map((e) => ({ envelope: e, event: this.codec.deserialize(e) }));
    try {
      const applied = await this.store.transaction(async (tx) => {
        const current = (await tx.getCheckpoint(this.checkpointName))?.position ?? 0;
        if (current !== position) throw new CheckpointMoved();
        const changed = await this.applyEvents(tx, events);
        await tx.setCheckpoint(this.checkpointName, { position: last.globalPosition, lastEventTime: last.time });
        return changed;
      });
      this.known = last.globalPosition;
      const durationMs = Date.now() - started;
      this.options.onBatch?.({ projection: this.projection.name, events: batch.length, applied, checkpoint: last.globalPosition, durationMs });
      return batch.length;
    } catch (error) {
      // Someone else applied this batch; read again from the checkpoint they left.
      this.known = undefined;
      if (error instanceof CheckpointMoved) return this.step(size);
      throw error;
    }
  }

  /** Folds events into their rows inside `tx`; returns how many events touched a row. */
  private async applyEvents(tx: StoreTransaction, events: readonly { envelope: StoredEvent; event: E }[]): Promise<number> {
    const keyed = events.flatMap(({ envelope, event }) => {
      const key = this.projection.keyOf(event);
      return key === undefined ? [] : [{ key, envelope, event }];
    });
    const keys = [...new Set(keyed.map((k) => k.key))];
    const existing = await tx.getRows(this.projection.name, keys);
    const rows = new Map<string, Row | null>();
    for (const { key, envelope, event } of keyed) {
      const before = rows.has(key) ? rows.get(key) : existing.has(key) ? (existing.get(key) as Row) : undefined;
      const row = before === undefined || before === null ? this.projection.initialRow(key) : before;
      rows.set(key, this.projection.apply(row, event, envelope));
    }
    for (const [key, row] of rows) {
      if (row === null) await tx.deleteRow(this.projection.name, key);
      else await tx.putRow(this.projection.name, key, row);
    }
    return keyed.length;
  }
}
