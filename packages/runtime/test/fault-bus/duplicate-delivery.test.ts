/**
 * Fault (b): the same message delivered twice. The processed-message record commits in the
 * same SQLite transaction as the handler's write, so the effect happens once. (NATS already
 * drops the second publish of a message id within its duplicate window; the consumer's record
 * covers the redelivery after a crash.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startConsumer } from "../../src/consumer/consumer.js";
import { storeProcessedMessages } from "../../src/consumer/processed-messages.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { envelope } from "../bus/support/envelopes.js";
import { waitFor } from "../bus/support/wait.js";
import { countEffect } from "./children/effects.js";
import { startChild } from "./support/child.js";
import { ALL_KINDS, BROKERS, createWorld, type BusKind, type FaultWorld } from "./support/fixture.js";

function withWorld(kind: BusKind): () => FaultWorld {
  let world: FaultWorld;
  beforeEach(async () => {
    world = await createWorld(kind);
  });
  afterEach(async () => world.dispose());
  return () => world;
}

async function effectsConsumer(world: FaultWorld): Promise<{ store: SqliteEventStore; metrics: MetricsRecorder }> {
  const bus = await world.openBus();
  const store = new SqliteEventStore(world.storeFile);
  world.defer(() => store.close());
  const metrics = new MetricsRecorder();
  const consumer = await startConsumer(bus, {
    name: "effects",
    processed: storeProcessedMessages(store),
    observability: createObservability({ metrics }),
    handle: (e, { tx }) => countEffect(tx, e.messageId),
  });
  world.defer(() => consumer.close());
  return { store, metrics };
}

const effectCount = async (store: SqliteEventStore, id: string): Promise<unknown> =>
  (await store.transaction((tx) => tx.getRows("effects", [id]))).get(id);

describe.each(ALL_KINDS)("fault: the same message published twice (%s)", (kind) => {
  const world = withWorld(kind);

  it("the handler's effect happens once", async () => {
    const { store, metrics } = await effectsConsumer(world());
    const publisher = await world().openBus();
    const event = envelope("dup", 0);
    const after = envelope("dup", 1);
    await publisher.publish([{ envelope: event }]);
    await publisher.publish([{ envelope: event }, { envelope: after }]);
    // The broker either delivers the copy (the consumer skips it) or drops it at publish.
    const expected = world().dedupesPublishes ? [false, false] : [false, true, false];
    await waitFor(() => metrics.consumedSamples.length === expected.length, "every delivery");
    expect(metrics.consumedSamples.map((s) => s.duplicate)).toEqual(expected);
    expect(await effectCount(store, event.messageId)).toBe(1);
    expect(await effectCount(store, after.messageId)).toBe(1);
  });
});

describe.each(BROKERS)("fault: the consumer died between commit and ack (%s)", (kind) => {
  const world = withWorld(kind);

  it("the message is redelivered and its effect happens once", async () => {
    const child = startChild(["consume-stall", world().storeFile, world().busUrl]);
    world().defer(() => child.kill());
    await child.line(/^subscribed$/);
    const publisher = await world().openBus();
    const event = envelope("crash", 0);
    await publisher.publish([{ envelope: event }]);
    await child.line(new RegExp(`^committed ${event.messageId}$`));
    await child.kill();

    const { store, metrics } = await effectsConsumer(world());
    await waitFor(() => metrics.consumedSamples.length === 1, "the redelivery");
    expect(metrics.consumedSamples[0]?.duplicate).toBe(true);
    expect(await effectCount(store, event.messageId)).toBe(1);
  });
});
