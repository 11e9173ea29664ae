/**
 * The bus contract: what the relay publishes to and what consumers subscribe to. Two
 * implementations follow it (in-memory and RabbitMQ) and one conformance suite tests both.
 *
 * Delivery is at-least-once: a message may arrive twice (a crash between publish and
 * `markSent`, a redelivery after a lost connection), so consumers must be idempotent.
 */
import { maskCredentials, maskedError } from "../engine/mask-url.js";
import type { StoredEvent } from "../types.js";

/** String headers carried beside an envelope (trace context, dead-letter reasons). */
export type Headers = Readonly<Record<string, string>>;

/** One message to publish: the envelope and optional headers (e.g. a `traceparent`). */
export interface OutgoingMessage {
  readonly envelope: StoredEvent;
  readonly headers?: Headers;
}

/** Why a message was parked on a dead-letter queue. Times are ISO-8601 UTC. */
export interface FailureReason {
  readonly message: string;
  readonly stack: string | null;
  /** Handler attempts made before parking (1 + retries). */
  readonly attempts: number;
  readonly firstFailureAt: string;
  readonly lastFailureAt: string;
}

/** A delivered message. Exactly one of `ack`, `nack` or `deadLetter` should settle it. */
export interface BusMessage {
  readonly envelope: StoredEvent;
  readonly headers: Headers;
  /** True when the broker delivered this message before (after a crash, nack or reconnect). */
  readonly redelivered: boolean;
  /**
   * True once the delivery can no longer be settled (its channel or subscription is gone):
   * the broker will deliver the message again, so work on this copy may stop.
   */
  readonly stale: boolean;
  /** Removes the message from the consumer's queue. */
  ack(): Promise<void>;
  /** Returns the message to the consumer's queue, at its place, for a later delivery. */
  nack(): Promise<void>;
  /** Parks the message on the consumer's dead-letter queue with the reason, then removes it. */
  deadLetter(reason: FailureReason): Promise<void>;
}

/** A consumer's view of a message: settle it, or throw to have it returned to the queue. */
export type MessageHandler = (message: BusMessage) => Promise<void>;

/** How a named consumer subscribes. */
export interface SubscribeOptions {
  /** Event types to receive, or `"all"` (the default). Bindings accumulate across runs. */
  readonly types?: readonly string[] | "all";
  /** How many unacknowledged messages may be in flight at once (default 32). */
  readonly prefetch?: number;
}

/** A live subscription. Closing it returns its unsettled messages to the queue. */
export interface Subscription {
  readonly consumer: string;
  close(): Promise<void>;
}

/** A message parked on a consumer's dead-letter queue. */
export interface DeadLetter {
  readonly consumer: string;
  readonly envelope: StoredEvent;
  readonly headers: Headers;
  readonly reason: FailureReason;
}

/**
 * A message bus. Publishing preserves order per stream (indeed per publisher): messages of
 * one `publish` call, and of calls made one after another, reach each queue in that order.
 * Each named consumer has its own durable queue; messages published while it is not
 * subscribed wait there once it has subscribed once.
 */
export interface Bus {
  /** The bus URL with any password masked, for logs and errors. */
  readonly url: string;
  /**
   * Publishes in order and resolves once the bus has accepted every message (publisher
   * confirms on RabbitMQ). Rejects with a `PublishError` saying how many leading messages
   * were confirmed; the rest must be published again.
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Subscribes the named consumer. One active subscription per consumer keeps stream order. */
  subscribe(consumer: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Messages parked for a consumer, oldest first, without removing them. */
  peekDeadLetters(consumer: string, limit?: number): Promise<DeadLetter[]>;
  /** How many messages are parked for a consumer. */
  deadLetterDepth(consumer: string): Promise<number>;
  /**
   * Moves up to `limit` parked messages (default: all parked when the call starts) back to
   * the consumer's queue in their original order (global position), and resolves with the count.
   */
  replayDeadLetters(consumer: string, options?: { readonly limit?: number }): Promise<number>;
  /**
   * Drops parked messages for good: those whose envelope has `messageId` (a message parked
   * twice is dropped twice), or, without it, every message parked when the call starts.
   * Resolves with how many were dropped; the others keep their places.
   */
  discardDeadLetters(consumer: string, options?: { readonly messageId?: string }): Promise<number>;
  /** Closes the bus; unsettled deliveries return to their queues. */
  close(): Promise<void>;
}

/** A publish that the bus did not (fully) accept. */
export class PublishError extends Error {
  override readonly name = "PublishError";
  /**
   * True when the broker answered "no" for message number `confirmed` itself (a nack, a message
   * above its size limit) rather than being out of reach: sending that message again is likely
   * to fail the same way, so the relay parks it after a few tries and publishes the rest.
   */
  readonly refused: boolean;

  constructor(
    message: string,
    /** How many leading messages of the call were confirmed before the failure. */
    readonly confirmed: number,
    options?: { cause?: unknown; refused?: boolean },
  ) {
    super(message, options);
    this.refused = options?.refused ?? false;
  }
}

/** Thrown by `openBus` when the broker a URL names cannot be reached or refuses the connection. */
export class BusUnavailableError extends Error {
  override readonly name = "BusUnavailableError";
  /** The URL, its password masked. */
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    // The cause is masked too: a client library's error may quote the URL whole.
    super(maskCredentials(`cannot connect to the bus at ${url}: ${reason}`), options?.cause === undefined ? undefined : { cause: maskedError(options.cause) });
    this.url = maskCredentials(url);
  }
}
