/** Conformance: concurrent writers and readers. */
import { expect, it } from "vitest";
import type { EventStore } from "../../../src/store/event-store.js";
import { WrongExpectedVersionError } from "../../../src/types.js";
import { newEvent, type StoreHarness } from "../support.js";

/** Registers the concurrency cases. */
export function concurrencyCases(harness: () => StoreHarness): void {
  it("lets exactly one of several writers at the same expected version win", async () => {
    const h = harness();
    const stores = [await h.open(), await h.open()];
    await stores[0]?.append("s", [newEvent("A", {})], { kind: "no-stream" });
    const attempts = Array.from({ length: 6 }, (_, i) =>
      (stores[i % 2] as EventStore).append("s", [newEvent("A", { writer: i })], { kind: "exact", position: 0 }),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(5);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await stores[1]?.streamPosition("s")).toBe(1);
  });

  it("never skips an event for a reader that follows the log while writers race", async () => {
    const h = harness();
    const writers = [await h.open(), await h.open()];
    const reader = await h.open();
    const perWriter = 30;
    let writing = true;
    const written: string[] = [];
    const write = async (store: EventStore, w: number): Promise<void> => {
      for (let i = 0; i < perWriter; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, () => newEvent("A", { w, i }));
        await store.append(`stream-${w % 3}-${i % 4}`, events, { kind: "any" });
        written.push(...events.map((e) => e.messageId));
      }
    };
    const jobs = [0, 1, 2, 3].map((w) => write(writers[w % 2] as EventStore, w));
    const done = Promise.all(jobs).finally(() => (writing = false));
    // A reader as the runners read: from one past the last position it saw, never back.
    const seen: string[] = [];
    let last = 0;
    while (writing || last < (await reader.headPosition())) {
      for (const event of await reader.readAll(last + 1, 7)) {
        expect(event.globalPosition).toBeGreaterThan(last);
        // SQLite and the in-memory store hand out dense positions; PostgreSQL may leave gaps.
        if (h.engine !== "postgres") expect(event.globalPosition).toBe(last + 1);
        last = event.globalPosition;
        seen.push(event.messageId);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(seen.length).toBe(written.length);
    expect(new Set(seen)).toEqual(new Set(written));
    for (const stream of new Set((await reader.readAll(1, seen.length)).map((e) => e.stream))) {
      expect((await reader.readStream(stream)).map((e) => e.position)).toEqual(
        Array.from({ length: (await reader.readStream(stream)).length }, (_, i) => i),
      );
    }
  });
}
