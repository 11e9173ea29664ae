/**
 * Structured logs. Every record about a message carries its correlation id, so one request
 * can be followed across services with a single filter; a payload appears only after the
 * model's codec has redacted its `@pii` fields — without a codec, no payload is logged at all —
 * and an error logged with a message has the message's personal values masked in its text.
 */
import type { EventCodec, StoredEvent } from "../types.js";
import { errorStack, maskedMessage, maskValues, personalValues } from "../codec/personal-values.js";

/** What happened to a message. */
export type MessageLogEvent =
  | "published"
  | "publish-failed"
  | "consume-started"
  | "consumed"
  | "duplicate-skipped"
  | "handler-failed"
  | "dead-lettered"
  | "dead-letter-failed"
  | "parked";

/** What happened to the runtime itself (connections, loops). */
export type SystemLogEvent =
  | "bus-connection-lost"
  | "bus-reconnected"
  | "bus-reconnect-failed"
  | "bus-queue-type-kept"
  | "relay-error"
  | "runner-error"
  | "workflow-transition"
  /** An event that may be a step's second effect (`step-succeeded-again`); other strays are not logged. */
  | "workflow-stray";

/** A log line about one message. */
export interface MessageLogRecord {
  readonly level: "info" | "warn" | "error";
  readonly event: MessageLogEvent;
  readonly time: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly messageId: string;
  readonly type: string;
  /** The schema version the event was stored with: a `parked` record of an `unreadable` event says which version no build could read. */
  readonly version: number;
  readonly stream: string;
  readonly globalPosition: number;
  readonly consumer?: string;
  /** The projection or workflow that parked the message (`projection:<name>`, `workflow:<name>`). */
  readonly runner?: string;
  /** For `parked`: the runner stopped at the message (policy `"stop"`). */
  readonly blocking?: boolean;
  readonly attempt?: number;
  readonly error?: { readonly message: string; readonly stack: string | null };
  /** The payload after `codec.redact`; absent when no codec was given. */
  readonly payload?: unknown;
}

/** A log line about the runtime, not about one message. */
export interface SystemLogRecord {
  readonly level: "info" | "warn" | "error";
  readonly event: SystemLogEvent;
  readonly time: string;
  readonly message: string;
  readonly url?: string;
  /** For `runner-error`: the projection or workflow whose loop failed; for `workflow-transition` and `workflow-stray`, the workflow. */
  readonly runner?: string;
  /** For `workflow-transition`: the run's conversation, and the states it left and entered (`awaiting:<step>`, `completed`, …). */
  readonly correlationId?: string;
  readonly from?: string | null;
  readonly to?: string;
  readonly attempt?: number;
  readonly error?: { readonly message: string; readonly stack: string | null };
}

/** Any log record. */
export type LogRecord = MessageLogRecord | SystemLogRecord;

/** Where records go. Implementations must not throw. */
export interface Logger {
  log(record: LogRecord): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { log: () => undefined };

/** The records a logger passes on: `info` all, `warn` warnings and errors, `error` errors. */
export type LogLevel = LogRecord["level"];

const LEVELS: Readonly<Record<LogLevel, number>> = { info: 0, warn: 1, error: 2 };

/**
 * One JSON object per line, to `write` (default: standard output); with `level`, only the records
 * at that level or above (`"warn"`: a projection stopped at an event it cannot read, a failing
 * handler, a lost connection — not every message published and consumed).
 */
export function jsonLogger(write: (line: string) => void = (line) => void process.stdout.write(`${line}\n`), options: { readonly level?: LogLevel } = {}): Logger {
  const least = LEVELS[options.level ?? "info"];
  return { log: (record) => void (LEVELS[record.level] >= least && write(JSON.stringify(record))) };
}

/** A logger that keeps its records, for tests. */
export interface MemoryLogger extends Logger {
  readonly records: LogRecord[];
}

/** Creates a logger that keeps its records in memory. */
export function memoryLogger(): MemoryLogger {
  const records: LogRecord[] = [];
  return { records, log: (record) => void records.push(record) };
}

/** Details a message record may add. */
export interface MessageLogDetails {
  readonly consumer?: string;
  readonly runner?: string;
  readonly blocking?: boolean;
  readonly attempt?: number;
  readonly error?: unknown;
}

/**
 * Builds the record for one message; the payload goes through `codec.redact` (by type and
 * version) or is left out — also when the codec does not know the type or version.
 */
export function messageRecord(
  level: MessageLogRecord["level"],
  event: MessageLogEvent,
  envelope: StoredEvent,
  codec: EventCodec | null,
  details: MessageLogDetails = {},
): MessageLogRecord {
  const payload = redacted(codec, envelope);
  // An error may quote the event it was handling: its personal values are masked in the record.
  const personal = details.error === undefined || payload === undefined ? [] : personalValues(envelope.payload, payload);
  return {
    level,
    event,
    time: new Date().toISOString(),
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    messageId: envelope.messageId,
    type: envelope.type,
    version: envelope.version,
    stream: envelope.stream,
    globalPosition: envelope.globalPosition,
    ...(details.consumer === undefined ? {} : { consumer: details.consumer }),
    ...(details.runner === undefined ? {} : { runner: details.runner }),
    ...(details.blocking === undefined ? {} : { blocking: details.blocking }),
    ...(details.attempt === undefined ? {} : { attempt: details.attempt }),
    ...(details.error === undefined ? {} : { error: describeError(details.error, personal) }),
    ...(payload === undefined ? {} : { payload }),
  };
}

/** An error as plain data: its message and stack, with `personal` values (`personalValues`) masked in both. */
export function describeError(error: unknown, personal: readonly string[] = []): { readonly message: string; readonly stack: string | null } {
  const stack = errorStack(error);
  return { message: maskedMessage(error, personal), stack: stack === null || personal.length === 0 ? stack : maskValues(stack, personal) };
}

function redacted(codec: EventCodec | null, envelope: StoredEvent): unknown {
  if (codec === null) return undefined;
  try {
    // By type and version: an old version keeps its personal data under its old field names.
    return codec.redact(envelope.type, envelope.version, envelope.payload);
  } catch {
    // A payload the codec cannot redact (unknown type or version) is not logged at all.
    return undefined;
  }
}
