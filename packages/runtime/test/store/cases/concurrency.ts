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

  it("never shows a reader a gap in global positions while writers race", async () => {
    const h = harness();
    const writers = [await h.open(), await h.open()];
    const reader = await h.open();
    const perWriter = 30;
    let writing = true;
    const write = async (store: EventStore, w: number): Promise<void> => {
      for (let i = 0; i < perWriter; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, () => newEvent("A", { w, i }));
        await store.append(`stream-${w % 3}-${i % 4}`, events, { kind: "any" });
      }
    };
    const jobs = [0, 1, 2, 3].map((w) => write(writers[w % 2] as EventStore, w));
    const done = Promise.all(jobs).finally(() => (writing = false));
    let next = 1;
    while (writing || next <= (await reader.headPosition())) {
      for (const event of await reader.readAll(next, 7)) {
        expect(event.globalPosition).toBe(next);
        next += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    const expected = 4 * Array.from({ length: perWriter }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0);
    expect(next - 1).toBe(expected);
    for (const stream of new Set((await reader.readAll(1, expected)).map((e) => e.stream))) {
      expect((await reader.readStream(stream)).map((e) => e.position)).toEqual(
        Array.from({ length: (await reader.readStream(stream)).length }, (_, i) => i),
      );
    }
  });
}
