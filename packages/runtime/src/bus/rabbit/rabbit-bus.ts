/**
 * The RabbitMQ bus. Topology, declared again on every (re)connection:
 * - one durable topic exchange (default `eda.events`); the routing key is the event type;
 * - per consumer a durable queue named after it, bound to its types (`#` for all), with
 *   single-active-consumer (a second instance waits as a standby, so stream order holds) and
 *   the default exchange as dead-letter exchange towards `<consumer>.dlq`;
 * - per consumer a durable `<consumer>.dlq`. Parked messages are published there explicitly
 *   with the reason in `x-eda-*` headers; a malformed message is rejected (and, on a quorum
 *   queue, one delivered more than its delivery limit) reaches it through the dead-letter
 *   exchange.
 * New queues are of the bus's queue type (classic or quorum, `queues.ts`); existing ones keep
 * theirs. The URL may list several addresses (`amqp://u:p@host1,host2/vhost`): the connection
 * fails over between them.
 * Messages are persistent, published on a confirm channel, consumed with manual acks and a
 * prefetch limit.
 */
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import { RabbitConnection, type RabbitConnectionOptions } from "./connection.js";
import { publishConfirmed, type Publication } from "./confirm.js";
import { decodeEnvelope, encodeEnvelope, reasonHeaders } from "../envelope-wire.js";
import { publishOptions, readHeaders } from "./wire.js";
import { discardDeadLetters, peekDeadLetters, replayDeadLetters } from "./dead-letters.js";
import { deadLetterQueueOf, declareConsumerQueues, type QueueDeclared, type QueueType } from "./queues.js";
import { parseBrokerUrl, withoutParam } from "../broker-url.js";
import {
  PublishError,
  type Bus,
  type BusMessage,
  type DeadLetter,
  type FailureReason,
  type MessageHandler,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from "../types.js";

/** Options of the RabbitMQ bus. */
export interface RabbitBusOptions extends RabbitConnectionOptions {
  /** The topic exchange events are published to (default `eda.events`). */
  readonly exchange?: string;
  /** The type of new queues (default `DEFAULT_QUEUE_TYPE`; the URL's `queue-type` parameter wins). */
  readonly queueType?: QueueType;
  /** Told when an existing queue keeps a type other than the wanted one. */
  readonly onQueueTypeKept?: (declared: QueueDeclared) => void;
}

/**
 * The type of new queues when nothing else is said: quorum queues, replicated in a cluster and
 * with a delivery limit, cost nothing on one node (`pnpm bench`: publishing with confirms is
 * faster than on classic queues, consuming the same).
 */
export const DEFAULT_QUEUE_TYPE: QueueType = "quorum";

/** The URL parameter that chooses the queue type of new queues. */
export const QUEUE_TYPE_PARAM = "queue-type";

const DEFAULT_PREFETCH = 32;
const STALE = "this delivery can no longer be settled (its channel is gone); the broker will deliver the message again";


/** Connects to RabbitMQ (once, trying each address; rejects if that fails) and declares the exchange. */
export async function openRabbitBus(url: string, options: RabbitBusOptions = {}): Promise<Bus> {
  const parsed = parseBrokerUrl(url);
  const fromUrl = parsed.params.get(QUEUE_TYPE_PARAM);
  if (fromUrl !== undefined && fromUrl !== "classic" && fromUrl !== "quorum") {
    throw new Error(`the ${QUEUE_TYPE_PARAM} parameter of ${parsed.shown} must be classic or quorum, not ${JSON.stringify(fromUrl)}`);
  }
  const queueType = fromUrl ?? options.queueType ?? DEFAULT_QUEUE_TYPE;
  const urls = parsed.urls.map((u) => withoutParam(u, QUEUE_TYPE_PARAM));
  const bus = new RabbitBus(parsed.shown, options.exchange ?? "eda.events", queueType, options.onQueueTypeKept ?? (() => undefined));
  await bus.start(urls, options);
  return bus;
}

class RabbitBus implements Bus {
  #connection: RabbitConnection | null = null;
  #publisher: ConfirmChannel | null = null;
  readonly #subscriptions = new Set<RabbitSubscription>();
  /** Queues already reported as keeping their type (once per bus, not on every reconnect). */
  readonly #reported = new Set<string>();

  constructor(
    readonly url: string,
    readonly exchange: string,
    readonly queueType: QueueType,
    private readonly onQueueTypeKept: (declared: QueueDeclared) => void,
  ) {}

  async start(urls: readonly string[], options: RabbitConnectionOptions): Promise<void> {
    this.#connection = await RabbitConnection.open(
      urls,
      (model) => this.#setup(model),
      options,
      (model) => this.#attachLate(model),
    );
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const items = messages.map(
      (m): Publication => ({
        exchange: this.exchange,
        routingKey: m.envelope.type,
        content: encodeEnvelope(m.envelope),
        options: publishOptions(m.envelope, m.headers),
      }),
    );
    await publishConfirmed(this.#requirePublisher(), items);
  }

  async subscribe(consumer: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const subscription = new RabbitSubscription(this, consumer, handler, options);
    this.#subscriptions.add(subscription);
    const model = this.#connection?.current ?? null;
    // While reconnecting the subscription is only recorded: the next setup attaches it.
    if (model !== null) {
      try {
        await subscription.attach(model);
      } catch (error) {
        await subscription.close();
        throw error;
      }
    }
    return subscription;
  }

  async peekDeadLetters(consumer: string, limit = Number.POSITIVE_INFINITY): Promise<DeadLetter[]> {
    return this.#withChannel((channel) => peekDeadLetters(channel, consumer, deadLetterQueueOf(consumer), limit), []);
  }

  async deadLetterDepth(consumer: string): Promise<number> {
    return this.#withChannel(async (channel) => (await channel.checkQueue(deadLetterQueueOf(consumer))).messageCount, 0);
  }

  async replayDeadLetters(consumer: string, options: { readonly limit?: number } = {}): Promise<number> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    return this.#withChannel((channel) => replayDeadLetters(channel, deadLetterQueueOf(consumer), consumer, limit), 0);
  }

  async discardDeadLetters(consumer: string, options: { readonly messageId?: string } = {}): Promise<number> {
    return this.#withChannel((channel) => discardDeadLetters(channel, consumer, deadLetterQueueOf(consumer), options.messageId), 0);
  }

  async close(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.closed = true;
    this.#subscriptions.clear();
    this.#publisher = null;
    await this.#connection?.close();
  }

  /** Publishes a parked message with its reason to the consumer's dead-letter queue. */
  async park(consumer: string, message: BusMessage, content: Buffer, reason: FailureReason): Promise<void> {
    const headers = reasonHeaders(consumer, message.headers, reason);
    await publishConfirmed(this.#requirePublisher(), [
      { exchange: "", routingKey: deadLetterQueueOf(consumer), content, options: publishOptions(message.envelope, headers) },
    ]);
  }

  /** Reports queues that kept a type other than the wanted one. */
  declared(results: readonly QueueDeclared[]): void {
    for (const result of results) {
      if (result.actual === result.wanted || this.#reported.has(result.queue)) continue;
      this.#reported.add(result.queue);
      this.onQueueTypeKept(result);
    }
  }

  forget(subscription: RabbitSubscription): void {
    this.#subscriptions.delete(subscription);
  }

  /** A channel died while its connection lives: rebuild everything through the reconnect loop. */
  reset(): void {
    void this.#connection?.reset();
  }

  #requirePublisher(): ConfirmChannel {
    if (this.#publisher === null) throw new PublishError(`not connected to ${this.url} (reconnecting)`, 0);
    return this.#publisher;
  }

  /** Attaches subscriptions made while `setup` ran, after it had passed them. */
  #attachLate(model: ChannelModel): void {
    for (const subscription of this.#subscriptions) {
      subscription.attach(model).catch(() => this.reset());
    }
  }

  async #setup(model: ChannelModel): Promise<void> {
    const publisher = await model.createConfirmChannel();
    publisher.on("error", () => undefined);
    publisher.on("close", () => {
      if (this.#publisher !== publisher) return;
      this.#publisher = null;
      this.reset();
    });
    await publisher.assertExchange(this.exchange, "topic", { durable: true });
    for (const subscription of this.#subscriptions) await subscription.attach(model);
    this.#publisher = publisher;
  }

  /** Runs `work` on a channel of its own; a missing queue (a consumer never subscribed) gives `absent`. */
  async #withChannel<T>(work: (channel: ConfirmChannel) => Promise<T>, absent: T): Promise<T> {
    const model = this.#connection?.current ?? null;
    if (model === null) throw new Error(`not connected to ${this.url} (reconnecting)`);
    const channel = await model.createConfirmChannel();
    channel.on("error", () => undefined);
    try {
      return await work(channel);
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return absent;
      throw error;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

class RabbitSubscription implements Subscription {
  closed = false;
  #channel: Channel | null = null;
  /** The connection this subscription consumes on (or is attaching to). */
  #attachedTo: ChannelModel | null = null;

  constructor(
    private readonly bus: RabbitBus,
    readonly consumer: string,
    private readonly handler: MessageHandler,
    private readonly options: SubscribeOptions,
  ) {}

  /** Declares the consumer's queues and bindings and starts consuming on a new channel. */
  async attach(model: ChannelModel): Promise<void> {
    if (this.closed || this.#attachedTo === model) return;
    this.#attachedTo = model;
    try {
      await this.#open(model);
    } catch (error) {
      if (this.#attachedTo === model) this.#attachedTo = null;
      throw error;
    }
  }

  async #open(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on("error", () => undefined);
    channel.on("close", () => {
      if (this.#channel !== channel || this.closed) return;
      this.#channel = null;
      this.bus.reset();
    });
    this.bus.declared(await declareConsumerQueues(model, this.consumer, this.bus.queueType));
    await this.#bind(channel);
    await channel.prefetch(this.options.prefetch ?? DEFAULT_PREFETCH);
    this.#channel = channel;
    await channel.consume(this.consumer, (message) => this.#onMessage(channel, message), { noAck: false });
    // Closed while attaching: close() did not know this channel yet.
    if (this.closed) await channel.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.bus.forget(this);
    const channel = this.#channel;
    this.#channel = null;
    await channel?.close().catch(() => undefined);
  }

  async #bind(channel: Channel): Promise<void> {
    const types = this.options.types ?? "all";
    for (const key of types === "all" ? ["#"] : types) {
      await channel.bindQueue(this.consumer, this.bus.exchange, key);
    }
  }

  #onMessage(channel: Channel, raw: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer (its queue was deleted); redeclare everything.
    if (raw === null) {
      if (this.#channel === channel) this.bus.reset();
      return;
    }
    let envelope;
    try {
      envelope = decodeEnvelope(raw.content);
    } catch {
      channel.nack(raw, false, false);
      return;
    }
    const message = this.#wrap(channel, raw, envelope);
    Promise.resolve()
      .then(() => this.handler(message))
      .catch(() => message.nack());
  }

  #wrap(channel: Channel, raw: ConsumeMessage, envelope: BusMessage["envelope"]): BusMessage {
    let settled = false;
    const live = (): boolean => !settled && !this.closed && this.#channel === channel;
    const settle = (action: () => void): void => {
      if (!live()) return;
      settled = true;
      try {
        action();
      } catch {
        // The channel closed under us: the broker redelivers the message.
      }
    };
    const message: BusMessage = {
      envelope,
      headers: readHeaders(raw.properties.headers),
      redelivered: raw.fields.redelivered,
      get stale() {
        return !settled && !live();
      },
      ack: async () => settle(() => channel.ack(raw)),
      nack: async () => settle(() => channel.nack(raw, false, true)),
      deadLetter: async (reason) => {
        if (!live()) throw new Error(STALE);
        await this.bus.park(this.consumer, message, raw.content, reason);
        settle(() => channel.ack(raw));
      },
    };
    return message;
  }
}
