/**
 * Taking parked messages off a dead-letter queue so that one command settles them all.
 *
 * A quorum queue (RabbitMQ 3.10, rabbitmq-server#10327, open) settles each basic.get delivery
 * with a command of its own, so acking n messages taken with basic.get — even with one
 * multiple-ack — sends the queue n commands. Past 32 in flight the channel holds the rest back
 * until the queue reports the first ones applied, and a channel closed before that drops them:
 * the messages return as if never acked (measured: 67 of 100 came back, every other run or
 * more when the connection also consumes; single acks of consumed messages lose the same 67).
 * Messages taken by one basic.consume share one consumer tag, so a multiple-ack (or
 * multiple-nack) is one command, sent before the channel can close; the queue learns of the
 * close only after it, and applies it. A take always ends by cancelling its consumer, so that
 * messages it returns are not delivered to it again.
 */
import type { Channel, ConsumeMessage } from "amqplib";

/** basic.qos counts in 16 bits; a larger take runs without a prefetch limit. */
export const MAX_PREFETCH = 65_535;

/** How long a take waits without a delivery before it stops with what it has. */
const IDLE_MS = 5_000;

/**
 * Takes, unacked and oldest first, `count` messages of `queue` or as many as it holds (others
 * taking at once get the rest), and cancels its consumer. Above `MAX_PREFETCH` it may take a few
 * more than `count`. Settle them up to the last one (`settleThrough`), not with ackAll: a
 * delivery that trails the cancel is not among them, stays unacked and goes back with `nackAll`
 * or when the channel closes.
 */
export async function take(channel: Channel, queue: string, count: number): Promise<ConsumeMessage[]> {
  if (count <= 0) return [];
  const taken: ConsumeMessage[] = [];
  await channel.prefetch(count > MAX_PREFETCH ? 0 : count);
  const { consumerTag } = await channel.consume(queue, (raw) => void (raw !== null && taken.push(raw)), { noAck: false });
  let seen = 0;
  let lastProgress = Date.now();
  let emptyAt = -1;
  while (taken.length < count && Date.now() - lastProgress < IDLE_MS) {
    if (taken.length > seen) [seen, lastProgress] = [taken.length, Date.now()];
    // Deliveries may trail the answer that the queue is empty, but not the next answer after it.
    if ((await channel.checkQueue(queue)).messageCount > 0) emptyAt = -1;
    else if (emptyAt === taken.length) break;
    else emptyAt = taken.length;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Cancelled even when short: a consumer left on would receive again what the caller returns.
  // Deliveries before the cancel's answer join `taken`; any after it are dropped by amqplib
  // without a handler ("Unknown consumer"), held by the channel, unacked.
  ignoreLateDeliveries(channel);
  await channel.cancel(consumerTag);
  return [...taken];
}

const lateTolerant = new WeakSet<Channel>();

/**
 * amqplib throws "Unknown consumer" for a delivery to a cancelled consumer, and that closes the
 * channel, returning what it holds before it is settled. Reported as a handler error instead
 * (amqplib 1.0.7 and later, once a listener is on), it is ignored: the message stays unacked.
 * Any other handler error still closes the channel.
 */
function ignoreLateDeliveries(channel: Channel): void {
  if (lateTolerant.has(channel)) return;
  lateTolerant.add(channel);
  channel.on("handler-error", (error: unknown, event: unknown) => {
    if (event === "delivery" && error instanceof Error && error.message.startsWith("Unknown consumer")) return;
    channel.close().catch(() => undefined);
  });
}

/** Acks (or returns) every message of the channel up to the last of `taken`: one command. */
export function settleThrough(channel: Channel, taken: readonly ConsumeMessage[], ack: boolean): void {
  const last = taken.at(-1);
  if (last === undefined) return;
  if (ack) channel.ack(last, true);
  else channel.nack(last, true, true);
}
