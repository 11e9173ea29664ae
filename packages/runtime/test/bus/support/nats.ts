/**
 * NATS JetStream for tests: each test (or file) gets streams of its own, named at random and
 * deleted afterwards — only those, never another user's streams on the shared server.
 */
import { randomBytes } from "node:crypto";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { decodeEnvelope } from "../../../src/bus/envelope-wire.js";
import type { StoredEvent } from "../../../src/types.js";

/** The server the tests use. */
export const NATS_HOST = process.env["EDA_TEST_NATS_HOST"] ?? "127.0.0.1:4222";

/** The streams of one test. */
export interface TestStream {
  /** The events stream's name (its dead-letter stream is `<name>_DLQ`). */
  readonly name: string;
  /** `nats://host/<name>` */
  readonly url: string;
  /** Deletes the two streams, if they were created. */
  dispose(): Promise<void>;
}

/** A fresh stream name and its URL; the bus creates the streams on open. */
export function createTestStream(host = NATS_HOST): TestStream {
  const name = `eda_test_${randomBytes(5).toString("hex")}`;
  return { name, url: `nats://${host}/${name}`, dispose: () => deleteStreams([name, `${name}_DLQ`]) };
}

async function deleteStreams(names: readonly string[]): Promise<void> {
  const nc = await connect({ servers: NATS_HOST });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** What the server holds for a consumer of a test stream (for assertions on server state). */
export async function consumerState(stream: string, durable: string): Promise<{ ackPending: number; pending: number; redelivered: number }> {
  const nc = await connect({ servers: NATS_HOST });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(stream, durable);
    return { ackPending: info.num_ack_pending, pending: info.num_pending, redelivered: info.num_redelivered };
  } finally {
    await nc.close();
  }
}

/** Messages stored in a stream right now. */
export async function streamMessages(stream: string): Promise<number> {
  const nc = await connect({ servers: NATS_HOST });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

const HOLDER = "eda_test_holder";

/**
 * Makes an interest-retention stream keep everything published from now on (it stores nothing
 * no consumer wants): a durable consumer that never acks, read later by `heldEnvelopes`.
 */
export async function holdMessages(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_HOST });
  try {
    await (await jetstreamManager(nc)).consumers.add(stream, { durable_name: HOLDER, ack_policy: AckPolicy.Explicit, max_ack_pending: -1 });
  } finally {
    await nc.close();
  }
}

/** The envelopes a stream holds (since `holdMessages`), in stream order. */
export async function heldEnvelopes(stream: string): Promise<StoredEvent[]> {
  const nc = await connect({ servers: NATS_HOST });
  try {
    const total = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    const holder = await jetstream(nc).consumers.get(stream, HOLDER);
    const held: StoredEvent[] = [];
    while (held.length < total) {
      for await (const m of await holder.fetch({ max_messages: 1_000, expires: 2_000 })) held.push(decodeEnvelope(m.data));
    }
    return held;
  } finally {
    await nc.close();
  }
}
