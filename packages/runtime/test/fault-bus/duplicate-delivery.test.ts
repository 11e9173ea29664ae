/**
 * Fault (b): the same message delivered twice. The processed-message record commits in the
 * same SQLite transaction as the handler's write, so the effect happens once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { startConsumer } from "../../src/consumer/consumer.js";
import { storeProcessedMessages } from "../../src/consumer/processed-messages.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { envelope } from "../bus/support/envelopes.js";
import { waitFor } from "../bus/support/wait.js";
import { countEffect } from "./children/effects.js";
import { startChild } from "./support/child.js";
import { createWorld, type FaultWorld } from "./support/fixture.js";

describe("fault: the same message delivered twice", () => {
  let world: FaultWorld;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => world.dispose());

  async function effectsConsumer(): Promise<{ store: SqliteEventStore; metrics: MetricsRecorder }> {
    const bus = await openBus(world.vhost.url);
    world.defer(() => bus.close());
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

  it("published twice: the handler's effect happens once", async () => {
    const { store, metrics } = await effectsConsumer();
    const publisher = await openBus(world.vhost.url);
    world.defer(() => publisher.close());
    const event = envelope("dup", 0);
    await publisher.publish([{ envelope: event }]);
    await publisher.publish([{ envelope: event }]);
    await waitFor(() => metrics.consumedSamples.length === 2, "both deliveries");
    expect(metrics.consumedSamples.map((s) => s.duplicate)).toEqual([false, true]);
    expect(await effectCount(store, event.messageId)).toBe(1);
  });

  it("redelivered after the consumer died between commit and ack: the effect happens once", async () => {
    const child = startChild(["consume-stall", world.storeFile, world.vhost.url]);
    world.defer(() => child.kill());
    await child.line(/^subscribed$/);
    const publisher = await openBus(world.vhost.url);
    world.defer(() => publisher.close());
    const event = envelope("crash", 0);
    await publisher.publish([{ envelope: event }]);
    await child.line(new RegExp(`^committed ${event.messageId}$`));
    await child.kill();

    const { store, metrics } = await effectsConsumer();
    await waitFor(() => metrics.consumedSamples.length === 1, "the redelivery");
    expect(metrics.consumedSamples[0]?.duplicate).toBe(true);
    expect(await effectCount(store, event.messageId)).toBe(1);
  });
});
