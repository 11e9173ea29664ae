/**
 * Reading and replaying a RabbitMQ dead-letter queue on a short-lived channel of its own.
 * Peeking takes every parked message without acking it (reading only the first `limit`), returns
 * them all together — their order kept — and waits until the broker counts them as ready again:
 * a quorum queue requeues through its log, asynchronously, and the next reader (discard, replay,
 * depth) sizes its work by that count. Replaying takes what is parked when it starts, republishes
 * it to the consumer's queue in global-position order with confirms, and only then acks it: a
 * crash in between leaves duplicates (harmless for an idempotent consumer), never a loss.
 * Discarding takes what is parked, acks the messages it drops and returns the others the same way.
 *
 * Settling must reach the queue before the channel closes, and with basic.get a quorum queue
 * does not promise that (rabbitmq-server#10327): messages are taken with one basic.consume and
 * settled with one multiple-ack or multiple-nack, a single command (`take.ts`). Single acks (a
 * discard of some) are followed by a return whose effect is waited for; the channel sends
 * whatever it held back together once the queue catches up.
 */
import type { Channel, ConfirmChannel, Message } from "amqplib";
import type { StoredEvent } from "../../types.js";
import type { DeadLetter } from "../types.js";
import { publishConfirmed, type Publication } from "./confirm.js";
import { decodeEnvelope, malformedEnvelope, readReason, replayOrder, withoutReason } from "../envelope-wire.js";
import { publishOptions, readHeaders } from "./wire.js";
import { MAX_PREFETCH, settleThrough, take } from "./take.js";

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
  const taken = await take(channel, queue, messageCount);
  const letters = taken.slice(0, limit).map((raw) => toDeadLetter(consumer, raw));
  await giveBack(channel, queue, taken.length);
  return letters;
}

/** Returns what the channel holds unacked and waits (bounded) until `queue` counts `held` more ready. */
async function giveBack(channel: Channel, queue: string, held: number): Promise<void> {
  if (held === 0) return;
  const ready = (await channel.checkQueue(queue)).messageCount + held;
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
  let replayed = 0;
  // In rounds of at most a prefetch's worth, so that a round never takes more than asked.
  for (let left = Math.min(limit, messageCount); left > 0; ) {
    const round = Math.min(left, MAX_PREFETCH);
    const taken = await take(channel, queue, round);
    await republish(channel, target, taken);
    settleThrough(channel, taken, true);
    replayed += taken.length;
    left -= taken.length;
    if (taken.length < round) break;
  }
  return replayed;
}

async function republish(channel: ConfirmChannel, target: string, taken: readonly Message[]): Promise<void> {
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
}

/** Drops the parked messages with `messageId` (all parked ones without it); returns the count. */
export async function discardDeadLetters(channel: Channel, consumer: string, queue: string, messageId: string | undefined): Promise<number> {
  const { messageCount } = await channel.checkQueue(queue);
  const taken = await take(channel, queue, messageCount);
  // Past the prefetch limit a take may hold a few parked after the call started: those stay.
  const dropped = taken
    .slice(0, messageCount)
    .filter((raw) => messageId === undefined || toDeadLetter(consumer, raw).envelope.messageId === messageId);
  if (dropped.length === taken.length) {
    settleThrough(channel, dropped, true);
    return dropped.length;
  }
  for (const raw of dropped) channel.ack(raw);
  // Waiting for the returned messages to count as ready again also waits for the acks before them.
  await giveBack(channel, queue, taken.length - dropped.length);
  return dropped.length;
}

function toDeadLetter(consumer: string, raw: Message): DeadLetter {
  const headers = readHeaders(raw.properties.headers);
  const fallbackTime = new Date().toISOString();
  return {
    consumer,
    envelope: tryDecode(raw) ?? malformedEnvelope(raw.content, raw.properties as { messageId?: unknown; correlationId?: unknown }, fallbackTime),
    headers,
    reason: readReason(headers, fallbackTime),
  };
}

function tryDecode(raw: Message): StoredEvent | null {
  try {
    return decodeEnvelope(raw.content);
  } catch {
    return null;
  }
}
