/** The pipeline's inputs, outputs and errors. */
import type { EventCodec, Metadata, NewEvent, Rejection } from "../types.js";

/**
 * A command on its way in. `messageId` is the command id (the idempotency key); the correlation
 * id defaults to it when the command starts a conversation.
 */
export interface CommandEnvelope<C> {
  readonly messageId: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Metadata;
  readonly payload: C;
}

/** One event an accepted command appended. */
export interface AcceptedEvent {
  readonly messageId: string;
  readonly type: string;
  readonly position: number;
}

/**
 * What handling a command produced. `duplicate` is true when the command id had been handled
 * before: nothing was appended this time and the rest is the first handling's result.
 */
export type CommandOutcome<R = unknown> =
  | {
      readonly status: "accepted";
      readonly commandId: string;
      readonly stream: string;
      readonly events: readonly AcceptedEvent[];
      /** The stream position after the command (null: the stream still has no events). */
      readonly lastPosition: number | null;
      /** Global position of the last appended event, for read-your-writes waits; null if none. */
      readonly lastGlobalPosition: number | null;
      readonly duplicate: boolean;
    }
  | {
      readonly status: "rejected";
      readonly commandId: string;
      readonly stream: string;
      readonly reason: R;
      readonly duplicate: boolean;
    };

/** Thrown when a command kept losing optimistic-concurrency races until its retries ran out. */
export class ConcurrencyConflictError extends Error {
  override readonly name = "ConcurrencyConflictError";
  constructor(
    readonly commandId: string,
    readonly stream: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `command ${commandId} could not be appended to stream "${stream}": another writer appended first ` +
        `on each of ${attempts} attempt${attempts === 1 ? "" : "s"}. Retry the command later, or raise maxRetries.`,
      options,
    );
  }
}

/** A rejection, as deciders and services return it. */
export function reject<R>(reason: R): Rejection<R> {
  return { rejected: true, reason };
}

/** Whether a decision is a rejection rather than a list of events. */
export function isRejection<E, R>(decision: readonly E[] | Rejection<R>): decision is Rejection<R> {
  return !Array.isArray(decision) && (decision as Rejection<R>).rejected === true;
}

/**
 * Wraps decided events for the store: ids are fresh, the correlation id comes from the command
 * (or is the command's id), and the causation id is the command's id.
 */
export function toNewEvents<E extends { readonly type: string }>(
  events: readonly E[],
  codec: EventCodec<E>,
  command: CommandEnvelope<unknown>,
  newId: () => string,
): NewEvent[] {
  return events.map((event) => {
    const encoded = codec.encode?.(event) ?? defaultEncode(event, codec);
    return {
      messageId: newId(),
      type: encoded.type,
      version: encoded.version,
      correlationId: command.correlationId ?? command.messageId,
      causationId: command.messageId,
      metadata: command.metadata ?? {},
      payload: encoded.payload,
    };
  });
}

function defaultEncode<E extends { readonly type: string }>(event: E, codec: EventCodec<E>): {
  type: string;
  version: number;
  payload: unknown;
} {
  const { type, ...payload } = event;
  return { type, version: codec.currentVersion(type), payload };
}
