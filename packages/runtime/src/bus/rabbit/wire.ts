/**
 * How envelopes look on the AMQP wire: the envelope is the JSON body (`../envelope-wire.ts`, with
 * the failure-reason headers); the AMQP properties repeat its ids for tools (management UI,
 * tracing).
 */
import type { Options } from "amqplib";
import type { StoredEvent } from "../../types.js";
import type { Headers } from "../types.js";

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
