/**
 * The NATS JetStream bus. Layout on the server (see `names.ts`, `setup.ts`):
 * - a durable events stream `<S>` (subjects `<S>.e.<type>`, interest retention, file storage);
 *   publishing waits for the stream's acknowledgement and sets `Nats-Msg-Id` to the envelope's
 *   message id, so the server drops a republished message within its duplicate window;
 * - per eda consumer a durable pull consumer with explicit acks (`nats-subscription.ts`);
 * - a dead-letter stream `<S>_DLQ` (subject `<S>.dlq.<consumer>`), parked messages carrying the
 *   failure reason in `x-eda-*` headers (`dead-letters.ts`).
 * The client reconnects by itself (with the bus's back-off, through every address of the URL);
 * pull consumers resume after a reconnect, and messages whose acks were lost are redelivered.
 */
import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { backoffDelay, type BackoffOptions } from "../backoff.js";
import { parseBrokerUrl } from "../broker-url.js";
import type { ConnectionEvent } from "../connection-event.js";
import { encodeEnvelope, reasonHeaders } from "../envelope-wire.js";
import {
  PublishError,
  type Bus,
  type DeadLetter,
  type FailureReason,
  type MessageHandler,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from "../types.js";
import type { ModuleImporter } from "../../engine/missing-driver.js";
import { deadLetterDepth, discardDeadLetters, peekDeadLetters, replayDeadLetters, type DeadLetterAccess } from "./dead-letters.js";
import type { TlsOptions } from "../../engine/tls.js";
import { loadNats, type NatsModules } from "./load-nats.js";
import { busNames, DEFAULT_STREAM, type BusNames } from "./names.js";
import { ORIGINAL_SUBJECT, writeHeaders } from "./nats-wire.js";
import { NatsSubscription, type SubscriptionHost } from "./nats-subscription.js";
import { declareConsumer, declareStreams } from "./setup.js";

/** Options of the NATS bus. */
export interface NatsBusOptions {
  /** The events stream (default: the URL's path, else `EDA_EVENTS`). */
  readonly stream?: string;
  /** How long the server waits for an ack before redelivering (default 30 s; the bus keeps held messages alive). */
  readonly ackWaitMs?: number;
  /** Deliveries after which an unsettled message is parked instead of delivered again (default 20). */
  readonly maxDeliveries?: number;
  /** The server's deduplication window for new streams (default 2 min). */
  readonly duplicateWindowMs?: number;
  /** Replicas of new streams in a cluster (default 1). */
  readonly replicas?: number;
  /** How long a publish waits for the stream's acknowledgement (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** Back-off between reconnect attempts (default 100 ms doubling to 5 s). */
  readonly reconnect?: BackoffOptions;
  /** Timeout of the first connection (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Shown in the server's connection list. */
  readonly connectionName?: string;
  /** TLS (CA; client certificate and key for mutual TLS): the connection is upgraded to TLS. */
  readonly tls?: TlsOptions;
  /**
   * The subject prefix of this connection's inboxes (default `_INBOX`): replies and pulled
   * messages arrive under it. A user of its own per service (`natsPermissions`) needs one.
   */
  readonly inboxPrefix?: string;
  readonly onEvent?: (event: ConnectionEvent) => void;
  /** For tests: how the client packages are imported. */
  readonly importer?: ModuleImporter;
}

const DEFAULT_PREFETCH = 32;
const NAK = new TextEncoder().encode("-NAK");
const DEFAULT_RECONNECT: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/** Connects (once; rejects if that fails), declares the streams and returns the bus. */
export async function openNatsBus(url: string, options: NatsBusOptions = {}): Promise<Bus> {
  const parsed = parseBrokerUrl(url);
  const stream = options.stream ?? (parsed.path === "" ? DEFAULT_STREAM : parsed.path);
  const nats = await loadNats(options.importer);
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  let attempt = 0;
  const credentials =
    parsed.password !== "" ? { user: parsed.username, pass: parsed.password } : parsed.username !== "" ? { token: parsed.username } : {};
  const nc = await nats.transport.connect({
    servers: [...parsed.addresses],
    ...credentials,
    ...(options.tls === undefined ? {} : { tls: { ...options.tls } }),
    ...(options.inboxPrefix === undefined ? {} : { inboxPrefix: options.inboxPrefix }),
    name: options.connectionName ?? "eda-runtime",
    timeout: options.connectTimeoutMs ?? 5_000,
    maxReconnectAttempts: -1,
    // Addresses in the order given, as the RabbitMQ bus tries them: the first is the preferred one.
    noRandomize: true,
    reconnectJitter: 0,
    reconnectDelayHandler: () => backoffDelay(++attempt, reconnect),
  });
  try {
    const jsm = await nats.jetstream.jetstreamManager(nc);
    const names = busNames(stream);
    await declareStreams(jsm, names, { replicas: options.replicas ?? 1, duplicateWindowMs: options.duplicateWindowMs ?? 120_000 });
    const bus = new NatsBus(parsed.shown, nc, nats, jsm, names, options);
    bus.watch(options.onEvent, () => (attempt = 0));
    return bus;
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw error;
  }
}

class NatsBus implements Bus, SubscriptionHost {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly ackWaitMs: number;
  readonly maxDeliveries: number;
  readonly #publishTimeoutMs: number;
  readonly #subscriptions = new Set<NatsSubscription>();
  readonly #access: DeadLetterAccess;
  #connected = true;
  #closed = false;

  constructor(
    readonly url: string,
    private readonly nc: NatsConnection,
    private readonly nats: NatsModules,
    private readonly jsm: JetStreamManager,
    private readonly names: BusNames,
    options: NatsBusOptions,
  ) {
    this.js = nats.jetstream.jetstream(nc);
    this.stream = names.stream;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.maxDeliveries = options.maxDeliveries ?? 20;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.#access = { js: this.js, jsm, names, newHeaders: () => nats.transport.headers(), publishTimeoutMs: this.#publishTimeoutMs };
  }

  /** Follows the connection's status: publishing fails fast while it is down; events go to logs. */
  watch(onEvent: ((event: ConnectionEvent) => void) | undefined, onReconnected: () => void): void {
    void (async () => {
      let attempts = 0;
      for await (const status of this.nc.status()) {
        if (status.type === "disconnect") {
          this.#connected = false;
          attempts = 0;
          if (!this.#closed) onEvent?.({ kind: "lost", error: null });
        } else if (status.type === "reconnecting") {
          attempts += 1;
        } else if (status.type === "reconnect") {
          this.#connected = true;
          onReconnected();
          onEvent?.({ kind: "reconnected", attempt: Math.max(1, attempts), address: status.server });
        }
      }
    })();
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new PublishError(`the bus ${this.url} is closed`, 0);
    if (!this.#connected) throw new PublishError(`not connected to ${this.url} (reconnecting)`, 0);
    // Sent in order on one connection, so the stream stores them in order; acks come back in parallel.
    const acks = messages.map((m) =>
      this.js.publish(this.names.eventSubject(m.envelope.type), encodeEnvelope(m.envelope), {
        msgID: m.envelope.messageId,
        headers: writeHeaders(this.nats.transport.headers(), m.headers ?? {}),
        expect: { streamName: this.stream },
        timeout: this.#publishTimeoutMs,
      }),
    );
    const settled = await Promise.allSettled(acks);
    const failed = settled.findIndex((s) => s.status === "rejected");
    if (failed === -1) return;
    const cause = (settled[failed] as PromiseRejectedResult).reason as unknown;
    // A message above the server's or the stream's size limit is refused, not lost in transit: the relay parks it.
    const refused = /max(imum)?[ _]payload|message size exceeds|exceeds maximum/i.test(describe(cause));
    throw new PublishError(`the stream did not acknowledge message ${failed + 1} of ${messages.length}: ${describe(cause)}`, failed, { cause, refused });
  }

  async subscribe(consumer: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw new Error(`the bus ${this.url} is closed`);
    const prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    await declareConsumer(this.jsm, this.names, consumer, { prefetch, ackWaitMs: this.ackWaitMs });
    const subscription = new NatsSubscription(this, consumer, this.names.durable(consumer), handler, options.types ?? "all", prefetch);
    this.#subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close();
      throw error;
    }
    return subscription;
  }

  async peekDeadLetters(consumer: string, limit = Number.POSITIVE_INFINITY): Promise<DeadLetter[]> {
    return peekDeadLetters(this.#access, consumer, limit);
  }

  async deadLetterDepth(consumer: string): Promise<number> {
    return deadLetterDepth(this.#access, consumer);
  }

  async replayDeadLetters(consumer: string, options: { readonly limit?: number } = {}): Promise<number> {
    return replayDeadLetters(this.#access, consumer, options.limit ?? Number.POSITIVE_INFINITY);
  }

  async discardDeadLetters(consumer: string, options: { readonly messageId?: string } = {}): Promise<number> {
    return discardDeadLetters(this.#access, consumer, options.messageId);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const subscription of [...this.#subscriptions]) await subscription.close();
    // Let the returns and acks reach the server, but do not wait on a server that is gone.
    await Promise.race([this.nc.flush(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]).catch(() => undefined);
    await this.nc.close().catch(() => undefined);
  }

  async park(consumer: string, raw: JsMsg, headers: Record<string, string>, reason: FailureReason): Promise<void> {
    const parked = { ...reasonHeaders(consumer, headers, reason), [ORIGINAL_SUBJECT]: raw.subject };
    await this.js.publish(this.names.deadLetterSubject(consumer), raw.data, {
      // The same delivery parked twice (a crash before its ack) is stored once.
      msgID: `${this.names.durable(consumer)}:${raw.seq}`,
      headers: writeHeaders(this.nats.transport.headers(), parked),
      expect: { streamName: this.names.deadLetterStream },
      timeout: this.#publishTimeoutMs,
    });
  }

  async returnMessage(raw: JsMsg): Promise<void> {
    // A nak sent as a request: the server answers once it has processed it.
    const reply = (raw as unknown as { reply?: unknown }).reply;
    // Disconnected, nothing would answer before the timeout: send it plainly (buffered by the client).
    if (typeof reply !== "string" || reply === "" || !this.#connected) return raw.nak();
    await this.nc.request(reply, NAK, { timeout: this.#publishTimeoutMs }).then(
      () => undefined,
      () => raw.nak(),
    );
  }

  forget(subscription: NatsSubscription): void {
    this.#subscriptions.delete(subscription);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
