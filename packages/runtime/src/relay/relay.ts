/**
 * The outbox relay: reads unsent outbox rows in id order, publishes them (awaiting the bus's
 * confirms), then marks them sent. It never loses a message — a row is marked only after the
 * bus confirmed it — and never reorders: one batch at a time, in id order, and a failed batch
 * is retried from its first unconfirmed row. A crash between publish and `markSent` publishes
 * those rows again: delivery is at-least-once, and idempotent consumers make it effectively
 * once. Run one relay per outbox: two would publish the same rows concurrently, out of order
 * (several app instances share one through a lease).
 * A message the broker itself refuses (too large, nacked) `maxRefusals` times in a row is
 * parked — handed to `park`, then taken off the outbox — so that the messages behind it flow.
 */
import type { Bus } from "../bus/types.js";
import { PublishError } from "../bus/types.js";
import { backoffDelay, sleep as realSleep, type BackoffOptions, type Sleep } from "../bus/backoff.js";
import type { Outbox, OutboxRow } from "../store/outbox.js";
import { describeError, messageRecord } from "../observability/logger.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import type { SpanHandle } from "../observability/tracing.js";
import { withTimeout, type Lease } from "../app/lease.js";

/** Options of the relay. */
export interface RelayOptions {
  /** Rows per publish (default 100). */
  readonly batchSize?: number;
  /** How long to wait before looking again when the outbox is empty (default 100 ms). */
  readonly pollIntervalMs?: number;
  /** Back-off while the bus or the store fails (default 100 ms doubling to 5 s). */
  readonly backoff?: BackoffOptions;
  readonly observability?: Observability;
  /** For tests. */
  readonly sleep?: Sleep;
  /**
   * Keeps a message the bus refused `maxRefusals` times (the app records it in the store's
   * `eda_parked`, runner `relay`); the message then leaves the outbox and the rest is published.
   * Without it, a refused message is retried for ever and holds back every message behind it.
   */
  readonly park?: (row: OutboxRow, error: PublishError) => Promise<void>;
  /**
   * Refusals of one message in a row before it is parked (default 10: about 20 s with the default
   * back-off, so that a queue with `overflow: reject-publish` that is full only for a while does
   * not get its messages parked).
   */
  readonly maxRefusals?: number;
  /** Refusals counted so far, by outbox id (kept across calls by the relay loop). */
  readonly refusals?: Map<number, number>;
  /**
   * Several app instances on one store: only the lease holder publishes (one relay per outbox
   * keeps the order); another takes over within the lease's time when it dies.
   */
  readonly lease?: Lease;
  /**
   * Wake-ups from appends in other processes (the store's `waitForEvents`, LISTEN/NOTIFY on
   * PostgreSQL): with them an empty outbox is waited on, not polled every `pollIntervalMs`.
   */
  readonly wakeUps?: { head(): Promise<number>; wait(after: number, signal: AbortSignal): Promise<boolean> };
}

