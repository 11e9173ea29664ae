import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { PublishError, type Bus, type BusMessage } from "../../src/bus/types.js";
import { relayBatch, startRelay, type Relay } from "../../src/relay/relay.js";
import { MemoryEventStore } from "../../src/store/memory-store.js";
import type { Outbox } from "../../src/store/outbox.js";
import { memoryLogger, type MessageLogRecord } from "../../src/observability/logger.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { noopTracing, type Tracing } from "../../src/observability/tracing.js";
import type { EventCodec, StoredEvent } from "../../src/types.js";
import { newEvent } from "../store/support.js";
import { waitFor } from "../bus/support/wait.js";
import { wrapBus } from "../bus/support/wrap.js";
import { acceptAll } from "../support/codec.js";

const running: Relay[] = [];
afterEach(async () => {
  for (const relay of running.splice(0)) await relay.stop();
});

/** Appends `count` events to each stream, one append per event, interleaving the streams. */
async function appendInterleaved(store: MemoryEventStore, streams: readonly string[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    for (const stream of streams) {
      await store.append(stream, [newEvent("ThingHappened", { stream, i, email: "a@b.c" }, { correlationId: `corr-${stream}` })], { kind: "any" });
    }
  }
}

async function collect(bus: Bus, consumer = "collector"): Promise<StoredEvent[]> {
  const received: StoredEvent[] = [];
  await bus.subscribe(consumer, async (m: BusMessage) => {
    received.push(m.envelope);
    await m.ack();
  });
  return received;
}

/** A bus whose publish fails while `state.down` is true. */
function flakyBus(inner: Bus): { bus: Bus; state: { down: boolean } } {
  const state = { down: false };
  const bus = wrapBus(inner, {
    publish: async (messages) => {
      if (state.down) throw new PublishError("the broker is down", 0);
      return inner.publish(messages);
    },
  });
  return { bus, state };
}

const positions = (events: readonly StoredEvent[], stream: string): number[] =>
  events.filter((e) => e.stream === stream).map((e) => e.position);

