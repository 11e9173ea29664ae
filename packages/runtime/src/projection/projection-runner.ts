/**
 * Keeps a projection's rows current. Each batch is read from the global log, folded into rows,
 * and committed in ONE store transaction together with the projection's checkpoint — so a crash
 * at any point either keeps the whole batch or none of it: no event is applied twice or skipped.
 * The next batch is read only after the previous one committed (back-pressure), and an optional
 * rate limit paces replays. An event that cannot be read or applied is parked or stops this
 * projection (its `onPoison` policy), never the process: `run` does not reject.
 */
import { backoffDelay, sleep as realSleep, type BackoffOptions, type Sleep } from "../bus/backoff.js";
import { personalValuesOf, type Redactor } from "../codec/personal-values.js";
import { describeError, messageRecord } from "../observability/logger.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import { parkedEvent, type ParkedEvent, type PoisonPolicy, type RetryReport } from "../parking/parked.js";
import { parkedTable } from "../parking/parked-table.js";
import { UnstorableRowError } from "../store/checks.js";
import type { Checkpoint, EventStore, StoreTransaction } from "../store/event-store.js";
import type { EventCodec, StoredEvent } from "../types.js";
import { foldBatch, type Decoded, type FoldFailure, type FoldResult } from "./fold.js";
import type { BatchReport, Projection, ProjectionLag } from "./projection.js";
import { RateLimiter } from "./rate-limiter.js";
import { withTimeout, type Lease } from "../app/lease.js";

/** Options for a `ProjectionRunner`. */
export interface ProjectionRunnerOptions {
  /** Events read per batch and transaction (default 500). */
  readonly batchSize?: number;
  /** Upper bound on events processed per second, for replays that must not flood the database. */
  readonly maxEventsPerSecond?: number;
  /** Called after each committed batch (metrics). */
  readonly onBatch?: (report: BatchReport) => void;
  readonly clock?: () => Date;
  /**
   * An event that cannot be read or whose handler throws: `"stop"` (default) applies nothing
   * after it until it is retried — the rows stay a consistent prefix of the log, and the stop
   * is reported; `"park"` records it and goes on without it.
   */
  readonly onPoison?: PoisonPolicy;
  /** Logs and metrics of parked events and of failed batches in `run`. */
  readonly observability?: Observability;
  /** `run`: back-off after a failed batch, e.g. while the database is away (default 100 ms doubling to 5 s). */
  readonly backoff?: BackoffOptions;
  /** For tests: the waits of `run`. */
  readonly sleep?: Sleep;
  /**
   * Several app instances on one store: `run` advances the projection only while this instance
   * holds the lease (the others wait to take it over), and releases it when it stops.
   */
  readonly lease?: Lease;
}

