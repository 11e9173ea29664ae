/**
 * Idempotent consumers with retry and a dead-letter queue.
 *
 * - Idempotent: each message runs through `processed.runOnce`, which records its id in the
 *   same unit of work as the handler's writes; a redelivered message is acked and skipped.
 * - Ordered per stream: messages of one stream are handled one at a time, in delivery order;
 *   other streams run side by side (up to the prefetch window).
 * - Retried: a failing handler is tried again up to `maxRetries` times with exponential
 *   back-off, holding back only its own stream. A `CircuitOpenError` does not spend a retry:
 *   the consumer waits for the breaker's `retryAt` instead; nor does a lost connection (the
 *   processed-message record's database away, or a service the handler calls:
 *   `isTransientStoreError`): the message is not at fault, so it is tried again with back-off
 *   while the outage lasts, up to `retry.outageMs` (10 minutes) — beyond that each attempt counts
 *   and the message is parked, so a dependency that stays down does not hold its stream for good.
 * - Parked: after 1 + maxRetries failed attempts the message goes to the consumer's
 *   dead-letter queue with its failure reason, and its stream moves on — later messages of
 *   the same stream are handled (the poison message is out of the way; replay it once fixed).
 */
import type { StoredEvent } from "../types.js";
import type { Bus, BusMessage, FailureReason, Headers, Subscription } from "../bus/types.js";
import { backoffDelay, sleep as realSleep, type BackoffOptions, type Sleep } from "../bus/backoff.js";
import { describeError, messageRecord, type MessageLogDetails, type MessageLogEvent } from "../observability/logger.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import { isDeserializeError } from "../codec/deserialize-error.js";
import { maskedError, personalValuesOf } from "../codec/personal-values.js";
import { isTransientStoreError } from "../store/transient.js";
import { CircuitOpenError } from "./circuit-breaker.js";
import type { ProcessedMessages } from "./processed-messages.js";
import { StreamLanes } from "./stream-lanes.js";

/** What a handler gets beside the envelope. */
export interface HandlerContext<TX> {
  /** The unit of work the processed-message record commits with; write through it. */
  readonly tx: TX;
  readonly consumer: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly headers: Headers;
}

/** Handles one event; a throw means "try again later". */
export type EventHandler<TX> = (envelope: StoredEvent, context: HandlerContext<TX>) => Promise<void>;

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt; the message is parked after 1 + maxRetries failures. */
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  /**
   * How long a lost connection (`isTransientStoreError`: a database failover, a refused or reset
   * connection, the handler's own calls included) is waited out without spending a retry, from
   * the first such failure of the message (default 10 minutes). Beyond it each counts as a failure,
   * so a dependency that stays down parks its messages instead of holding their stream for good.
   */
  readonly outageMs?: number;
}

const DEFAULT_OUTAGE_MS = 600_000;

/** The default: 3 retries, 200 ms doubling up to 10 s; lost connections waited out for 10 minutes. */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, backoff: { initialMs: 200, maxMs: 10_000 }, outageMs: DEFAULT_OUTAGE_MS };

/** Options of a consumer. */
export interface ConsumerOptions<TX> {
  /** The consumer's name: its queue, its dead-letter queue and its processed-message records. */
  readonly name: string;
  readonly types?: readonly string[] | "all";
  readonly handle: EventHandler<TX>;
  /** Where processed ids are recorded: `memoryProcessedMessages()` or `storeProcessedMessages(store)`. */
  readonly processed: ProcessedMessages<TX>;
  readonly retry?: Partial<RetryPolicy>;
  /** Unacknowledged messages in flight (default 32): the room other streams have while one waits. */
  readonly prefetch?: number;
  readonly observability?: Observability;
  /** For tests: waits between attempts. */
  readonly sleep?: Sleep;
  /** For tests: the time used for lag and failure times. */
  readonly clock?: () => Date;
}

/** A running consumer. */
export interface RunningConsumer {
  readonly name: string;
  /** Resolves once every delivered message has been handled, parked or returned. */
  idle(): Promise<void>;
  /** Stops taking messages, lets the ones in hand finish (retry waits are cut short and the message returned), and unsubscribes. */
  close(): Promise<void>;
}

/** Subscribes `options.name` on `bus` and handles its messages until `close()`. */
export async function startConsumer<TX>(bus: Bus, options: ConsumerOptions<TX>): Promise<RunningConsumer> {
  const consumer = new Consumer(bus, options);
  await consumer.start();
  return consumer;
}

type Attempt = { readonly ok: true; readonly ran: boolean } | { readonly ok: false; readonly error: unknown };

