/**
 * Fault (a): the runtime dies between append and publish. Events and outbox rows commit in one
 * transaction, so after a restart the relay finds every unpublished event and publishes it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { waitFor } from "../bus/support/wait.js";
import { startChild } from "./support/child.js";
import { collect, positionsOf } from "./support/collector.js";
import { BROKERS, createWorld, type FaultWorld } from "./support/fixture.js";

const STREAMS = ["a", "b", "c"];
const PER_STREAM = 10;
const range = (n: number): number[] => [...Array(n).keys()];

async function unsentCount(file: string): Promise<number> {
  const store = new SqliteEventStore(file);
  try {
    return (await store.outbox.fetchUnsent(1_000)).length;
  } finally {
    await store.close();
  }
}

describe.each(BROKERS)("fault: killed between append and publish (%s)", (kind) => {
  let world: FaultWorld;
  beforeEach(async () => {
    world = await createWorld(kind);
  });
  afterEach(async () => world.dispose());

  it("after a restart the relay publishes every event: nothing lost, each stream in order", async () => {
    const bus = await world.openBus();
    const audit = await collect(bus, "audit");
    world.defer(() => audit.consumer.close());

    const appender = startChild(["append", world.storeFile, world.busUrl, String(PER_STREAM)]);
    world.defer(() => appender.kill());
    await appender.line(/^appended$/);
    await appender.kill();
    expect(await unsentCount(world.storeFile)).toBe(STREAMS.length * PER_STREAM);

    const relay = startChild(["relay", world.storeFile, world.busUrl]);
    world.defer(() => relay.kill());
    await relay.line(/^drained$/);
    expect(await relay.exited).toBe(0);

    await waitFor(() => audit.handled.length === STREAMS.length * PER_STREAM, "every event at the consumer");
    for (const stream of STREAMS) expect(positionsOf(audit.handled, stream)).toEqual(range(PER_STREAM));
    expect(await unsentCount(world.storeFile)).toBe(0);
  });

  it("killed after a publish but before markSent: the restart publishes again, handled once", async () => {
    const bus = await world.openBus();
    const audit = await collect(bus, "audit");
    world.defer(() => audit.consumer.close());

    const appender = startChild(["append", world.storeFile, world.busUrl, String(PER_STREAM)]);
    world.defer(() => appender.kill());
    await appender.line(/^appended$/);
    await appender.kill();

    const stalled = startChild(["relay-stall", world.storeFile, world.busUrl]);
    world.defer(() => stalled.kill());
    await stalled.line(/^published-unmarked$/);
    await stalled.kill();
    // Batches of 5: the first was marked, the second confirmed by the broker but not marked.
    expect(await unsentCount(world.storeFile)).toBe(STREAMS.length * PER_STREAM - 5);

    const relay = startChild(["relay", world.storeFile, world.busUrl]);
    world.defer(() => relay.kill());
    await relay.line(/^drained$/);

    const total = STREAMS.length * PER_STREAM;
    // RabbitMQ delivers the five again (the consumer skips them); NATS drops them at publish.
    const copies = world.dedupesPublishes ? 0 : 5;
    await waitFor(() => audit.deliveries() === total + copies, "every event, and any copy the broker delivered");
    expect(audit.handled).toHaveLength(total);
    expect(audit.metrics.consumedSamples.filter((s) => s.duplicate)).toHaveLength(copies);
    for (const stream of STREAMS) expect(positionsOf(audit.handled, stream)).toEqual(range(PER_STREAM));
  });
});
