/** The pipeline's inputs, outputs and errors. */
import { describeIssues, formatPath, type ValidationIssue } from "../codec/issues.js";
import { DEFAULT_MAX_COMMAND_BYTES, DEFAULT_MAX_EVENT_BYTES } from "../codec/codec.js";
import type { EventCodec, Metadata, NewEvent } from "../types.js";

/**
 * A command on its way in. `messageId` is the command id (the idempotency key); the correlation
 * id defaults to it when the command starts a conversation.
 */
export interface CommandEnvelope<C> {
  readonly messageId: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Metadata;
  /**
   * The version (number of events) the command's stream must have when it is decided, else the
   * command is answered `conflict` and nothing is stored. Absent: decided at whatever version.
   */
  readonly expectedVersion?: number;
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
    }
  | InvalidCommand
  | VersionConflict;

/**
 * A command sent with an `expectedVersion` its stream no longer (or not yet) has: no handler
 * ran and nothing was stored — not even the command id, so it can be sent again after a reload.
 */
export interface VersionConflict {
  readonly status: "conflict";
  readonly commandId: string;
  readonly stream: string;
  /** The version the command was sent against. */
  readonly expectedVersion: number;
  /** The stream's version (number of events) when the command was handled. */
  readonly actualVersion: number;
  readonly duplicate: false;
}

/** The outcome of a command sent without an expected version: never a `conflict`. */
export type UncheckedOutcome<R = unknown> = Exclude<CommandOutcome<R>, VersionConflict>;

/**
 * What `send(command, options)` may answer: a `conflict` only when the options can hold an
 * `expectedVersion`, so code that sends none handles the same three outcomes as before.
 */
export type OutcomeOf<O, R = unknown> = "expectedVersion" extends keyof O ? CommandOutcome<R> : UncheckedOutcome<R>;

/** The `conflict` outcome, or undefined when the stream is at the expected version (or none was given). */
export function versionConflict(command: CommandEnvelope<unknown>, stream: string, position: number | null): VersionConflict | undefined {
  const actualVersion = (position ?? -1) + 1;
  if (command.expectedVersion === undefined || command.expectedVersion === actualVersion) return undefined;
  return { status: "conflict", commandId: command.messageId, stream, expectedVersion: command.expectedVersion, actualVersion, duplicate: false };
}

/**
 * A command its schema refuses (or too large, or holding U+0000): it reached no handler and
 * nothing was stored — not even the command id, so the same id may be sent again, corrected.
 */
export interface InvalidCommand {
  readonly status: "invalid";
  readonly commandId: string;
  readonly commandType: string;
  /** Where and why; never the refused values. */
  readonly issues: readonly ValidationIssue[];
  readonly duplicate: false;
}

/** Bounds the pipeline enforces before anything is handled or stored. */
export interface ValidationOptions {
  /** The largest command data accepted, in bytes of UTF-8 JSON (default 512 KiB). */
  readonly maxCommandBytes?: number;
  /** The largest event data a handler may produce, in bytes of UTF-8 JSON (default 512 KiB). */
  readonly maxEventBytes?: number;
}

/**
 * Thrown when a decider or service produced an event its current schema refuses (or too large,
 * or holding U+0000): a bug in the handler. Nothing of the command was stored.
 */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
  constructor(
    /** The aggregate or service that produced the event (`Ordering.Order`). */
    readonly handler: string,
    readonly commandId: string,
    readonly eventType: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    const first = issues[0];
    const at = first === undefined ? "" : ` at ${formatPath(first.path)}`;
    super(
      `${handler} produced an event ${eventType} that its schema refuses${at}: ${describeIssues(issues.slice(0, 3)) || "invalid"} ` +
        `(command ${commandId}; nothing was stored)`,
    );
  }
}

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

// What deciders return and the helpers over it (also `@eda/runtime/decisions`).
export { isRejection, reject, unhandled } from "./decisions.js";

/**
 * Parses a command by the codec before any handler sees it: the parsed command (defaults
 * applied, unknown keys dropped), or the `invalid` outcome.
 */
export function parseCommand<C extends { readonly type: string }>(
  codec: EventCodec<{ readonly type: string }>,
  command: CommandEnvelope<C>,
  options: ValidationOptions,
): { readonly ok: true; readonly command: CommandEnvelope<C> } | { readonly ok: false; readonly outcome: InvalidCommand } {
  const result = codec.validateCommand(command.payload, { maxBytes: options.maxCommandBytes ?? DEFAULT_MAX_COMMAND_BYTES });
  if (result.ok) return { ok: true, command: { ...command, payload: result.value as C } };
  const commandType = typeof command.payload?.type === "string" ? command.payload.type : "";
  return { ok: false, outcome: { status: "invalid", commandId: command.messageId, commandType, issues: result.issues, duplicate: false } };
}

/** Parses each produced event by its current schema; throws `InvalidEventError` naming the handler. */
export function parseEvents<E extends { readonly type: string }>(
  codec: EventCodec<E>,
  handler: string,
  commandId: string,
  events: readonly E[],
  options: ValidationOptions,
): E[] {
  if (!Array.isArray(events)) throw new InvalidEventError(handler, commandId, "(not a list)", [{ path: [], code: "invalid_type", message: "a handler returns a list of events or a rejection" }]);
  const limit = { maxBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES };
  return events.map((event) => {
    const result = codec.validateEvent(event, limit);
    if (result.ok) return result.value;
    const type = typeof event?.type === "string" ? event.type : "(no type)";
    throw new InvalidEventError(handler, commandId, type, result.issues);
  });
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
