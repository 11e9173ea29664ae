/**
 * One eda consumer pulling from its durable JetStream consumer. The server holds at most
 * `prefetch` unacknowledged messages out (`max_ack_pending`); the client:
 * - skips (acks) events of types it was not asked for, and replays meant for another consumer;
 * - parks a message delivered more than `maxDeliveries` times without being settled (the
 *   consumer crashed on it, timed out, or returned it each time) instead of handing it over;
 * - tells the server it is still working on every unsettled message, so a message waiting
 *   behind its stream's earlier ones is not redelivered after the ack wait;
 * - on close, returns its unsettled messages in stream order.
 */
import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { decodeEnvelope } from "../envelope-wire.js";
import type { BusMessage, FailureReason, MessageHandler, Subscription } from "../types.js";
import { readHeaders, REPLAY_FOR } from "./nats-wire.js";

const STALE = "this delivery can no longer be settled (its subscription is closed); the broker will deliver the message again";

/** What a subscription needs from its bus. */
export interface SubscriptionHost {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly ackWaitMs: number;
  readonly maxDeliveries: number;
  /** Publishes a parked copy of `raw` with its reason to the consumer's dead-letter subject. */
  park(consumer: string, raw: JsMsg, headers: Record<string, string>, reason: FailureReason): Promise<void>;
  /** Returns a delivery to the consumer and resolves once the server has processed that (never rejects). */
  returnMessage(raw: JsMsg): Promise<void>;
  forget(subscription: NatsSubscription): void;
}

/** A live subscription of one eda consumer. */
export class NatsSubscription implements Subscription {
  #closed = false;
  #messages: ConsumerMessages | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  /** Delivered and not yet settled (a redelivered copy may sit beside the first). */
  readonly #unsettled = new Set<JsMsg>();
  /** Returns waiting to be sent (see `#sendReturns`). */
  readonly #returned: JsMsg[] = [];
  #sending: Promise<void> = Promise.resolve();
  readonly #types: ReadonlySet<string> | "all";

  constructor(
    private readonly host: SubscriptionHost,
    readonly consumer: string,
    private readonly durable: string,
    private readonly handler: MessageHandler,
    types: readonly string[] | "all",
    private readonly prefetch: number,
  ) {
    this.#types = types === "all" ? "all" : new Set(types);
  }

  /** Starts pulling; the durable consumer must exist. */
  async start(): Promise<void> {
    const consumer = await this.host.js.consumers.get(this.host.stream, this.durable);
    this.#messages = await consumer.consume({ max_messages: this.prefetch, callback: (raw) => this.#onMessage(raw) });
    const every = Math.max(50, Math.floor(this.host.ackWaitMs / 3));
    this.#heartbeat = setInterval(() => {
      for (const raw of this.#unsettled) raw.working();
    }, every);
    this.#heartbeat.unref();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.host.forget(this);
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    await this.#messages?.close().catch(() => undefined);
    // Back to the consumer in stream order, ahead of messages never delivered.
    for (const raw of this.#unsettled) this.#returned.push(raw);
    this.#unsettled.clear();
    await this.#sendReturns();
  }

  /** Returns a message to the consumer; returns made in one turn are sent together. */
  #return(raw: JsMsg): void {
    this.#returned.push(raw);
    if (this.#returned.length === 1) setImmediate(() => void this.#sendReturns());
  }

  /**
   * Sends the returns highest stream sequence first, each confirmed by the server before the
   * next. nats-server 2.9 rewinds the consumer when the last delivered message is returned and
   * processes acks apart from deliveries: returns sent in another order, or without waiting,
   * can come back out of order or, worse, one of them only after its ack wait.
   */
  #sendReturns(): Promise<void> {
    const returned = this.#returned.splice(0).sort((a, b) => b.seq - a.seq);
    this.#sending = this.#sending.then(async () => {
      for (const raw of returned) await this.host.returnMessage(raw);
    });
    return this.#sending;
  }

  #onMessage(raw: JsMsg): void {
    if (this.#closed) return this.#return(raw);
    const headers = readHeaders(raw.headers);
    const replayFor = headers[REPLAY_FOR];
    if (replayFor !== undefined && replayFor !== this.consumer) return raw.ack();
    let envelope: BusMessage["envelope"];
    try {
      envelope = decodeEnvelope(raw.data);
    } catch (error) {
      return this.#parkAtOnce(raw, headers, `the message body is not an eda envelope (${(error as Error).message})`);
    }
    if (replayFor === undefined && this.#types !== "all" && !this.#types.has(envelope.type)) return raw.ack();
    const deliveries = raw.info.deliveryCount;
    if (deliveries > this.host.maxDeliveries) {
      return this.#parkAtOnce(raw, headers, `delivered ${deliveries} times without being settled (the consumer crashed, timed out or returned it each time)`, deliveries - 1);
    }
    this.#unsettled.add(raw);
    const message = this.#wrap(raw, envelope, delete_(headers, REPLAY_FOR));
    Promise.resolve()
      .then(() => this.handler(message))
      .catch(() => message.nack());
  }

  /** Parks a message the handler never sees; if parking fails, the server redelivers it later. */
  #parkAtOnce(raw: JsMsg, headers: Record<string, string>, why: string, attempts = 0): void {
    const now = new Date().toISOString();
    const reason: FailureReason = { message: why, stack: null, attempts, firstFailureAt: now, lastFailureAt: now };
    this.host.park(this.consumer, raw, headers, reason).then(
      () => raw.ack(),
      () => raw.nak(this.host.ackWaitMs),
    );
  }

  #wrap(raw: JsMsg, envelope: BusMessage["envelope"], headers: Record<string, string>): BusMessage {
    let settled = false;
    const live = (): boolean => !settled && !this.#closed;
    const settle = (action: () => void): void => {
      if (!live()) return;
      settled = true;
      this.#unsettled.delete(raw);
      action();
    };
    return {
      envelope,
      headers,
      redelivered: raw.redelivered,
      get stale() {
        return !settled && !live();
      },
      ack: async () => settle(() => raw.ack()),
      nack: async () => settle(() => this.#return(raw)),
      deadLetter: async (reason) => {
        if (!live()) throw new Error(STALE);
        await this.host.park(this.consumer, raw, headers, reason);
        // Parked: ack even if the subscription closed meanwhile (and returned the message).
        if (settled) return;
        settled = true;
        this.#unsettled.delete(raw);
        raw.ack();
      },
    };
  }
}

function delete_(headers: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = headers;
  return rest;
}
