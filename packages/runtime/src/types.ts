/**
 * The runtime's core contracts. Generated code targets these types; every store, bus and runner
 * implements or consumes them. Kept in one small file so the shape of the system is visible.
 */
import type { SizeLimit, StoredEventData, Validation } from "./codec/codec.js";
import type { DecideContext } from "./pipeline/context.js";

/** Free metadata carried by every message. Values must be JSON. */
export type Metadata = Readonly<Record<string, unknown>>;

/**
 * Every message travels in an envelope. `version` is the schema version of `payload`
 * (commands are always version 1). `position` is the message's 0-based position in its stream
 * and `globalPosition` its 1-based position in the whole store (both set by the store on append).
 */
export interface Envelope<P = unknown> {
  readonly messageId: string;
  readonly type: string;
  readonly version: number;
  readonly stream: string;
  readonly position: number;
  readonly globalPosition: number;
  /** ISO-8601 UTC timestamp of when the message was recorded. */
  readonly time: string;
  readonly correlationId: string;
  /** The id of the message that caused this one; null for a message that starts a conversation. */
  readonly causationId: string | null;
  readonly metadata: Metadata;
  readonly payload: P;
}

/** An event about to be appended: the store assigns positions and time. */
export interface NewEvent<P = unknown> {
  readonly messageId: string;
  readonly type: string;
  readonly version: number;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly metadata?: Metadata;
  readonly payload: P;
}

/** A stored event as read back from a store (payload is raw JSON, not yet upcast). */
export type StoredEvent = Envelope<unknown>;

/** The expected version of a stream for an append (optimistic concurrency). */
export type ExpectedVersion =
  | { readonly kind: "any" }
  | { readonly kind: "no-stream" }
  /** The stream's last position (0-based) must equal `position`; −1 means it has no events. */
  | { readonly kind: "exact"; readonly position: number };

export interface AppendResult {
  /** Position of the last appended event in its stream. */
  readonly lastPosition: number;
  /** Global position of the last appended event. */
  readonly lastGlobalPosition: number;
}

/** Thrown (the one exception a store throws by design) when the expected version does not hold. */
export class WrongExpectedVersionError extends Error {
  override readonly name = "WrongExpectedVersionError";
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actualPosition: number | null,
  ) {
    super(
      `stream "${stream}" expected ${describeExpected(expected)} but is at ${actualPosition === null ? "no stream" : `position ${actualPosition}`}`,
    );
  }
}

function describeExpected(e: ExpectedVersion): string {
  return e.kind === "exact" ? `position ${e.position}` : e.kind;
}

/**
 * The decider shape every generated aggregate provides. `decide` returns the events to append
 * or a rejection (a domain error, not an exception). Commands and events are `{ type, ... }`
 * objects as validated by the generated Zod schemas.
 */
export interface Decider<C extends { readonly type: string }, E extends { readonly type: string }, S, R = unknown> {
  readonly name: string;
  readonly initialState: S;
  /** The stream id of a command (the value of the aggregate's `stream` field). */
  streamOf(command: C): string;
  /** Decides on the command against the state; `context` tells the time, the command's metadata and the stream's version. */
  decide(command: C, state: S, context: DecideContext): readonly E[] | Rejection<R>;
  evolve(state: S, event: E): S;
  /** `snapshot every N` from the model, if declared. */
  readonly snapshotEvery?: number;
  /**
   * Identifies the shape of the state in stored snapshots (default: `name`). Change it when the
   * state's shape changes so that older snapshots are ignored rather than misread.
   */
  readonly snapshotTag?: string;
}

/** A command refused by a decider, with a domain reason. */
export interface Rejection<R = unknown> {
  readonly rejected: true;
  readonly reason: R;
}

/**
 * What the runtime needs of a model's codec (`createCodec` in `./codec/` builds one from the
 * generated table): read stored events as their current version, validate commands and new
 * events before anything is handled or stored, and redact payloads for logs and traces.
 */
export interface EventCodec<E extends { readonly type: string } = { readonly type: string }> {
  /** Validate, upcast to the current version, validate again. Throws a `DeserializeError`. */
  deserialize(stored: StoredEventData): E;
  /** The current version number of an event type, for appends. */
  currentVersion(type: string): number;
  /**
   * A copy of a stored payload of `type` at `version` with its `@pii` fields replaced, for logs
   * and traces; undefined when the codec does not know the type or version (nothing is logged).
   */
  redact(type: string, version: number, payload: unknown): unknown;
  /**
   * Turns a current event into what is stored. Optional: by default the payload is the event
   * without its `type` field and the version is `currentVersion(type)`.
   */
  encode?(event: E): { readonly type: string; readonly version: number; readonly payload: unknown };
  /** Parses a command by its schema (within `limit`, free of U+0000) before it reaches a handler. */
  validateCommand(command: unknown, limit?: SizeLimit): Validation<{ readonly type: string }>;
  /** Parses a new event by its current version's schema (within `limit`, free of U+0000) before it is stored. */
  validateEvent(event: unknown, limit?: SizeLimit): Validation<E>;
}
