import { afterEach, describe, expect, it } from "vitest";
import { busNames } from "../../src/bus/nats/names.js";
import { openNatsBus } from "../../src/bus/nats/nats-bus.js";
import { openBus } from "../../src/bus/open-bus.js";
import { PublishError, type Bus, type BusMessage } from "../../src/bus/types.js";
import { memoryLogger, type SystemLogRecord } from "../../src/observability/logger.js";
import { describeBusConformance } from "./bus-conformance.js";
import { envelope, interleaved } from "./support/envelopes.js";
import { consumerState, createTestStream, heldEnvelopes, holdMessages, NATS_HOST, streamMessages, type TestStream } from "./support/nats.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";
import { waitFor } from "./support/wait.js";

describeBusConformance("nats jetstream", async () => {
  const stream = createTestStream();
  const bus = await openBus(stream.url);
  return {
    bus,
    dispose: async () => {
      await bus.close();
      await stream.dispose();
    },
  };
});

describe("nats jetstream bus", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
  });

  async function open(stream: TestStream, url = stream.url, options: Parameters<typeof openBus>[1] = {}): Promise<Bus> {
    const bus = await openBus(url, options);
    cleanup.push(() => stream.dispose(), () => bus.close());
    return bus;
  }

  it("lets two replays of the same dead letters run at once: each message delivered once, the counts adding up", async () => {
    const stream = createTestStream();
    const app = await open(stream);
    const operators = [await open(stream), await open(stream)];
    let park = true;
    const handled: string[] = [];
    await app.subscribe("twice", async (m) => {
      if (!park) return void (handled.push(m.envelope.messageId), await m.ack());
      const now = new Date().toISOString();
      await m.deadLetter({ message: "x", stack: null, attempts: 1, firstFailureAt: now, lastFailureAt: now });
    });
    await app.publish(interleaved(["twice"], 200).map((e) => ({ envelope: e })));
    await waitFor(async () => (await app.deadLetterDepth("twice")) === 200, "two hundred parked messages");
    park = false;
    const counts = await Promise.all(operators.map((bus) => bus.replayDeadLetters("twice")));
    expect(counts[0]! + counts[1]!).toBe(200);
    await waitFor(() => handled.length === 200, "the replayed messages");
    expect(new Set(handled).size).toBe(200);
    expect(await app.deadLetterDepth("twice")).toBe(0);
  });

  it("stores a message published twice once (Nats-Msg-Id within the duplicate window)", async () => {
    const stream = createTestStream();
    const bus = await open(stream);
    const seen: BusMessage[] = [];
    await bus.subscribe("dedupe", async (m) => void (seen.push(m), await m.ack()));
    const event = envelope("d", 0);
    await bus.publish([{ envelope: event }]);
    await bus.publish([{ envelope: event }, { envelope: envelope("d", 1) }]);
    await waitFor(() => seen.length === 2, "two messages");
    expect(seen.map((m) => m.envelope.position)).toEqual([0, 1]);
  });

  it("delivers to consumers named like choreography rules (dots, spaces, %) and takes their acks", async () => {
    // The server puts the durable name into a printf template for each ack subject: a `%` in it
    // garbled the subject and the client dropped its connection at the first delivery.
    const stream = createTestStream();
    const bus = await open(stream);
    const names = ["Notifications.onOrderPlaced", "a b%2E"];
    const seen = new Map<string, number>();
    for (const name of names) await bus.subscribe(name, async (m) => void (seen.set(name, (seen.get(name) ?? 0) + 1), await m.ack()));
    await bus.publish([{ envelope: envelope("n", 0) }, { envelope: envelope("n", 1) }]);
    await waitFor(() => names.every((n) => seen.get(n) === 2), "both messages at both consumers");
    for (const name of names) await waitFor(async () => (await consumerState(stream.name, busNames(stream.name).durable(name))).ackPending === 0, `${name} acked`);
  });

  it("parks a message returned more than maxDeliveries times, with the reason in headers", async () => {
    const stream = createTestStream();
    const bus = await open(stream, stream.url, { maxDeliveries: 3 });
    let deliveries = 0;
    await bus.subscribe("returns", async (m) => {
      deliveries += 1;
      await m.nack();
    });
    await bus.publish([{ envelope: envelope("r", 0) }]);
    await waitFor(async () => (await bus.deadLetterDepth("returns")) === 1, "the parked message");
    expect(deliveries).toBe(3);
    const [letter] = await bus.peekDeadLetters("returns");
    expect(letter?.reason).toMatchObject({ message: expect.stringMatching(/^delivered 4 times without being settled/), attempts: 3 });
    expect(letter?.headers["x-eda-error-message"]).toMatch(/delivered 4 times/);
  });

  it("carries header values NATS cannot hold as such (line breaks, %, surrounding spaces)", async () => {
    const stream = createTestStream();
    const bus = await open(stream);
    const seen: BusMessage[] = [];
    await bus.subscribe("odd-headers", async (m) => void (seen.push(m), await m.ack()));
    const headers = { stack: "Error: x\n    at y\r\n", percent: "100% %41", padded: "  both  " };
    await bus.publish([{ envelope: envelope("h", 0), headers }]);
    await waitFor(() => seen.length === 1, "the message");
    expect(seen[0]?.headers).toEqual(headers);
  });

  it("lets a consumer's types change between runs", async () => {
    const stream = createTestStream();
    const bus = await open(stream);
    const first = await bus.subscribe("types", async (m) => m.ack(), { types: ["A"] });
    await first.close();
    const seen: string[] = [];
    await bus.subscribe("types", async (m) => void (seen.push(m.envelope.type), await m.ack()), { types: ["B", "C"] });
    await bus.publish([envelope("t", 0, "A"), envelope("t", 1, "B"), envelope("t", 2, "C")].map((e) => ({ envelope: e })));
    await waitFor(() => seen.length === 2, "B and C");
    expect(seen).toEqual(["B", "C"]);
  });

  it("takes a new prefetch for an existing consumer", async () => {
    const stream = createTestStream();
    const bus = await open(stream);
    const first = await bus.subscribe("window", async (m) => m.ack(), { prefetch: 2 });
    await first.close();
    const held: BusMessage[] = [];
    await bus.subscribe("window", async (m) => void held.push(m), { prefetch: 3 });
    await bus.publish(interleaved(["w"], 5).map((e) => ({ envelope: e })));
    await waitFor(() => held.length === 3, "three deliveries");
    expect((await consumerState(stream.name, "window")).ackPending).toBe(3);
    await held[0]?.ack();
    await waitFor(() => held.length === 4, "a fourth delivery");
  });

  it("keeps a message no consumer has acknowledged yet, and drops it once all have (interest retention)", async () => {
    const stream = createTestStream();
    const bus = await open(stream);
    const slow = await bus.subscribe("slow", async (m) => m.ack());
    await slow.close();
    const fast: BusMessage[] = [];
    await bus.subscribe("fast", async (m) => void (fast.push(m), await m.ack()));
    await bus.publish(interleaved(["k"], 3).map((e) => ({ envelope: e })));
    await waitFor(() => fast.length === 3, "the fast consumer");
    expect(await streamMessages(stream.name)).toBe(3);
    await bus.subscribe("slow", async (m) => m.ack());
    await waitFor(async () => (await streamMessages(stream.name)) === 0, "the stream to empty");
  });

  describe("through a proxy the test can cut", () => {
    let proxy: TcpProxy;
    afterEach(async () => proxy.close());

    it("comes back after the connection is cut: subscriptions receive again, publishing resumes", async () => {
      proxy = await startTcpProxy(NATS_HOST);
      const stream = createTestStream();
      const logger = memoryLogger();
      const bus = await open(stream, `nats://${proxy.address}/${stream.name}`, { reconnect: { initialMs: 20, maxMs: 200 }, logger });
      const seen: BusMessage[] = [];
      await bus.subscribe("cut", async (m) => void (seen.push(m), await m.ack()));
      proxy.sever();
      await waitFor(() => logger.records.some((r) => r.event === "bus-reconnected"), "the reconnect");
      const event = envelope("c", 0);
      await waitFor(
        () => bus.publish([{ envelope: event }]).then(() => true, (e: unknown) => (e instanceof PublishError ? false : Promise.reject(e))),
        "an acknowledged publish",
      );
      await waitFor(() => seen.length >= 1, "the message after the cut");
      expect(seen[0]?.envelope.messageId).toBe(event.messageId);
      expect(logger.records.find((r) => r.event === "bus-connection-lost")).toMatchObject({ level: "warn" });
    });

    // The client writes a batch to the connection in one go, and on a reconnect drops what it had
    // not sent (nats-core's `prepare()` resets its outbound buffer; each dial has a new socket):
    // a cut loses the tail of what was sent, never a middle, so the relay's retry from the first
    // unconfirmed message (the stored ones dropped as duplicates) keeps the stream in order.
    it("keeps publish order when connections are cut in the middle of batches and the rest is published again", async () => {
      proxy = await startTcpProxy(NATS_HOST);
      const stream = createTestStream();
      const bus = await openNatsBus(`nats://${proxy.address}/${stream.name}`, { reconnect: { initialMs: 5, maxMs: 50 }, publishTimeoutMs: 800 });
      cleanup.push(() => stream.dispose(), () => bus.close());
      await holdMessages(stream.name);
      // Thousands of messages of 0.5 kB, so that each cut finds data on the wire and in buffers.
      const pad = "x".repeat(400);
      const events = Array.from({ length: 6_000 }, (_, i) => envelope("order", i, "ThingHappened", { pad }));
      const cutAfterMs = [1, 5, 10, 20];
      let attempts = 0;
      let failures = 0;
      let next = 0;
      while (next < events.length) {
        const batch = events.slice(next, next + 1_000).map((e) => ({ envelope: e }));
        const published = bus.publish(batch);
        const delay = cutAfterMs[attempts++];
        if (delay !== undefined) setTimeout(() => proxy.sever(), delay);
        try {
          await published;
          next += batch.length;
        } catch (error) {
          if (!(error instanceof PublishError)) throw error;
          failures += 1;
          next += error.confirmed;
          if (error.confirmed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      expect(failures).toBeGreaterThan(0);
      const stored = await heldEnvelopes(stream.name);
      expect(stored.map((e) => e.position)).toEqual(events.map((e) => e.position));
    });

    it("stops reconnecting when closed while it waits to reconnect", async () => {
      proxy = await startTcpProxy(NATS_HOST);
      const stream = createTestStream();
      const logger = memoryLogger();
      const bus = await open(stream, `nats://${proxy.address}/${stream.name}`, { reconnect: { initialMs: 400, maxMs: 400 }, logger });
      await bus.subscribe("closing", async (m) => m.ack());
      // The connection cut, the proxy still listening: a reconnect would succeed after its wait.
      proxy.sever();
      await waitFor(() => logger.records.some((r) => r.event === "bus-connection-lost"), "the lost connection");
      await bus.close();
      const records = logger.records.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(logger.records.slice(records).map((r) => r.event)).toEqual([]);
      // The client may finish a connect it had begun, and drops it; none stays open.
      expect(proxy.open).toBe(0);
    });

    it("fails over to the second address when the first one goes away", async () => {
      proxy = await startTcpProxy(NATS_HOST);
      const stream = createTestStream();
      const logger = memoryLogger();
      const url = `nats://${proxy.address},${NATS_HOST}/${stream.name}`;
      const bus = await open(stream, url, { reconnect: { initialMs: 20, maxMs: 200 }, logger });
      const seen: BusMessage[] = [];
      await bus.subscribe("failover", async (m) => void (seen.push(m), await m.ack()));
      expect(proxy.accepted).toBe(1);
      await proxy.close();
      await bus.publish([{ envelope: envelope("f", 0) }]).catch(() => undefined);
      const event = envelope("f", 1);
      await waitFor(
        () => bus.publish([{ envelope: event }]).then(() => true, (e: unknown) => (e instanceof PublishError ? false : Promise.reject(e))),
        "an acknowledged publish",
      );
      await waitFor(() => seen.some((m) => m.envelope.messageId === event.messageId), "the message through the second address");
      expect(logger.records.find((r): r is SystemLogRecord => r.event === "bus-reconnected")?.message).toContain(`through ${NATS_HOST}`);
    });
  });

  it("stops reconnecting once closed", async () => {
    const stream = createTestStream();
    const logger = memoryLogger();
    const bus = await openBus(stream.url, { logger });
    await bus.close();
    await stream.dispose();
    await expect(bus.publish([{ envelope: envelope("x", 0) }])).rejects.toBeInstanceOf(PublishError);
    expect(logger.records).toEqual([]);
  });
});
