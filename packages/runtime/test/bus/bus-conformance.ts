/**
 * The bus conformance suite: the same cases run against the in-memory bus and RabbitMQ, so
 * code tested on one behaves the same on the other.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus, BusMessage } from "../../src/bus/types.js";
import type { StoredEvent } from "../../src/types.js";
import { envelope, interleaved } from "./support/envelopes.js";
import { waitFor } from "./support/wait.js";

/** How a suite gets its bus. */
export interface BusFixture {
  readonly bus: Bus;
  dispose(): Promise<void>;
}

const ids = (messages: readonly { envelope: StoredEvent }[]): string[] => messages.map((m) => m.envelope.messageId);
const publishAll = (bus: Bus, events: readonly StoredEvent[]): Promise<void> =>
  bus.publish(events.map((e) => ({ envelope: e })));
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString("hex")}`;

/** Subscribes and acks everything, keeping what arrived. */
async function collect(bus: Bus, consumer: string, types: readonly string[] | "all" = "all"): Promise<BusMessage[]> {
  const received: BusMessage[] = [];
  await bus.subscribe(
    consumer,
    async (m) => {
      received.push(m);
      await m.ack();
    },
    { types },
  );
  return received;
}

/** Registers the conformance cases for one bus implementation. */
export function describeBusConformance(name: string, open: () => Promise<BusFixture>): void {
  describe(`bus conformance: ${name}`, () => {
    let fixture: BusFixture;
    let bus: Bus;
    beforeAll(async () => {
      fixture = await open();
      bus = fixture.bus;
    });
    afterAll(async () => fixture.dispose());

    it("delivers in publish order, per stream and overall, with the envelope intact", async () => {
      const received = await collect(bus, unique("order"));
      const events = interleaved(["a", "b", "c"], 20);
      await publishAll(bus, events.slice(0, 30));
      await publishAll(bus, events.slice(30));
      await waitFor(() => received.length === events.length, "all 60 messages");
      expect(ids(received)).toEqual(events.map((e) => e.messageId));
      expect(received[0]?.envelope).toEqual(events[0]);
      expect(received[0]?.redelivered).toBe(false);
    });

    it("routes by event type and gives every consumer its own copy", async () => {
      const onlyA = await collect(bus, unique("only-a"), ["A"]);
      const all = await collect(bus, unique("all"));
      const events = [envelope("s", 0, "A"), envelope("s", 1, "B"), envelope("s", 2, "A")];
      await publishAll(bus, events);
      await waitFor(() => all.length === 3 && onlyA.length === 2, "both consumers");
      expect(onlyA.map((m) => m.envelope.type)).toEqual(["A", "A"]);
      expect(ids(all)).toEqual(events.map((e) => e.messageId));
    });

    it("carries headers beside the envelope", async () => {
      const received = await collect(bus, unique("headers"));
      await bus.publish([{ envelope: envelope("h", 0), headers: { traceparent: "00-abc-def-01" } }]);
      await waitFor(() => received.length === 1, "the message");
      expect(received[0]?.headers["traceparent"]).toBe("00-abc-def-01");
    });

    it("redelivers a nacked message, marked as redelivered", async () => {
      const consumer = unique("nack");
      const seen: BusMessage[] = [];
      await bus.subscribe(consumer, async (m) => {
        seen.push(m);
        if (seen.length === 1) await m.nack();
        else await m.ack();
      });
      const event = envelope("n", 0);
      await publishAll(bus, [event]);
      await waitFor(() => seen.length === 2, "the redelivery");
      expect(ids(seen)).toEqual([event.messageId, event.messageId]);
      expect(seen[1]?.redelivered).toBe(true);
    });

    it("holds at most `prefetch` unacknowledged messages, and returns them when the subscription closes", async () => {
      const consumer = unique("prefetch");
      const held: BusMessage[] = [];
      const subscription = await bus.subscribe(consumer, async (m) => void held.push(m), { prefetch: 2 });
      const events = interleaved(["p"], 5);
      await publishAll(bus, events);
      await waitFor(() => held.length === 2, "two deliveries");
      // Acking one lets exactly one more through.
      await held[0]?.ack();
      await waitFor(() => held.length === 3, "a third delivery");
      await subscription.close();
      expect(held[1]?.stale).toBe(true);
      const again = await collect(bus, consumer);
      await waitFor(() => again.length === 4, "the four unacked messages again");
      expect(ids(again)).toEqual(events.slice(1).map((e) => e.messageId));
      expect(again[0]?.redelivered).toBe(true);
    });

    it("keeps messages for a consumer that subscribed once and is away", async () => {
      const consumer = unique("away");
      const first = await bus.subscribe(consumer, async (m) => m.ack());
      await first.close();
      const events = interleaved(["w"], 3);
      await publishAll(bus, events);
      const received = await collect(bus, consumer);
      await waitFor(() => received.length === 3, "the waiting messages");
      expect(ids(received)).toEqual(events.map((e) => e.messageId));
    });

    it("parks a message with its reason, shows it, and replays in original order", async () => {
      const consumer = unique("dlq");
      const handled: BusMessage[] = [];
      let failing = true;
      await bus.subscribe(consumer, async (m) => {
        if (!failing) {
          handled.push(m);
          return m.ack();
        }
        const at = new Date(Date.UTC(2026, 0, 15, 10, 0, m.envelope.position)).toISOString();
        await m.deadLetter({ message: `boom ${m.envelope.position}`, stack: "Error: boom\n    at here", attempts: 3, firstFailureAt: at, lastFailureAt: at });
      });
      const events = interleaved(["d"], 3);
      // Published newest first: the replay must still come out in global-position order.
      await publishAll(bus, [...events].reverse());
      await waitFor(async () => (await bus.deadLetterDepth(consumer)) === 3, "three parked messages");
      const letters = await bus.peekDeadLetters(consumer);
      expect(letters.map((l) => l.envelope.messageId)).toEqual([...events].reverse().map((e) => e.messageId));
      expect(letters[0]?.reason).toEqual({
        message: "boom 2",
        stack: "Error: boom\n    at here",
        attempts: 3,
        firstFailureAt: "2026-01-15T10:00:02.000Z",
        lastFailureAt: "2026-01-15T10:00:02.000Z",
      });
      expect(letters[0]?.consumer).toBe(consumer);
      expect(await bus.deadLetterDepth(consumer)).toBe(3); // peeking removed nothing
      failing = false;
      expect(await bus.replayDeadLetters(consumer)).toBe(3);
      await waitFor(() => handled.length === 3, "the replayed messages");
      expect(ids(handled)).toEqual(events.map((e) => e.messageId));
      expect(handled[0]?.headers["x-eda-error-message"]).toBeUndefined();
      expect(await bus.deadLetterDepth(consumer)).toBe(0);
    });

    it("reports no dead letters for a consumer that never subscribed", async () => {
      const consumer = unique("never");
      expect(await bus.deadLetterDepth(consumer)).toBe(0);
      expect(await bus.peekDeadLetters(consumer)).toEqual([]);
      expect(await bus.replayDeadLetters(consumer)).toBe(0);
    });

    it("refuses to park a delivery that was already settled", async () => {
      const consumer = unique("settled");
      const outcome: unknown[] = [];
      await bus.subscribe(consumer, async (m) => {
        await m.ack();
        const now = new Date().toISOString();
        outcome.push(await m.deadLetter({ message: "late", stack: null, attempts: 1, firstFailureAt: now, lastFailureAt: now }).catch((e: unknown) => e));
      });
      await publishAll(bus, [envelope("z", 0)]);
      await waitFor(() => outcome.length === 1, "the late deadLetter call");
      expect(outcome[0]).toBeInstanceOf(Error);
      expect(await bus.deadLetterDepth(consumer)).toBe(0);
    });

    it("replays at most `limit` parked messages", async () => {
      const consumer = unique("dlq-limit");
      let park = true;
      const handled: BusMessage[] = [];
      await bus.subscribe(consumer, async (m) => {
        if (!park) return void (handled.push(m), await m.ack());
        const now = new Date().toISOString();
        await m.deadLetter({ message: "x", stack: null, attempts: 1, firstFailureAt: now, lastFailureAt: now });
      });
      const events = interleaved(["l"], 3);
      await publishAll(bus, events);
      await waitFor(async () => (await bus.deadLetterDepth(consumer)) === 3, "three parked messages");
      park = false;
      expect(await bus.replayDeadLetters(consumer, { limit: 2 })).toBe(2);
      await waitFor(() => handled.length === 2, "two replayed messages");
      expect(ids(handled)).toEqual(events.slice(0, 2).map((e) => e.messageId));
      expect(await bus.deadLetterDepth(consumer)).toBe(1);
    });

    it("discards one parked message by id, or all of them, and leaves the others in order", async () => {
      const consumer = unique("dlq-discard");
      await bus.subscribe(consumer, async (m) => {
        const now = new Date().toISOString();
        await m.deadLetter({ message: "x", stack: null, attempts: 1, firstFailureAt: now, lastFailureAt: now });
      });
      const events = interleaved(["x"], 3);
      await publishAll(bus, events);
      await waitFor(async () => (await bus.deadLetterDepth(consumer)) === 3, "three parked messages");
      expect(await bus.discardDeadLetters(consumer, { messageId: "no-such-message" })).toBe(0);
      expect(await bus.discardDeadLetters(consumer, { messageId: events[1]!.messageId })).toBe(1);
      expect((await bus.peekDeadLetters(consumer)).map((l) => l.envelope.messageId)).toEqual([events[0]!.messageId, events[2]!.messageId]);
      expect(await bus.discardDeadLetters(consumer)).toBe(2);
      expect(await bus.deadLetterDepth(consumer)).toBe(0);
      expect(await bus.discardDeadLetters(unique("never"))).toBe(0);
    });
  });
}
