import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import type { Bus } from "../../src/bus/types.js";
import { CircuitBreaker } from "../../src/consumer/circuit-breaker.js";
import { startConsumer, type ConsumerOptions, type RunningConsumer } from "../../src/consumer/consumer.js";
import { memoryProcessedMessages } from "../../src/consumer/processed-messages.js";
import { memoryLogger, type MessageLogRecord } from "../../src/observability/logger.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import type { StoredEvent } from "../../src/types.js";
import { envelope, interleaved } from "../bus/support/envelopes.js";
import { gate, waitFor } from "../bus/support/wait.js";

const consumers: RunningConsumer[] = [];
const buses: Bus[] = [];
afterEach(async () => {
  for (const consumer of consumers.splice(0)) await consumer.close();
  for (const bus of buses.splice(0)) await bus.close();
});

function newBus(): Bus {
  const bus = createMemoryBus();
  buses.push(bus);
  return bus;
}

async function start(bus: Bus, options: Omit<ConsumerOptions<undefined>, "processed" | "name"> & { name?: string }): Promise<RunningConsumer> {
  const consumer = await startConsumer(bus, {
    name: "c",
    processed: memoryProcessedMessages(),
    retry: { maxRetries: 2, backoff: { initialMs: 1, maxMs: 4 } },
    ...options,
  });
  consumers.push(consumer);
  return consumer;
}

const publish = (bus: Bus, events: readonly StoredEvent[]): Promise<void> => bus.publish(events.map((e) => ({ envelope: e })));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("consumer", () => {
  it("keeps per-stream order while streams run side by side", async () => {
    const bus = newBus();
    const handled: StoredEvent[] = [];
    await start(bus, {
      handle: async (e) => {
        // Streams finish at different speeds: later streams overtake, positions within a stream never do.
        for (let i = 0; i < (e.stream.charCodeAt(0) % 3) + 1; i++) await tick();
        handled.push(e);
      },
    });
    const events = interleaved(["a", "b", "c"], 15);
    await publish(bus, events);
    await waitFor(() => handled.length === 45, "45 handled events");
    for (const stream of ["a", "b", "c"]) {
      expect(handled.filter((e) => e.stream === stream).map((e) => e.position)).toEqual([...Array(15).keys()]);
    }
  });

  it("handles a message delivered twice only once", async () => {
    const bus = newBus();
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    let effects = 0;
    await start(bus, { handle: async () => void (effects += 1), observability: createObservability({ metrics, logger }) });
    const event = envelope("dup", 0);
    await publish(bus, [event, event]);
    await waitFor(() => metrics.consumedSamples.length === 2, "both deliveries");
    expect(effects).toBe(1);
    expect(metrics.consumedSamples.map((s) => s.duplicate)).toEqual([false, true]);
    expect(logger.records.map((r) => r.event)).toEqual(["consume-started", "consumed", "consume-started", "duplicate-skipped"]);
  });

  it("retries a failing handler with exponential back-off and succeeds without parking", async () => {
    const bus = newBus();
    const attempts: number[] = [];
    const delays: number[] = [];
    await start(bus, {
      retry: { maxRetries: 3, backoff: { initialMs: 10, maxMs: 25 } },
      sleep: async (ms) => void delays.push(ms),
      handle: async (_e, context) => {
        attempts.push(context.attempt);
        if (context.attempt < 4) throw new Error("flaky");
      },
    });
    await publish(bus, [envelope("r", 0)]);
    await waitFor(() => attempts.length === 4, "four attempts");
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([10, 20, 25]);
    expect(await bus.deadLetterDepth("c")).toBe(0);
  });

  it("parks a poison message after 1+N attempts with its cause, while other streams keep flowing", async () => {
    const bus = newBus();
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    const othersDone = gate();
    const poisonAttempts: number[] = [];
    const handled: StoredEvent[] = [];
    let failureTimes = 0;
    await start(bus, {
      observability: createObservability({ metrics, logger }),
      clock: () => new Date(Date.UTC(2026, 0, 15, 12, 0, 0) + 1000 * failureTimes++),
      // The poison message's back-off waits until every other stream is done: if the
      // consumer blocked on it, this test would time out.
      sleep: () => othersDone.promise,
      handle: async (e, context) => {
        if (e.stream === "poison" && e.position === 1) {
          poisonAttempts.push(context.attempt);
          throw new TypeError(`cannot handle ${e.messageId}`);
        }
        handled.push(e);
        if (handled.filter((h) => h.stream !== "poison").length === 20) othersDone.open();
      },
    });
    const events = interleaved(["poison", "x", "y"], 10);
    const poison = events.find((e) => e.stream === "poison" && e.position === 1);
    await publish(bus, events);
    await waitFor(async () => (await bus.deadLetterDepth("c")) === 1, "the parked poison message");
    await waitFor(() => handled.length === 29, "every other message, later poison-stream ones included");
    expect(poisonAttempts).toEqual([1, 2, 3]);
    expect(handled.filter((e) => e.stream === "poison").map((e) => e.position)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);

    const [letter] = await bus.peekDeadLetters("c");
    expect(letter?.envelope.messageId).toBe(poison?.messageId);
    expect(letter?.reason.message).toBe(`cannot handle ${poison?.messageId}`);
    expect(letter?.reason.stack).toMatch(/^TypeError: cannot handle/);
    expect(letter?.reason.attempts).toBe(3);
    expect(Date.parse(letter?.reason.lastFailureAt ?? "") - Date.parse(letter?.reason.firstFailureAt ?? "")).toBeGreaterThan(0);

    expect(metrics.failures.map((f) => [f.attempt, f.final])).toEqual([[1, false], [2, false], [3, true]]);
    expect(metrics.deadLetterDepths.get("c")).toBe(1);
    const parked = logger.records.find((r): r is MessageLogRecord => r.event === "dead-lettered");
    expect(parked?.correlationId).toBe("corr-poison");
    expect(parked?.error?.message).toBe(`cannot handle ${poison?.messageId}`);
  });

  it("replays parked messages in original order once the handler is fixed", async () => {
    const bus = newBus();
    let broken = true;
    const handled: StoredEvent[] = [];
    await start(bus, {
      retry: { maxRetries: 0 },
      handle: async (e) => {
        if (broken && e.stream === "p") throw new Error("not yet");
        handled.push(e);
      },
    });
    const events = interleaved(["p", "q"], 4);
    await publish(bus, events);
    await waitFor(async () => (await bus.deadLetterDepth("c")) === 4 && handled.length === 4, "four parked and four handled");
    broken = false;
    expect(await bus.replayDeadLetters("c")).toBe(4);
    await waitFor(() => handled.length === 8, "the replayed messages");
    expect(handled.slice(4).map((e) => e.position)).toEqual([0, 1, 2, 3]);
    expect(handled.slice(4).every((e) => e.stream === "p")).toBe(true);
  });

  it("waits for an open circuit without spending retries", async () => {
    const bus = newBus();
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000, clock: () => now });
    const waits: number[] = [];
    let downstreamUp = false;
    let delivered = 0;
    await start(bus, {
      retry: { maxRetries: 1, backoff: { initialMs: 5, maxMs: 5 } },
      clock: () => new Date(now),
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
        downstreamUp = now >= 1_000;
      },
      handle: () =>
        breaker.execute(async () => {
          if (!downstreamUp) throw new Error("downstream is down");
          delivered += 1;
        }),
    });
    await publish(bus, [envelope("cb", 0)]);
    await waitFor(() => delivered === 1, "the delivery once the downstream is back");
    // Attempt 1 fails and opens the circuit; the retry meets the open circuit and waits out the
    // cool-down without counting (with maxRetries 1, counting it would park the message); then
    // its probe call succeeds.
    expect(waits).toEqual([5, 995]);
    expect(await bus.deadLetterDepth("c")).toBe(0);
  });

  it("on close, returns a message waiting for a retry; a new consumer handles it", async () => {
    const bus = newBus();
    const firstAttempt = gate();
    const first = await startConsumer(bus, {
      name: "c",
      processed: memoryProcessedMessages(),
      handle: async () => {
        firstAttempt.open();
        throw new Error("fails in the first process");
      },
      retry: { maxRetries: 5, backoff: { initialMs: 600_000, maxMs: 600_000 } },
    });
    await publish(bus, [envelope("k", 0)]);
    await firstAttempt.promise;
    await first.close();
    const handled: StoredEvent[] = [];
    await start(bus, { handle: async (e) => void handled.push(e) });
    await waitFor(() => handled.length === 1, "the returned message");
    expect(await bus.deadLetterDepth("c")).toBe(0);
  });

  it("reports lag and duration, and logs the correlation id", async () => {
    const bus = newBus();
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    const consumer = await start(bus, {
      clock: () => new Date(Date.parse("2026-01-15T12:00:05.000Z")),
      observability: createObservability({ metrics, logger }),
      handle: async () => undefined,
    });
    await publish(bus, [{ ...envelope("lag", 0), time: "2026-01-15T12:00:00.000Z", correlationId: "corr-lag" }]);
    await waitFor(() => metrics.consumedSamples.length === 1, "the consumption");
    await consumer.idle();
    expect(metrics.consumedSamples[0]).toMatchObject({ consumer: "c", lagMs: 5_000, durationMs: 0, duplicate: false });
    expect(logger.records.map((r) => r.event)).toEqual(["consume-started", "consumed"]);
    expect(logger.records[1]).toMatchObject({ event: "consumed", consumer: "c", correlationId: "corr-lag" });
    expect(logger.records[0]).toMatchObject({ event: "consume-started", consumer: "c", correlationId: "corr-lag" });
  });
});

