/**
 * Reading and replaying a RabbitMQ dead-letter queue on a short-lived channel of its own.
 * Peeking takes messages without acking them; closing the channel returns them to their
 * places. Replaying takes what is parked when it starts, republishes it to the consumer's
 * queue in global-position order with confirms, and only then acks it: a crash in between
 * leaves duplicates (harmless for an idempotent consumer), never a loss.
 */
import type { Channel, ConfirmChannel, GetMessage } from "amqplib";
import type { StoredEvent } from "../../types.js";
import type { DeadLetter } from "../types.js";
import { publishConfirmed, type Publication } from "./confirm.js";
import { decodeEnvelope, publishOptions, readHeaders, readReason, withoutReason } from "./wire.js";

/** Up to `limit` parked messages, oldest first; the caller closes the channel to return them. */
export async function peekDeadLetters(
  channel: Channel,
  consumer: string,
  queue: string,
  limit: number,
): Promise<DeadLetter[]> {
  await channel.checkQueue(queue);
  const taken = await take(channel, queue, limit);
  return taken.map((raw) => toDeadLetter(consumer, raw));
}

/** Moves up to `limit` parked messages back to `target`, in original order; returns the count. */
export async function replayDeadLetters(
  channel: ConfirmChannel,
  queue: string,
  target: string,
  limit: number,
): Promise<number> {
  await channel.checkQueue(target);
  const { messageCount } = await channel.checkQueue(queue);
  const taken = await take(channel, queue, Math.min(limit, messageCount));
  const ordered = taken
    .map((raw) => ({ raw, envelope: tryDecode(raw) }))
    .sort((a, b) => positionOf(a.envelope) - positionOf(b.envelope));
  const publications = ordered.map(
    ({ raw, envelope }): Publication => ({
      exchange: "",
      routingKey: target,
      content: raw.content,
      options: envelope === null ? { persistent: true } : publishOptions(envelope, withoutReason(readHeaders(raw.properties.headers))),
    }),
  );
  await publishConfirmed(channel, publications);
  for (const raw of taken) channel.ack(raw);
  return taken.length;
}

async function take(channel: Channel, queue: string, limit: number): Promise<GetMessage[]> {
  const taken: GetMessage[] = [];
  while (taken.length < limit) {
    const raw = await channel.get(queue, { noAck: false });
    if (raw === false) break;
    taken.push(raw);
  }
  return taken;
}

function toDeadLetter(consumer: string, raw: GetMessage): DeadLetter {
  const headers = readHeaders(raw.properties.headers);
  const fallbackTime = new Date().toISOString();
  return {
    consumer,
    envelope: tryDecode(raw) ?? malformed(raw, fallbackTime),
    headers,
    reason: readReason(headers, fallbackTime),
  };
}

function tryDecode(raw: GetMessage): StoredEvent | null {
  try {
    return decodeEnvelope(raw.content);
  } catch {
    return null;
  }
}

function positionOf(envelope: StoredEvent | null): number {
  // Malformed messages have no position: keep them after the others.
  return envelope?.globalPosition ?? Number.MAX_SAFE_INTEGER;
}

/** A placeholder envelope for a body that is not one, so the letter can still be shown. */
function malformed(raw: GetMessage, time: string): StoredEvent {
  const props = raw.properties as { messageId?: unknown; correlationId?: unknown };
  return {
    messageId: typeof props.messageId === "string" ? props.messageId : "",
    type: "<malformed>",
    version: 0,
    stream: "",
    position: -1,
    globalPosition: -1,
    time,
    correlationId: typeof props.correlationId === "string" ? props.correlationId : "",
    causationId: null,
    metadata: {},
    payload: raw.content.toString("utf8"),
  };
}