/** A running relay. */
export interface Relay {
  /** Looks at the outbox now instead of at the next poll (call after an append). */
  notify(): void;
  /** Resolves the next time the relay finds the outbox empty (or when it stops). */
  drained(): Promise<void>;
  /** Stops after the batch in progress. */
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/**
 * Publishes one batch of unsent rows and marks it sent; resolves with the number published
 * (0 when the outbox was empty). On a failed publish it marks the confirmed leading rows sent
 * and rethrows, so the next call starts at the first unconfirmed row.
 */
export async function relayBatch(outbox: Outbox, bus: Bus, options: RelayOptions = {}): Promise<number> {
  const observability = options.observability ?? silentObservability;
  const rows = await outbox.fetchUnsent(options.batchSize ?? 100);
  if (rows.length === 0) return 0;
  const spans = rows.map((row) => observability.tracing.publish(row.envelope));
  try {
    await bus.publish(rows.map((row, i) => ({ envelope: row.envelope, headers: spans[i]?.headers ?? {} })));
  } catch (error) {
    const confirmed = error instanceof PublishError ? error.confirmed : 0;
    await markPublished(outbox, rows.slice(0, confirmed), spans, observability);
    reportFailure(rows.slice(confirmed), spans.slice(confirmed), error, observability);
    const refused = rows[confirmed];
    if (refused !== undefined && error instanceof PublishError && error.refused && (await parkRefused(outbox, refused, error, options))) return confirmed + 1;
    throw error;
  }
  await markPublished(outbox, rows, spans, observability);
  return rows.length;
}

/** Counts a refusal of `row`; parks it (and takes it off the outbox) once it reaches the limit. */
async function parkRefused(outbox: Outbox, row: OutboxRow, error: PublishError, options: RelayOptions): Promise<boolean> {
  if (options.park === undefined || options.refusals === undefined) return false;
  const count = (options.refusals.get(row.id) ?? 0) + 1;
  options.refusals.set(row.id, count);
  if (count < (options.maxRefusals ?? 10)) return false;
  await options.park(row, error);
  await outbox.markSent([row.id]);
  options.refusals.delete(row.id);
  const observability = options.observability ?? silentObservability;
  observability.metrics.parked({ runner: "relay", type: row.envelope.type, reason: "refused", blocking: false });
  observability.logger.log(messageRecord("error", "parked", row.envelope, observability.codec, { runner: "relay", error }));
  return true;
}

async function markPublished(
  outbox: Outbox,
  rows: readonly OutboxRow[],
  spans: readonly SpanHandle[],
  observability: Observability,
): Promise<void> {
  if (rows.length === 0) return;
  await outbox.markSent(rows.map((row) => row.id));
  rows.forEach((row, i) => {
    spans[i]?.end();
    observability.metrics.published({ type: row.envelope.type, stream: row.envelope.stream });
    observability.logger.log(messageRecord("info", "published", row.envelope, observability.codec));
  });
}

function reportFailure(rows: readonly OutboxRow[], spans: readonly SpanHandle[], error: unknown, observability: Observability): void {
  for (const span of spans) span.end(error);
  observability.metrics.publishFailed({ count: rows.length, error });
  // One line for the row that blocks the outbox, not one per row of the batch.
  const first = rows[0];
  if (first !== undefined) {
    observability.logger.log(messageRecord("warn", "publish-failed", first.envelope, observability.codec, { error }));
  }
}

/** Starts relaying `outbox` to `bus` until `stop()`. */
export function startRelay(outbox: Outbox, bus: Bus, options: RelayOptions = {}): Relay {
  return new RelayLoop(outbox, bus, options);
}

class RelayLoop implements Relay {
  readonly #stop = new AbortController();
  #wake = new AbortController();
  #drainedWaiters: (() => void)[] = [];
  readonly #done: Promise<void>;

  private readonly options: RelayOptions;

  constructor(
    private readonly outbox: Outbox,
    private readonly bus: Bus,
    options: RelayOptions,
  ) {
    this.options = { ...options, refusals: options.refusals ?? new Map() };
    this.#done = this.#run();
  }

  notify(): void {
    this.#wake.abort();
  }

  drained(): Promise<void> {
    if (this.#stop.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#drainedWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake.abort();
    await this.#done;
    this.#resolveDrained();
  }

  async #run(): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    const { lease, wakeUps } = this.options;
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      try {
        if (lease !== undefined && !(await lease.ensure())) {
          // Another instance publishes: nothing to drain here.
          this.#resolveDrained();
          await sleep(lease.renewMs, this.#stop.signal);
          continue;
        }
        // The head before the read: an append after it wakes the wait below.
        const head = wakeUps === undefined ? 0 : await wakeUps.head();
        const published = await relayBatch(this.outbox, this.bus, this.options);
        failures = 0;
        if (published === 0) {
          this.#resolveDrained();
          if (wakeUps === undefined) await sleep(this.options.pollIntervalMs ?? 100, this.#wake.signal);
          else await wakeUps.wait(head, withTimeout(AbortSignal.any([this.#wake.signal, this.#stop.signal]), lease?.renewMs ?? 1_000));
          if (this.#wake.signal.aborted) this.#wake = new AbortController();
        }
      } catch (error) {
        failures += 1;
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.#logError(error, failures, delay);
        await sleep(delay, this.#stop.signal);
      }
    }
    await lease?.release().catch(() => undefined);
  }

  #resolveDrained(): void {
    const waiters = this.#drainedWaiters;
    this.#drainedWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #logError(error: unknown, attempt: number, delay: number): void {
    (this.options.observability ?? silentObservability).logger.log({
      level: "warn",
      event: "relay-error",
      time: new Date().toISOString(),
      message: `the relay could not publish to ${this.bus.url}; retrying in ${delay} ms`,
      url: this.bus.url,
      attempt,
      error: describeError(error),
    });
  }
}
