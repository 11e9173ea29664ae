/**
 * What every broker bus puts on the wire: the envelope as a JSON body, and a parked message's
 * failure reason as `x-eda-*` headers so that a dead-letter queue is readable on its own. The
 * brokers differ only in how headers travel (AMQP tables, NATS header lines).
 */
import { parserMessage } from "../codec/unparsable.js";
import type { StoredEvent } from "../types.js";
import type { FailureReason, Headers } from "./types.js";

/** The header names of a failure reason. */
export const REASON_HEADERS = {
  consumer: "x-eda-consumer",
  message: "x-eda-error-message",
  stack: "x-eda-error-stack",
  attempts: "x-eda-attempts",
  first: "x-eda-first-failure-at",
  last: "x-eda-last-failure-at",
} as const;

// Headers travel in small frames (an AMQP table is at most 64 KiB): keep a long stack from
// making the message unsendable.
const MAX_MESSAGE = 4_000;
const MAX_STACK = 16_000;

/** The body of a message. */
export function encodeEnvelope(envelope: StoredEvent): Buffer {
  return Buffer.from(JSON.stringify(envelope), "utf8");
}

/** Parses a body back into an envelope; throws if it is not one. */
export function decodeEnvelope(content: Uint8Array): StoredEvent {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8"));
  } catch (error) {
    // Not a body eda wrote: its text may be anything, personal data too, and is not quoted.
    throw new Error(`the message body is not JSON: ${parserMessage(error)}`);
  }
  if (!isEnvelope(value)) throw new Error("the message body is not an eda envelope");
  return value;
}

function isEnvelope(value: unknown): value is StoredEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v["messageId"] === "string" &&
    typeof v["type"] === "string" &&
    typeof v["stream"] === "string" &&
    typeof v["globalPosition"] === "number" &&
    typeof v["correlationId"] === "string"
  );
}

/** Headers of a parked message: the original ones plus the reason. */
export function reasonHeaders(consumer: string, headers: Headers, reason: FailureReason): Record<string, string> {
  return {
    ...withoutReason(headers),
    [REASON_HEADERS.consumer]: consumer,
    [REASON_HEADERS.message]: reason.message.slice(0, MAX_MESSAGE),
    [REASON_HEADERS.stack]: (reason.stack ?? "").slice(0, MAX_STACK),
    [REASON_HEADERS.attempts]: String(reason.attempts),
    [REASON_HEADERS.first]: reason.firstFailureAt,
    [REASON_HEADERS.last]: reason.lastFailureAt,
  };
}

/**
 * Reads the reason back. A message the broker dead-lettered by itself has none of ours: it
 * gets a generic one, naming the broker's own reason when it gave one (RabbitMQ's
 * `x-first-death-reason`: `rejected`, `delivery_limit`, …).
 */
export function readReason(headers: Headers, fallbackTime: string): FailureReason {
  const message = headers[REASON_HEADERS.message];
  if (message === undefined) {
    const brokerReason = headers["x-first-death-reason"];
    return {
      message:
        brokerReason === undefined || brokerReason === "rejected"
          ? "rejected by the consumer without a reason (malformed message)"
          : `dead-lettered by the broker: ${brokerReason}`,
      stack: null,
      attempts: 0,
      firstFailureAt: fallbackTime,
      lastFailureAt: fallbackTime,
    };
  }
  const stack = headers[REASON_HEADERS.stack] ?? "";
  return {
    message,
    stack: stack === "" ? null : stack,
    attempts: Number(headers[REASON_HEADERS.attempts] ?? "0"),
    firstFailureAt: headers[REASON_HEADERS.first] ?? fallbackTime,
    lastFailureAt: headers[REASON_HEADERS.last] ?? fallbackTime,
  };
}

/** The headers without any reason, for a message replayed from its dead-letter queue. */
export function withoutReason(headers: Headers): Record<string, string> {
  const reasonKeys = new Set<string>(Object.values(REASON_HEADERS));
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !reasonKeys.has(key)));
}

/** The position a replay sorts by; a malformed message (none) goes after the others. */
export function replayOrder(envelope: StoredEvent | null): number {
  return envelope?.globalPosition ?? Number.MAX_SAFE_INTEGER;
}

/** A placeholder envelope for a parked body that is not one, so the letter can still be shown. */
export function malformedEnvelope(content: Uint8Array, ids: { messageId?: unknown; correlationId?: unknown }, time: string): StoredEvent {
  return {
    messageId: typeof ids.messageId === "string" ? ids.messageId : "",
    type: "<malformed>",
    version: 0,
    stream: "",
    position: -1,
    globalPosition: -1,
    time,
    correlationId: typeof ids.correlationId === "string" ? ids.correlationId : "",
    causationId: null,
    metadata: {},
    payload: Buffer.from(content).toString("utf8"),
  };
}
