/**
 * Declaring a NATS bus's streams and consumers, idempotently: several processes may open the
 * same bus at once, and a stream or consumer an operator made beforehand is used as it is
 * (its retention, replicas and limits are theirs to choose) as long as it can carry the bus.
 */
import type { ConsumerConfig, JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import type { BusNames } from "./names.js";

/** JetStream API error codes the bus reacts to. */
export const API = { consumerNotFound: 10014, streamNotFound: 10059, noMessageFound: 10037, messageDeleteFailed: 10057 } as const;

/** The API error code of a JetStream error, if it has one. */
export function apiCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** Stream settings the bus creates its streams with. */
export interface StreamSettings {
  /** Copies of each stream in a cluster (default 1). */
  readonly replicas: number;
  /** How long the server remembers message ids for deduplication. */
  readonly duplicateWindowMs: number;
}

const nanos = (ms: number): number => Math.round(ms * 1_000_000);

/**
 * Creates the events stream (interest retention: a message stays until every consumer has
 * acknowledged it, as a RabbitMQ queue keeps it) and the dead-letter stream (limits retention:
 * parked messages stay until replayed), unless they exist.
 */
export async function declareStreams(jsm: JetStreamManager, names: BusNames, settings: StreamSettings): Promise<void> {
  const common = { storage: "file", num_replicas: settings.replicas, duplicate_window: nanos(settings.duplicateWindowMs) } as const;
  await declareStream(jsm, { ...common, name: names.stream, subjects: [names.eventFilter], retention: "interest" }, names.eventFilter);
  await declareStream(jsm, { ...common, name: names.deadLetterStream, subjects: [names.deadLetterFilter], retention: "limits" }, names.deadLetterFilter);
}

async function declareStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }, subject: string): Promise<void> {
  const existing = await streamSubjects(jsm, config.name);
  if (existing === null) {
    try {
      await jsm.streams.add(config);
      return;
    } catch (error) {
      // Another process created it first: fall through and check what it made.
      if ((await streamSubjects(jsm, config.name)) === null) throw error;
    }
  }
  const subjects = (await streamSubjects(jsm, config.name)) ?? [];
  if (!subjects.includes(subject)) {
    throw new Error(
      `the JetStream stream "${config.name}" exists but does not take the subjects ${subject} (it takes ${subjects.join(", ") || "none"}); ` +
        `add them to it, or name another stream in the bus URL`,
    );
  }
}

async function streamSubjects(jsm: JetStreamManager, name: string): Promise<string[] | null> {
  try {
    return (await jsm.streams.info(name)).config.subjects ?? [];
  } catch (error) {
    if (apiCode(error) === API.streamNotFound) return null;
    throw error;
  }
}

/** How a consumer is declared. */
export interface ConsumerSettings {
  readonly prefetch: number;
  readonly ackWaitMs: number;
}

/**
 * Creates the durable pull consumer of an eda consumer (explicit acks; it sees the messages
 * published from its creation on, as a new RabbitMQ queue does), or brings the prefetch and
 * ack wait of an existing one to what this subscription asks.
 */
export async function declareConsumer(jsm: JetStreamManager, names: BusNames, consumer: string, settings: ConsumerSettings): Promise<void> {
  const durable = names.durable(consumer);
  const wanted = { max_ack_pending: settings.prefetch, ack_wait: nanos(settings.ackWaitMs) };
  let current: ConsumerConfig | null;
  try {
    current = (await jsm.consumers.info(names.stream, durable)).config;
  } catch (error) {
    if (apiCode(error) !== API.consumerNotFound) throw error;
    current = null;
  }
  if (current === null) {
    const config: Partial<ConsumerConfig> = {
      ...wanted,
      durable_name: durable,
      ack_policy: "explicit",
      deliver_policy: "new",
      // Every event: the types are filtered in the client, so that a consumer's types may change
      // between runs (servers before 2.10 take one filter subject, and changing it loses messages).
      filter_subject: names.eventFilter,
      // Redelivery is bounded by the bus (it parks the message with a reason), not by the server,
      // which would leave the message in the stream with only an advisory to tell.
      max_deliver: -1,
    };
    await jsm.consumers.add(names.stream, config);
    return;
  }
  if (current.max_ack_pending !== wanted.max_ack_pending || current.ack_wait !== wanted.ack_wait) {
    await jsm.consumers.update(names.stream, durable, wanted);
  }
}
