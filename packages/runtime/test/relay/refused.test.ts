/**
 * A message the broker refuses does not hold back the outbox: after `maxRefusals` refusals the
 * relay parks it (in the store's `eda_parked`, runner `relay`, through the app's parking) and
 * publishes the messages behind it. On a bus that refuses large messages, on RabbitMQ with a
 * queue that rejects what does not fit (a policy on the test's own vhost), and on NATS with a
 * message above the server's payload limit.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { relayParking, retryRelayParked } from "../../src/app/parked.js";
import { openBus } from "../../src/bus/open-bus.js";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { PublishError, type Bus, type BusMessage } from "../../src/bus/types.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { parkedTable } from "../../src/parking/parked-table.js";
import { startRelay, type Relay } from "../../src/relay/relay.js";
import type { EventStore } from "../../src/store/event-store.js";
import type { StoredEvent } from "../../src/types.js";
import { createTestStream } from "../bus/support/nats.js";
import { createVhost, type TestVhost } from "../bus/support/rabbit.js";
import { waitFor } from "../bus/support/wait.js";
import { wrapBus } from "../bus/support/wrap.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";

const run = promisify(execFile);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function storeOf(engine: "sqlite" | "postgres"): Promise<EventStore> {
  const harness: StoreHarness = await createHarness(engine);
  cleanup.push(() => harness.dispose());
  return harness.open();
}

/** Appends small, big (`bigBytes` of text), small. */
async function appendThree(store: EventStore, bigBytes: number): Promise<void> {
  for (const [id, size] of [["small-1", 10], ["big", bigBytes], ["small-2", 10]] as const) {
    await store.append(`s-${id}`, [newEvent("Noted", { text: "x".repeat(size) }, { messageId: id })], { kind: "no-stream" });
  }
}

async function collect(bus: Bus, consumer: string): Promise<StoredEvent[]> {
  const received: StoredEvent[] = [];
  const subscription = await bus.subscribe(consumer, async (m: BusMessage) => {
    received.push(m.envelope);
    await m.ack();
  });
  cleanup.push(() => subscription.close());
  return received;
}

function relay(store: EventStore, bus: Bus, metrics: MetricsRecorder): Relay {
  const r = startRelay(store.outbox, bus, {
    park: relayParking(store),
    maxRefusals: 2,
    backoff: { initialMs: 5, maxMs: 20 },
    pollIntervalMs: 20,
    observability: createObservability({ metrics }),
  });
  cleanup.push(() => r.stop());
  return r;
}

async function parkedOf(store: EventStore) {
  return store.transaction((tx) => parkedTable(tx).list("relay"));
}

describe.each(["sqlite", "postgres"] as const)("the relay parks a refused message on %s", (engine) => {
  it("with a bus that refuses messages above a size, publishes the rest, and retries the parked one", async () => {
    const store = await storeOf(engine);
    const inner = createMemoryBus();
    let limit = 1_000;
    const bus = wrapBus(inner, {
      publish: async (messages) => {
        const at = messages.findIndex((m) => JSON.stringify(m.envelope).length > limit);
        if (at === -1) return inner.publish(messages);
        await inner.publish(messages.slice(0, at));
        throw new PublishError("message size above the broker's limit", at, { refused: true });
      },
    });
    cleanup.push(() => inner.close());
    const received = await collect(bus, "reader");
    await appendThree(store, 5_000);
    const metrics = new MetricsRecorder();
    relay(store, bus, metrics);
    await waitFor(() => received.length === 2, "the messages behind it published");
    expect(received.map((e) => e.messageId)).toEqual(["small-1", "small-2"]);
    expect(await parkedOf(store)).toMatchObject([{ runner: "relay", messageId: "big", reason: "refused", attempts: 1, error: expect.stringMatching(/above the broker's limit/) }]);
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    expect(metrics.parkedSamples).toEqual([{ runner: "relay", type: "Noted", reason: "refused", blocking: false }]);
    // The broker's limit raised: the parked message goes out.
    limit = 100_000;
    expect(await retryRelayParked(store, bus)).toEqual({ retried: 1, stillParked: 0 });
    await waitFor(() => received.length === 3, "the parked message published");
    expect(await parkedOf(store)).toEqual([]);
  });
});

describe("on NATS JetStream", () => {
  it("a message above the server's payload limit (1 MB by default) is parked, the others delivered", async () => {
    const stream = createTestStream();
    cleanup.push(() => stream.dispose());
    const store = await storeOf("sqlite");
    const bus = await openBus(stream.url);
    cleanup.push(() => bus.close());
    const received = await collect(bus, "reader");
    await appendThree(store, 1_200_000);
    relay(store, bus, new MetricsRecorder());
    await waitFor(() => received.length === 2, "the small messages delivered", 20_000);
    expect(received.map((e) => e.messageId)).toEqual(["small-1", "small-2"]);
    await waitFor(async () => (await parkedOf(store)).length === 1, "the big message parked");
    expect((await parkedOf(store))[0]).toMatchObject({ messageId: "big", reason: "refused" });
  });
});

describe("on RabbitMQ", () => {
  let vhost: TestVhost;
  it("a queue that rejects what does not fit: the big message is parked, the others delivered", async () => {
    vhost = await createVhost();
    cleanup.push(() => vhost.dispose());
    await run("rabbitmqctl", ["--quiet", "set_policy", "-p", vhost.name, "small-queues", "^reader$", '{"max-length-bytes":2000,"overflow":"reject-publish"}', "--apply-to", "queues"]);
    const store = await storeOf("sqlite");
    // A classic queue checks the limit before it takes a message (a quorum queue takes the one
    // that crosses it and refuses the next ones, until it drains).
    const bus = await openBus(vhost.url, { queueType: "classic" });
    cleanup.push(() => bus.close());
    const received = await collect(bus, "reader");
    await appendThree(store, 5_000);
    relay(store, bus, new MetricsRecorder());
    await waitFor(() => received.length === 2, "the small messages delivered", 20_000);
    expect(received.map((e) => e.messageId)).toEqual(["small-1", "small-2"]);
    await waitFor(async () => (await parkedOf(store)).length === 1, "the big message parked");
    expect((await parkedOf(store))[0]).toMatchObject({ messageId: "big", reason: "refused" });
  });
});
