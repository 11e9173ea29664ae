/**
 * Poison events, parked. A runner that reads the store's log (a projection, an orchestrator)
 * and meets an event it cannot read — or whose handler throws on it — never stops the process.
 * By its policy it either parks the event (records it with its reason and goes on) or stops
 * (records it as blocking and waits, keeping everything after it unapplied). Parked events live
 * in the store (`eda_parked` on SQLite and PostgreSQL; rows of the in-memory store), appear in
 * logs and metrics, and are listed and retried once the model or the code is fixed.
 */
import { isDeserializeError } from "../codec/deserialize-error.js";
import { formatPath } from "../codec/issues.js";
import { maskedMessage } from "../codec/personal-values.js";
import type { StoredEvent } from "../types.js";

/**
 * What a runner does with an event it cannot read or handle:
 * - `"park"`: record it with its reason and go on with the events after it;
 * - `"stop"`: record it as blocking, apply everything before it, and apply nothing after it
 *   until it is retried successfully. Other runners go on either way.
 */
export type PoisonPolicy = "park" | "stop";

/** Why an event was parked: it cannot be read, its handler threw, or the broker refused it (relay). */
export type ParkReason = "unreadable" | "handler-failed" | "refused";

/** A parked event: which runner, which event, why. */
export interface ParkedEvent {
  /** The runner: `projection:<name>` or `workflow:<name>` (its checkpoint name), or `relay`. */
  readonly runner: string;
  readonly globalPosition: number;
  readonly stream: string;
  readonly position: number;
  readonly messageId: string;
  readonly type: string;
  readonly version: number;
  readonly reason: ParkReason;
  /** The field at fault, when the event did not match its schema. */
  readonly path: string | null;
  /** The error's message, with the event's `@pii` values masked where it quotes them. */
  readonly error: string;
  /** True when the runner stopped at this event (policy `"stop"`). */
  readonly blocking: boolean;
  /** How many times it failed (retries count). */
  readonly attempts: number;
  /** ISO-8601 time of the last failure. */
  readonly parkedAt: string;
}

/** What retrying parked events did. */
export interface RetryReport {
  /** Events that went through this time (and are no longer parked). */
  readonly retried: number;
  /** Events that failed again (still parked). */
  readonly stillParked: number;
}

/** Builds the record of `envelope` failing in `runner`. */
export function parkedEvent(
  runner: string,
  envelope: StoredEvent,
  reason: ParkReason,
  error: unknown,
  options: { readonly blocking: boolean; readonly attempts: number; readonly time: string; readonly personal?: readonly string[] },
): ParkedEvent {
  const path = isDeserializeError(error) && error.issues[0] !== undefined && error.issues[0].path.length > 0 ? formatPath(error.issues[0].path) : null;
  return {
    runner,
    globalPosition: envelope.globalPosition,
    stream: envelope.stream,
    position: envelope.position,
    messageId: envelope.messageId,
    type: envelope.type,
    version: envelope.version,
    reason,
    path,
    // PostgreSQL text cannot hold U+0000; a message quoting one keeps it visible, escaped.
    // A handler's message may quote the event: its personal values (`personalValuesOf`) are masked.
    error: maskedMessage(error, options.personal ?? []).replaceAll("\u0000", "\\u0000"),
    blocking: options.blocking,
    attempts: options.attempts,
    parkedAt: options.time,
  };
}
