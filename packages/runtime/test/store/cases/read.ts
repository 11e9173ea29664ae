/** Conformance: reading streams (with bounds and time) and the global log. */
import { expect, it } from "vitest";
import { newEvent, type StoreHarness } from "../support.js";

/** Registers the read cases. */
export function readCases(harness: () => StoreHarness): void {
  it("reads a stream between positions", async () => {
    const store = await harness().open();
    const events = Array.from({ length: 6 }, (_, n) => newEvent("A", { n }));
    await store.append("s", events, { kind: "no-stream" });
    const payloads = async (options: Parameters<typeof store.readStream>[1]): Promise<unknown[]> =>
      (await store.readStream("s", options)).map((e) => e.payload);
    expect(await payloads({ fromPosition: 2 })).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
    expect(await payloads({ toPosition: 1 })).toEqual([{ n: 0 }, { n: 1 }]);
    expect(await payloads({ fromPosition: 3, toPosition: 4 })).toEqual([{ n: 3 }, { n: 4 }]);
    expect(await payloads({ fromPosition: 9 })).toEqual([]);
    expect(await store.readStream("missing")).toEqual([]);
  });

  it("reads a stream as it was at a time", async () => {
    let now = new Date("2024-01-10T00:00:00.000Z");
    const store = await harness().open({ clock: () => now });
    await store.append("customer-1", [newEvent("AddressChanged", { city: "Lyon" })], { kind: "any" });
    now = new Date("2024-01-20T00:00:00.000Z");
    await store.append("customer-1", [newEvent("AddressChanged", { city: "Nantes" })], { kind: "any" });
    const at = async (iso: string): Promise<unknown[]> =>
      (await store.readStream("customer-1", { until: new Date(iso) })).map((e) => e.payload);
    expect(await at("2024-01-15T00:00:00.000Z")).toEqual([{ city: "Lyon" }]);
    expect(await at("2024-01-20T00:00:00.000Z")).toEqual([{ city: "Lyon" }, { city: "Nantes" }]);
    expect(await at("2024-01-01T00:00:00.000Z")).toEqual([]);
  });

  it("reads everything in global order, in batches, from an inclusive position", async () => {
    const store = await harness().open();
    await store.append("a", [newEvent("A", { i: 1 }), newEvent("A", { i: 2 })], { kind: "any" });
    await store.append("b", [newEvent("B", { i: 3 })], { kind: "any" });
    await store.append("a", [newEvent("A", { i: 4 })], { kind: "any" });
    await store.append("c", [newEvent("C", { i: 5 }), newEvent("C", { i: 6 })], { kind: "any" });
    const seen: number[] = [];
    let from = 1;
    for (;;) {
      const batch = await store.readAll(from, 4);
      if (batch.length === 0) break;
      expect(batch.length).toBeLessThanOrEqual(4);
      for (const event of batch) seen.push((event.payload as { i: number }).i);
      from = (batch.at(-1)?.globalPosition ?? 0) + 1;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.readAll(4, 100)).map((e) => [e.stream, e.position, e.globalPosition])).toEqual([
      ["a", 2, 4], ["c", 0, 5], ["c", 1, 6],
    ]);
    expect(await store.readAll(0, 1)).toHaveLength(1);
    expect(await store.readAll(7, 10)).toEqual([]);
    expect(await store.headPosition()).toBe(6);
    await expect(store.readAll(1, 0)).rejects.toThrow(RangeError);
  });

  it("returns an empty log from an empty store", async () => {
    const store = await harness().open();
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll(1, 10)).toEqual([]);
  });
}