class Consumer<TX> implements RunningConsumer {
  readonly name: string;
  readonly #lanes = new StreamLanes();
  readonly #abort = new AbortController();
  readonly #retry: RetryPolicy;
  readonly #obs: Observability;
  readonly #sleep: Sleep;
  readonly #clock: () => Date;
  #subscription: Subscription | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly options: ConsumerOptions<TX>,
  ) {
    this.name = options.name;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#obs = options.observability ?? silentObservability;
    this.#sleep = options.sleep ?? realSleep;
    this.#clock = options.clock ?? (() => new Date());
  }

  async start(): Promise<void> {
    const subscribeOptions = {
      types: this.options.types ?? "all",
      ...(this.options.prefetch === undefined ? {} : { prefetch: this.options.prefetch }),
    };
    this.#subscription = await this.bus.subscribe(this.name, (m) => this.#receive(m), subscribeOptions);
  }

  idle(): Promise<void> {
    return this.#lanes.idle();
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#lanes.idle();
    await this.#subscription?.close();
  }

  /** Returns at once so the bus can deliver more; the message's stream lane does the work. */
  async #receive(message: BusMessage): Promise<void> {
    void this.#lanes.run(message.envelope.stream, () => this.#process(message));
  }

  async #process(message: BusMessage): Promise<void> {
    const started = this.#clock().getTime();
    this.#log("info", "consume-started", message.envelope, {});
    const failures: Date[] = [];
    let lastError: unknown;
    let outages = 0;
    let outageSince: number | undefined;
    for (let attempt = 1; attempt <= 1 + this.#retry.maxRetries; ) {
      if (this.#abort.signal.aborted || message.stale) return message.nack();
      const outcome = await this.#attempt(message, attempt);
      if (outcome.ok) {
        await message.ack();
        return this.#reportConsumed(message, started, outcome.ran);
      }
      if (outcome.error instanceof CircuitOpenError) {
        await this.#sleep(this.#waitForCircuit(outcome.error), this.#abort.signal);
        continue;
      }
      outageSince = isTransientStoreError(outcome.error) ? (outageSince ?? this.#clock().getTime()) : undefined;
      if (outageSince !== undefined && this.#clock().getTime() - outageSince < (this.#retry.outageMs ?? DEFAULT_OUTAGE_MS)) {
        // A database failover outlasts any retry budget; parking would lose the effect until a replay.
        outages += 1;
        this.#reportFailure(message, attempt, outcome.error, false);
        await this.#sleep(backoffDelay(outages, this.#retry.backoff), this.#abort.signal);
        continue;
      }
      failures.push(this.#clock());
      lastError = outcome.error;
      const permanent = isPermanentFailure(outcome.error);
      this.#reportFailure(message, attempt, outcome.error, permanent || attempt > this.#retry.maxRetries);
      if (permanent) break;
      if (attempt <= this.#retry.maxRetries) await this.#sleep(backoffDelay(attempt, this.#retry.backoff), this.#abort.signal);
      attempt += 1;
    }
    await this.#park(message, reasonOf(lastError, failures, this.#personalValues(message.envelope)), lastError);
  }

  async #attempt(message: BusMessage, attempt: number): Promise<Attempt> {
    const { envelope, headers } = message;
    const span = this.#obs.tracing.consume(this.name, envelope, headers);
    try {
      const context = (tx: TX): HandlerContext<TX> => ({ tx, consumer: this.name, attempt, headers });
      const ran = await span.run(() =>
        this.options.processed.runOnce(this.name, envelope.messageId, (tx) => this.options.handle(envelope, context(tx))),
      );
      span.end();
      return { ok: true, ran };
    } catch (error) {
      span.end(maskedError(error, this.#personalValues(envelope)));
      return { ok: false, error };
    }
  }

  /** The message's `@pii` values (by the logs' codec), masked in what its failure reports. */
  #personalValues(envelope: StoredEvent): string[] {
    return personalValuesOf(this.#obs.codec, envelope);
  }

  #waitForCircuit(error: CircuitOpenError): number {
    // At least the first back-off step, so that callers queued behind a probe do not spin.
    return Math.max(this.#retry.backoff.initialMs, error.retryAt - this.#clock().getTime());
  }

  async #park(message: BusMessage, reason: FailureReason, cause: unknown): Promise<void> {
    try {
      await message.deadLetter(reason);
    } catch (error) {
      // The dead-letter queue is out of reach: return the message; it will be tried again.
      this.#log("error", "dead-letter-failed", message.envelope, { error });
      return message.nack();
    }
    this.#log("error", "dead-lettered", message.envelope, { attempt: reason.attempts, error: cause });
    const depth = await this.bus.deadLetterDepth(this.name).catch(() => null);
    if (depth !== null) this.#obs.metrics.deadLetterDepth({ consumer: this.name, depth });
  }

  #reportConsumed(message: BusMessage, started: number, ran: boolean): void {
    const now = this.#clock().getTime();
    const { envelope } = message;
    const lagMs = Math.max(0, now - Date.parse(envelope.time));
    const sample = { consumer: this.name, type: envelope.type, lagMs, durationMs: now - started, duplicate: !ran };
    this.#obs.metrics.consumed(sample);
    this.#log("info", ran ? "consumed" : "duplicate-skipped", envelope, {});
  }

  /** `final`: the message is parked after this failure. */
  #reportFailure(message: BusMessage, attempt: number, error: unknown, final: boolean): void {
    this.#obs.metrics.failed({ consumer: this.name, type: message.envelope.type, attempt, final });
    this.#log("warn", "handler-failed", message.envelope, { attempt, error });
  }

  #log(level: "info" | "warn" | "error", event: MessageLogEvent, envelope: StoredEvent, details: MessageLogDetails): void {
    this.#obs.logger.log(messageRecord(level, event, envelope, this.#obs.codec, { consumer: this.name, ...details }));
  }
}

/**
 * Whether retrying cannot help: the event does not deserialize (`DeserializeError`), or the
 * error says so itself (`permanent: true`, as the choreography's invalid-command error does).
 */
export function isPermanentFailure(error: unknown): boolean {
  return isDeserializeError(error) || (typeof error === "object" && error !== null && (error as { permanent?: unknown }).permanent === true);
}

/** The reason recorded with a parked message. */
function reasonOf(error: unknown, failures: readonly Date[], personal: readonly string[]): FailureReason {
  const { message, stack } = describeError(error, personal);
  const first = failures[0] ?? new Date();
  const last = failures[failures.length - 1] ?? first;
  return {
    message,
    stack,
    attempts: failures.length,
    firstFailureAt: first.toISOString(),
    lastFailureAt: last.toISOString(),
  };
}
