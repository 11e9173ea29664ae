/**
 * Declaring a consumer's queues as classic or quorum queues. A queue's type cannot change in
 * place: RabbitMQ refuses a declaration whose `x-queue-type` differs from the existing queue's
 * (PRECONDITION_FAILED, which also closes the channel). So the wanted type applies to new
 * queues only; an existing queue of the other type is declared again as what it is, and the
 * owner is told, so that a deployment made before quorum queues were the default keeps working
 * (moving it means draining and deleting the queue, or a shovel; see BUS.md).
 */
import type { Channel, ChannelModel } from "amqplib";

/** The queue types the bus declares. */
export type QueueType = "classic" | "quorum";

/** Deliveries after which a quorum queue dead-letters a message itself (`x-delivery-limit`). */
export const QUORUM_DELIVERY_LIMIT = 20;

/** What happened to one queue's declaration. */
export interface QueueDeclared {
  readonly queue: string;
  readonly wanted: QueueType;
  readonly actual: QueueType;
}

/** The name of a consumer's dead-letter queue. */
export function deadLetterQueueOf(consumer: string): string {
  return `${consumer}.dlq`;
}

/**
 * Declares `<consumer>.dlq` and `<consumer>` (single active consumer, dead-lettering to the
 * former) as `wanted`, or as their existing type; returns what each became.
 */
export async function declareConsumerQueues(model: ChannelModel, consumer: string, wanted: QueueType): Promise<QueueDeclared[]> {
  const dlq = deadLetterQueueOf(consumer);
  const main = (type: QueueType): Record<string, unknown> => ({
    "x-single-active-consumer": true,
    "x-dead-letter-exchange": "",
    "x-dead-letter-routing-key": dlq,
    ...(type === "quorum" ? { "x-delivery-limit": QUORUM_DELIVERY_LIMIT } : {}),
  });
  return [await declareQueue(model, dlq, wanted, () => ({})), await declareQueue(model, consumer, wanted, main)];
}

async function declareQueue(
  model: ChannelModel,
  queue: string,
  wanted: QueueType,
  extra: (type: QueueType) => Record<string, unknown>,
): Promise<QueueDeclared> {
  try {
    await onChannel(model, (channel) => channel.assertQueue(queue, { durable: true, arguments: argumentsOf(wanted, extra) }));
    return { queue, wanted, actual: wanted };
  } catch (error) {
    const actual = existingType(error);
    if (actual === null || actual === wanted) throw error;
    await onChannel(model, (channel) => channel.assertQueue(queue, { durable: true, arguments: argumentsOf(actual, extra) }));
    return { queue, wanted, actual };
  }
}

function argumentsOf(type: QueueType, extra: (type: QueueType) => Record<string, unknown>): Record<string, unknown> {
  // Classic queues are declared without `x-queue-type`, as they always were, so that queues
  // declared by earlier versions stay equivalent.
  return { ...(type === "quorum" ? { "x-queue-type": "quorum" } : {}), ...extra(type) };
}

/** The existing queue's type, when `error` is RabbitMQ refusing a different `x-queue-type`. */
function existingType(error: unknown): QueueType | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!/PRECONDITION_FAILED/.test(message) || !/x-queue-type/.test(message)) return null;
  // "… but current is none" or "… but current is the value 'quorum' of type 'longstr'"
  const current = /current is (?:the value )?'?(none|classic|quorum|stream)'?/.exec(message)?.[1];
  if (current === "quorum") return "quorum";
  if (current === "none" || current === "classic") return "classic";
  return null;
}

/** Runs one declaration on a channel of its own (a refused declaration closes its channel). */
async function onChannel<T>(model: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await model.createChannel();
  channel.on("error", () => undefined);
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}