/** Thrown inside a batch when another runner moved the checkpoint first; the batch is retried. */
class CheckpointMoved extends Error {}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

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
  private readonly policy: PoisonPolicy;
  private readonly obs: Observability;
  /** The checkpoint as this runner last committed or read it; the transaction re-checks it. */
  private known: number | undefined;
  /** The blocking parked event, once looked up (null: none). */
  private blocked: ParkedEvent | null | undefined;
  /** Stopped at `blocked` in this process: no batch until `retryParked` (a restart tries it once). */
  private halted = false;
  /** Wakes `run` when a stopped projection is retried. */
  private resume = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly codec: Pick<EventCodec<E>, "deserialize"> & Partial<Pick<EventCodec<E>, "redact">>,
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
    this.policy = options.onPoison ?? "stop";
    this.obs = options.observability ?? silentObservability;
  }

  /** The projection's name. */
  get name(): string {
    return this.projection.name;
  }

  /** The runner's name in parked records, logs and metrics: `projection:<name>`. */
  get runner(): string {
    return this.checkpointName;
  }

  /** The event this projection stopped at (policy `"stop"`), or null while it runs. */
  get stoppedAt(): ParkedEvent | null {
    return this.halted ? (this.blocked ?? null) : null;
  }

  /**
   * Applies batches until the projection has reached the head — or stopped at an event it
   * cannot apply; returns the events read. Store errors reject (the caller decides to retry).
   */
  async catchUp(signal?: AbortSignal): Promise<number> {
    const limiter = new RateLimiter(this.options.maxEventsPerSecond);
    let total = 0;
    while (!aborted(signal)) {
      // A long replay keeps its lease; one lost meanwhile ends it here (the new holder goes on).
      if (this.options.lease !== undefined && !(await this.options.lease.ensure())) break;
      const read = await this.step(limiter.batchSize(this.batchSize));
      if (read === 0) break;
      total += read;
      await limiter.consume(read, signal);
    }
    return total;
  }

  /**
   * Keeps the projection current until `signal` aborts (or the store closes): catches up, then
   * waits for new events, and so on. Never rejects: a failed batch (the database away) is logged
   * and retried with back-off; a stopped projection waits for `retryParked`.
   */
  async run(signal?: AbortSignal): Promise<void> {
    try {
      await this.runLoop(signal);
    } finally {
      await this.options.lease?.release().catch(() => undefined);
    }
  }

  private async runLoop(signal: AbortSignal | undefined): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    const lease = this.options.lease;
    let failures = 0;
    while (!aborted(signal)) {
      try {
        if (lease !== undefined && !(await lease.ensure())) {
          await sleep(lease.renewMs, signal);
          continue;
        }
        await this.catchUp(signal);
        failures = 0;
        if (aborted(signal)) return;
        if (this.halted) {
          await sleep(2 ** 31 - 1, AbortSignal.any([this.resume.signal, ...(signal ? [signal] : [])]));
          continue;
        }
        const { position } = await this.checkpoint();
        // A lease holder wakes in time to renew it.
        const wait = lease === undefined ? signal : withTimeout(signal, lease.renewMs);
        if (!(await this.store.waitForEvents(position, wait)) && wait?.aborted !== true) return;
      } catch (error) {
        failures += 1;
        this.known = undefined;
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.reportError(error, failures, delay);
        await sleep(delay, signal);
      }
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

  /** The events this projection parked (or stopped at), oldest first. */
  async parked(): Promise<ParkedEvent[]> {
    return this.store.transaction((tx) => parkedTable(tx).list(this.checkpointName));
  }

  /**
   * Tries the parked events again, once the model or the code is fixed: a stopped projection
   * resumes at the event it stopped at (and stops again if it still fails); events parked under
   * `"park"` are applied now, after the events that followed them. Resolves with what went through.
   */
  async retryParked(): Promise<RetryReport> {
    let retried = 0;
    let stillParked = 0;
    for (const p of await this.parked()) {
      if (p.blocking) continue;
      if (await this.retryOne(p)) retried += 1;
      else stillParked += 1;
    }
    const blocked = this.blocked === undefined ? await this.loadBlocked() : this.blocked;
    if (blocked !== null) {
      this.halted = false;
      this.known = undefined;
      await this.catchUp();
      if (this.halted && this.blocked?.globalPosition === blocked.globalPosition) stillParked += 1;
      else retried += 1;
      this.resume.abort();
      this.resume = new AbortController();
    }
    return { retried, stillParked };
  }

  /** Reads and commits one batch; returns the events read (0 when caught up or stopped). */
  private async step(size: number, careful = false): Promise<number> {
    const started = Date.now();
    // Stopped at an event the runner could not apply: nothing after it until it is retried.
    if (this.halted) return 0;
    const position = this.known ?? (await this.readState());
    const batch = await this.store.readAll(position + 1, size);
    if (batch.length === 0) return 0;
    // Deserialize before the transaction opens: the transaction holds the checkpoint's lock.
    const decoded = batch.filter((e) => this.types.has(e.type)).map((e) => this.decode(e));
    try {
      const { result, end, blocked } = await this.store.transaction(async (tx) => {
        const current = await tx.getCheckpoint(this.checkpointName);
        if ((current?.position ?? 0) !== position) throw new CheckpointMoved();
        const folded = await foldBatch(tx, this.projection, decoded, this.policy, careful);
        const end = this.endOf(batch, folded, current);
        const blocked = await this.recordParking(tx, folded, end.position);
        await tx.setCheckpoint(this.checkpointName, end);
        return { result: folded, end, blocked };
      });
      this.known = end.position;
      this.blocked = blocked;
      this.halted = result.stoppedAt !== undefined;
      this.report(result);
      const read = end.position - position;
      this.options.onBatch?.({ projection: this.projection.name, events: read, applied: result.applied, checkpoint: end.position, durationMs: Date.now() - started });
      return read;
    } catch (error) {
      // Someone else applied this batch; read again from the checkpoint they left.
      this.known = undefined;
      if (error instanceof CheckpointMoved) return this.step(size, careful);
      // A row holding U+0000: fold again, checking each row, to find the event that made it.
      if (error instanceof UnstorableRowError && error.table === this.projection.name && !careful) return this.step(size, true);
      throw error;
    }
  }

  private decode(envelope: StoredEvent): Decoded<E> {
    try {
      return { envelope, event: this.codec.deserialize(envelope) };
    } catch (error) {
      return { envelope, error };
    }
  }

  /** The checkpoint after the batch: its last event, or the event before the one it stopped at. */
  private endOf(batch: readonly StoredEvent[], folded: FoldResult, current: Checkpoint | null): Checkpoint {
    const stop = folded.stoppedAt?.envelope.globalPosition;
    if (stop === undefined) {
      const last = batch[batch.length - 1] as StoredEvent;
      return { position: last.globalPosition, lastEventTime: last.time };
    }
    const before = batch.find((e) => e.globalPosition === stop - 1);
    return { position: stop - 1, lastEventTime: before?.time ?? current?.lastEventTime ?? null };
  }

  /**
   * Parks what failed and forgets a blocking event that went through, in the batch's
   * transaction; resolves with the blocking event afterwards (applied to the runner after commit).
   */
  private async recordParking(tx: StoreTransaction, folded: FoldResult, end: number): Promise<ParkedEvent | null> {
    const table = parkedTable(tx);
    const time = this.clock().toISOString();
    let blocked = this.blocked ?? null;
    if (blocked !== null && blocked.globalPosition <= end) {
      await table.unpark(this.checkpointName, blocked.globalPosition);
      blocked = null;
    }
    const failures = [...folded.parked.map((f) => [f, false] as const), ...(folded.stoppedAt ? [[folded.stoppedAt, true] as const] : [])];
    for (const [failure, blocking] of failures) {
      const before = await table.get(this.checkpointName, failure.envelope.globalPosition);
      const personal = this.personalValues(failure.envelope);
      const record = parkedEvent(this.checkpointName, failure.envelope, failure.reason, failure.error, { blocking, attempts: (before?.attempts ?? 0) + 1, time, personal });
      await table.park(record);
      if (blocking) blocked = record;
    }
    return blocked;
  }

  /** Applies one parked event now, in its own transaction with the removal of its record. */
  private async retryOne(p: ParkedEvent): Promise<boolean> {
    const [envelope] = await this.store.readAll(p.globalPosition, 1);
    if (envelope === undefined || envelope.globalPosition !== p.globalPosition) return false;
    const decoded = this.decode(envelope);
    const folded = await this.store.transaction(async (tx) => {
      const result = await foldBatch(tx, this.projection, [decoded], "park");
      const table = parkedTable(tx);
      const failure = result.parked[0];
      if (failure === undefined) await table.unpark(this.checkpointName, p.globalPosition);
      else {
        const personal = this.personalValues(envelope);
        await table.park(parkedEvent(this.checkpointName, envelope, failure.reason, failure.error, { blocking: false, attempts: p.attempts + 1, time: this.clock().toISOString(), personal }));
      }
      return result;
    });
    this.report(folded);
    return folded.parked.length === 0;
  }

  /** The checkpoint, and (the first time) the event a stopped projection waits at, in one read. */
  private async readState(): Promise<number> {
    const [checkpoint, parked] = await this.store.transaction(async (tx) => [
      await tx.getCheckpoint(this.checkpointName),
      this.blocked === undefined ? await parkedTable(tx).list(this.checkpointName) : null,
    ] as const);
    if (parked !== null) this.blocked = parked.find((p) => p.blocking) ?? null;
    return checkpoint?.position ?? 0;
  }

  private async loadBlocked(): Promise<ParkedEvent | null> {
    return (await this.parked()).find((p) => p.blocking) ?? null;
  }

  private report(folded: FoldResult): void {
    for (const failure of folded.parked) this.reportParked(failure, false);
    if (folded.stoppedAt) this.reportParked(folded.stoppedAt, true);
  }

  /** The event's `@pii` values, masked in the parked record's error: by the logs' codec, else the runner's own. */
  private personalValues(envelope: StoredEvent): string[] {
    const codec = this.obs.codec ?? (typeof this.codec.redact === "function" ? (this.codec as Redactor) : null);
    return personalValuesOf(codec, envelope);
  }

  private reportParked(failure: FoldFailure, blocking: boolean): void {
    const { envelope, reason, error } = failure;
    this.obs.metrics.parked({ runner: this.checkpointName, type: envelope.type, reason, blocking });
    this.obs.logger.log(messageRecord("error", "parked", envelope, this.obs.codec, { runner: this.checkpointName, blocking, error }));
  }

  private reportError(error: unknown, attempt: number, delay: number): void {
    this.obs.logger.log({
      level: "warn",
      event: "runner-error",
      time: new Date().toISOString(),
      message: `projection ${this.projection.name}: a batch failed; retrying in ${delay} ms`,
      runner: this.checkpointName,
      attempt,
      error: describeError(error),
    });
  }
}
