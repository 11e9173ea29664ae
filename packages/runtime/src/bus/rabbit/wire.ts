/**
 * How envelopes and dead-letter reasons look on the wire: the envelope is the JSON body; the
 * AMQP properties repeat its ids for tools (management UI, tracing); a parked message carries
 * its failure reason in `x-eda-*` headers so the dead-letter queue is readable on its own.
 */
import type { Options } from "amqplib";
import type { StoredEvent } from "../../types.js";
import type { FailureReason, Headers } from "../types.js";

const REASON_HEADERS = {
  consumer: "x-eda-consumer",
  message: "x-eda-error-message",
  stack: "x-eda-error-stack",
  attempts: "x-eda-attempts",
  first: "x-eda-first-failure-at",
  last: "x-eda-last-failure-at",
} as const;

// Headers travel in a 64 KiB table: keep a long stack from making the message unsendable.
const MAX_MESSAGE = 4_000;
const MAX_STACK = 16_000;

/** The body of a message. */
export function encodeEnvelope(envelope: StoredEvent): Buffer {
  return Buffer.from(JSON.stringify(envelope), "utf8");
}

/** Parses a body back into an envelope; throws if it is not one. */
export function decodeEnvelope(content: Buffer): StoredEvent {
  const value: unknown = JSON.parse(content.toString("utf8"));
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

/** Persistent-message properties for an envelope. */
export function publishOptions(envelope: StoredEvent, headers: Headers = {}): Options.Publish {
  const time = Date.parse(envelope.time);
  return {
    persistent: true,
    contentType: "application/json",
    messageId: envelope.messageId,
    correlationId: envelope.correlationId,
    type: envelope.type,
    ...(Number.isNaN(time) ? {} : { timestamp: Math.floor(time / 1000) }),
    headers: { ...headers },
  };
}

/** The string-valued headers of a delivered message (others, like `x-death`, are dropped). */
export function readHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw !== "object" || raw === null) return headers;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string") headers[key] = value;
    else if (Buffer.isBuffer(value)) headers[key] = value.toString("utf8");
    else if (typeof value === "number" || typeof value === "boolean") headers[key] = String(value);
  }
  return headers;
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

/** Reads the reason back; a message the broker dead-lettered itself gets a generic one. */
export function readReason(headers: Headers, fallbackTime: string): FailureReason {
  const message = headers[REASON_HEADERS.message];
  if (message === undefined) {
    return {
      message: "rejected by the consumer without a reason (malformed message)",
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