describe("a lost connection", () => {
  it("does not spend a retry while the outage lasts, and counts again once it outlasts retry.outageMs (then the message is parked)", async () => {
    const bus = newBus();
    const logger = memoryLogger();
    let now = Date.UTC(2026, 0, 15, 12, 0, 0);
    let attempts = 0;
    await start(bus, {
      retry: { maxRetries: 2, backoff: { initialMs: 1, maxMs: 1 }, outageMs: 60_000 },
      observability: createObservability({ logger }),
      // Each attempt is ten seconds after the one before: the outage outlasts its minute at the 7th.
      clock: () => new Date(now),
      sleep: async () => void (now += 10_000),
      handle: async () => {
        attempts += 1;
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8080"), { code: "ECONNREFUSED" });
      },
    });
    await publish(bus, [envelope("down", 0)]);
    await waitFor(async () => (await bus.deadLetterDepth("c")) === 1, "the message parked once the outage outlasts its minute");
    // Six attempts within the minute spend nothing; then 1 + maxRetries attempts that count.
    expect(attempts).toBe(6 + 3);
    const [letter] = await bus.peekDeadLetters("c");
    expect(letter?.reason).toMatchObject({ message: "connect ECONNREFUSED 127.0.0.1:8080", attempts: 3 });
    expect(logger.records.filter((r) => r.event === "handler-failed")).toHaveLength(9);
  });
});
