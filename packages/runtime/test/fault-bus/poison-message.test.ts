/**
 * Fault (c): a handler that always throws. Exactly 1+N attempts, then the message is parked
 * (on a broker: a durable dead-letter queue or stream) with its cause, while other streams — and the later
 * messages of its own stream — keep flowing. A replay drains the queue in original order.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startConsumer } from "../../src/consumer/consumer.js";
import { memoryProcessedMessages } from "../../src/consumer/processed-messages.js";
import type { StoredEvent } from "../../src/types.js";
import { interleaved } from "../bus/support/envelopes.js";
import { gate, waitFor } from "../bus/support/wait.js";
import { positionsOf } from "./support/collector.js";
import { ALL_KINDS, createWorld, type FaultWorld } from "./support/fixture.js";

const MAX_RETRIES = 2;
const isPoison = (e: StoredEvent): boolean => e.stream === "poison" && e.position >= 1 && e.position <= 3;

describe.each(ALL_KINDS)("fault: a handler that always throws (%s)", (kind) => {
  let world: FaultWorld;
  beforeEach(async () => {
    world = await createWorld(kind);
  });
  afterEach(async () => world.dispose());

  it("parks after exactly 1+N attempts with its cause, other streams keep flowing, replay drains in order", async () => {
    const bus = await world.openBus();
    const othersDone = gate();
    const attempts = new Map<number, number>();
    const handled: StoredEvent[] = [];
    let broken = true;
    const consumer = await startConsumer(bus, {
      name: "billing",
      processed: memoryProcessedMessages(),
      retry: { maxRetries: MAX_RETRIES, backoff: { initialMs: 1, maxMs: 4 } },
      // Retries wait until the other streams are done: if one poison message held up the
      // consumer, the other streams could never finish and this test would time out.
      sleep: () => othersDone.promise,
      handle: async (e) => {
        if (broken && isPoison(e)) {
          attempts.set(e.position, (attempts.get(e.position) ?? 0) + 1);
          throw new Error(`card declined for order ${e.position}`);
        }
        handled.push(e);
        if (handled.filter((h) => h.stream !== "poison").length === 20) othersDone.open();
      },
    });
    world.defer(() => consumer.close());

    const events = interleaved(["poison", "x", "y"], 10);
    await bus.publish(events.map((envelope) => ({ envelope })));
    await waitFor(async () => (await bus.deadLetterDepth("billing")) === 3, "three parked messages");
    await waitFor(() => handled.length === 27, "every other message");

    expect([...attempts.entries()].sort()).toEqual([[1, 1 + MAX_RETRIES], [2, 1 + MAX_RETRIES], [3, 1 + MAX_RETRIES]]);
    expect(positionsOf(handled, "x")).toEqual([...Array(10).keys()]);
    expect(positionsOf(handled, "poison")).toEqual([0, 4, 5, 6, 7, 8, 9]);

    const letters = await bus.peekDeadLetters("billing");
    expect(letters.map((l) => l.envelope.position)).toEqual([1, 2, 3]);
    expect(letters[0]?.reason).toMatchObject({ message: "card declined for order 1", attempts: 1 + MAX_RETRIES });
    expect(letters[0]?.reason.stack).toMatch(/^Error: card declined for order 1\n\s+at /);
    expect(Date.parse(letters[0]?.reason.lastFailureAt ?? "")).toBeGreaterThanOrEqual(Date.parse(letters[0]?.reason.firstFailureAt ?? ""));
    expect(letters[0]?.headers["x-eda-error-message"]).toBe("card declined for order 1");
    // On a broker the parked messages sit in durable storage of their own.
    // (RabbitMQ reports a quorum queue's count from periodic statistics: wait for it.)
    if (kind !== "memory") {
      await waitFor(async () => (await world.parked("billing")).messages === 3, "the broker's count of parked messages");
      expect(await world.parked("billing")).toEqual({ durable: true, messages: 3 });
    }

    broken = false;
    expect(await bus.replayDeadLetters("billing")).toBe(3);
    await waitFor(() => handled.length === 30, "the replayed messages");
    expect(handled.slice(27).map((e) => e.position)).toEqual([1, 2, 3]);
    expect(await bus.deadLetterDepth("billing")).toBe(0);
  });
});