describe("relay", () => {
  it("publishes every outbox row in order and marks it sent", async () => {
    const store = new MemoryEventStore();
    const bus = createMemoryBus();
    const received = await collect(bus);
    await appendInterleaved(store, ["a", "b"], 30);
    const relay = startRelay(store.outbox, bus, { batchSize: 7 });
    running.push(relay);
    await waitFor(() => received.length === 60, "60 published events");
    expect(received.map((e) => e.globalPosition)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await store.outbox.fetchUnsent(100)).toEqual([]);
  });

  it("picks up events appended while it runs, at once after notify()", async () => {
    const store = new MemoryEventStore();
    const bus = createMemoryBus();
    const received = await collect(bus);
    // A poll interval far longer than the test: only notify() can wake the relay.
    const relay = startRelay(store.outbox, bus, { pollIntervalMs: 600_000 });
    running.push(relay);
    await relay.drained();
    await appendInterleaved(store, ["late"], 3);
    relay.notify();
    await waitFor(() => received.length === 3, "the late events");
  });

  it("backs off while the bus is down, then drains with nothing lost or reordered", async () => {
    const store = new MemoryEventStore();
    const { bus, state } = flakyBus(createMemoryBus());
    const received = await collect(bus);
    await appendInterleaved(store, ["a", "b", "c"], 10);
    state.down = true;
    const delays: number[] = [];
    const logger = memoryLogger();
    const metrics = new MetricsRecorder();
    const relay = startRelay(store.outbox, bus, {
      batchSize: 4,
      backoff: { initialMs: 10, maxMs: 40 },
      observability: createObservability({ logger, metrics }),
      sleep: async (ms) => {
        delays.push(ms);
        if (delays.length === 5) state.down = false;
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    running.push(relay);
    await waitFor(() => received.length === 30, "all 30 events after the bus came back");
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
    for (const stream of ["a", "b", "c"]) expect(positions(received, stream)).toEqual([...Array(10).keys()]);
    expect(new Set(received.map((e) => e.messageId)).size).toBe(30);
    expect(metrics.publishFailures.length).toBe(5);
    const relayErrors = logger.records.filter((r) => r.event === "relay-error");
    expect(relayErrors.length).toBe(5);
    expect(JSON.stringify(relayErrors[0])).toMatch(/retrying in 10 ms/);
  });

  it("marks the confirmed head of a failed batch sent and resumes after it", async () => {
    const store = new MemoryEventStore();
    const inner = createMemoryBus();
    const received = await collect(inner);
    await appendInterleaved(store, ["s"], 10);
    let failOnce = true;
    const bus = wrapBus(inner, {
      publish: async (messages) => {
        if (!failOnce) return inner.publish(messages);
        failOnce = false;
        await inner.publish(messages.slice(0, 3));
        throw new PublishError("the channel closed after 3 confirms", 3);
      },
    });
    await expect(relayBatch(store.outbox, bus, { batchSize: 10 })).rejects.toThrow(/after 3 confirms/);
    expect((await store.outbox.fetchUnsent(100)).map((r) => r.envelope.position)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(await relayBatch(store.outbox, bus, { batchSize: 10 })).toBe(7);
    await waitFor(() => received.length === 10, "ten events");
    expect(positions(received, "s")).toEqual([...Array(10).keys()]);
  });

  it("publishes again after a crash between publish and markSent: at least once, never lost", async () => {
    const store = new MemoryEventStore();
    const bus = createMemoryBus();
    const received = await collect(bus);
    await appendInterleaved(store, ["s"], 5);
    let crash = true;
    const outbox: Outbox = {
      fetchUnsent: (limit) => store.outbox.fetchUnsent(limit),
      markSent: async (ids) => {
        if (!crash) return store.outbox.markSent(ids);
        crash = false;
        throw new Error("the process died before markSent");
      },
    };
    await expect(relayBatch(outbox, bus)).rejects.toThrow(/died/);
    expect(await relayBatch(outbox, bus)).toBe(5);
    await waitFor(() => received.length === 10, "both publications");
    expect(received.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
  });

  it("logs each publication with its correlation id and a redacted payload, and sends trace headers", async () => {
    const store = new MemoryEventStore();
    const bus = createMemoryBus();
    const headers: Record<string, string>[] = [];
    await bus.subscribe("h", async (m) => void (headers.push({ ...m.headers }), await m.ack()));
    await appendInterleaved(store, ["p"], 2);
    const codec: EventCodec = {
      deserialize: (stored) => ({ type: stored.type }),
      currentVersion: () => 1,
      redact: (_type, _version, payload) => ({ ...(payload as object), email: "[redacted]" }),
      ...acceptAll(),
    };
    const tracing: Tracing = { ...noopTracing, publish: (e, h = {}) => ({ ...noopTracing.publish(e), headers: { ...h, trace: `t-${e.position}` } }) };
    const logger = memoryLogger();
    const metrics = new MetricsRecorder();
    await relayBatch(store.outbox, bus, { observability: createObservability({ logger, metrics, codec, tracing }) });
    const published = logger.records.filter((r): r is MessageLogRecord => r.event === "published");
    expect(published.map((r) => r.correlationId)).toEqual(["corr-p", "corr-p"]);
    expect(published[0]?.payload).toEqual({ stream: "p", i: 0, email: "[redacted]" });
    expect(JSON.stringify(logger.records)).not.toContain("a@b.c");
    expect(metrics.publishedSamples).toEqual([
      { type: "ThingHappened", stream: "p" },
      { type: "ThingHappened", stream: "p" },
    ]);
    await waitFor(() => headers.length === 2, "two deliveries");
    expect(headers.map((h) => h["trace"])).toEqual(["t-0", "t-1"]);
  });

  it("keeps payloads out of logs when no codec is given", async () => {
    const store = new MemoryEventStore();
    await appendInterleaved(store, ["q"], 1);
    const logger = memoryLogger();
    await relayBatch(store.outbox, createMemoryBus(), { observability: createObservability({ logger }) });
    expect(logger.records).toHaveLength(1);
    expect(JSON.stringify(logger.records)).not.toContain("a@b.c");
  });
});
