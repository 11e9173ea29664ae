/**
 * NATS JetStream for tests: each test (or file) gets streams of its own, named at random and
 * deleted afterwards — only those, never another user's streams on the shared server.
 */
import { randomBytes } from "node:crypto";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

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
