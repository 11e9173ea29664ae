/**
 * Reading and replaying a RabbitMQ dead-letter queue on a short-lived channel of its own.
 * Peeking takes every parked message without acking it (reading only the first `limit`), returns
 * them all together — their order kept — and waits until the broker counts them as ready again:
 * a quorum queue requeues through its log, asynchronously, and the next reader (discard, replay,
 * depth) sizes its work by that count. Replaying takes what is parked when it starts, republishes it to the consumer's
 * queue in global-position order with confirms, and only then acks it: a crash in between
 * leaves duplicates (harmless for an idempotent consumer), never a loss. Discarding takes what
 * is parked, acks the messages it drops and returns the others the same way.
 *
 * Acks must reach the queue before the channel closes, and a quorum queue does not promise that:
 * past a few dozen single acks in flight the broker (seen on 3.10) holds the rest back and drops
 * them when the channel closes, so those messages return as if never acked — parked again after
 * being replayed. One multiple-ack goes as one command; single acks are followed by a return
 * whose effect is waited for, and a queue applies a channel's commands in order.
 */
import type { Channel, ConfirmChannel, GetMessage } from "amqplib";
import type { StoredEvent } from "../../types.js";
import type { DeadLetter } from "../types.js";
import { publishConfirmed, type Publication } from "./confirm.js";
import { decodeEnvelope, malformedEnvelope, readReason, replayOrder, withoutReason } from "../envelope-wire.js";
import { publishOptions, readHeaders } from "./wire.js";

/** How long a peek waits for the broker to count the messages it returned. */
const RETURN_SETTLE_MS = 5_000;

/** Up to `limit` parked messages, oldest first, left parked. */
export async function peekDeadLetters(
  channel: Channel,
  consumer: string,
  queue: string,
  limit: number,
): Promise<DeadLetter[]> {
  const { messageCount } = await channel.checkQueue(queue);
  // A quorum queue puts returned messages behind those still ready: returning only the first
  // `limit` would move them to the end, and the next peek would not start at the oldest. So all
  // that are parked are taken and returned together, in order; only the first `limit` are read.
  const letters: DeadLetter[] = [];
  let held = 0;
  while (held < messageCount) {
    const raw = await channel.get(queue, { noAck: false });
    if (raw === false) break;
    held++;
    if (letters.length < limit) letters.push(toDeadLetter(consumer, raw));
  }
  await giveBack(channel, queue, held, messageCount);
  return letters;
}

/** Returns what the channel holds unacked and waits (bounded) until `queue` counts `ready` again. */
async function giveBack(channel: Channel, queue: string, held: number, ready: number): Promise<void> {
  if (held === 0) return;
  channel.nackAll(true);
  const deadline = Date.now() + RETURN_SETTLE_MS;
  while ((await channel.checkQueue(queue)).messageCount < ready && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
    .sort((a, b) => replayOrder(a.envelope) - replayOrder(b.envelope));
  const publications = ordered.map(
    ({ raw, envelope }): Publication => ({
      exchange: "",
      routingKey: target,
      content: raw.content,
      options: envelope === null ? { persistent: true } : publishOptions(envelope, withoutReason(readHeaders(raw.properties.headers))),
    }),
  );
  await publishConfirmed(channel, publications);
  // The channel holds exactly what was taken: one multiple-ack (see the file's comment).
  channel.ackAll();
  return taken.length;
}

/** Drops the parked messages with `messageId` (all parked ones without it); returns the count. */
export async function discardDeadLetters(channel: Channel, consumer: string, queue: string, messageId: string | undefined): Promise<number> {
  const { messageCount } = await channel.checkQueue(queue);
  const taken = await take(channel, queue, messageCount);
  const dropped = taken.filter((raw) => messageId === undefined || toDeadLetter(consumer, raw).envelope.messageId === messageId);
  if (dropped.length === taken.length) {
    channel.ackAll();
    return dropped.length;
  }
  for (const raw of dropped) channel.ack(raw);
  // Waiting for the returned messages to count as ready again also waits for the acks before them.
  await giveBack(channel, queue, taken.length - dropped.length, messageCount - dropped.length);
  return dropped.length;
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
    envelope: tryDecode(raw) ?? malformedEnvelope(raw.content, raw.properties as { messageId?: unknown; correlationId?: unknown }, fallbackTime),
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
