import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryProcessedMessages, storeProcessedMessages } from "../../src/consumer/processed-messages.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, type StoreHarness } from "../store/support.js";

describe("in-memory processed messages", () => {
  it("runs work once per consumer and message id", async () => {
    const processed = memoryProcessedMessages();
    let runs = 0;
    const work = async (): Promise<void> => void (runs += 1);
    expect(await processed.runOnce("c", "m1", work)).toBe(true);
    expect(await processed.runOnce("c", "m1", work)).toBe(false);
    expect(await processed.runOnce("other", "m1", work)).toBe(true);
    expect(runs).toBe(2);
  });

  it("records nothing when the work throws, and serialises concurrent deliveries of one id", async () => {
    const processed = memoryProcessedMessages();
    await expect(processed.runOnce("c", "m", async () => { throw new Error("no"); })).rejects.toThrow("no");
    let runs = 0;
    const results = await Promise.all(
      [1, 2, 3].map(() => processed.runOnce("c", "m", async () => { runs += 1; await new Promise((r) => setImmediate(r)); })),
    );
    expect(runs).toBe(1);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe.each(ENGINES)("processed messages in the %s store", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeAll(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterAll(async () => harness.dispose());

  it("commits the record with the handler's writes, and skips a duplicate", async () => {
    const processed = storeProcessedMessages(store);
    const work = async (tx: Parameters<Parameters<typeof processed.runOnce>[2]>[0]): Promise<void> => {
      const rows = await tx.getRows("effects", ["count"]);
      const count = (rows.get("count") as number | undefined) ?? 0;
      await tx.putRow("effects", "count", count + 1);
    };
    expect(await processed.runOnce("c", "m1", work)).toBe(true);
    expect(await processed.runOnce("c", "m1", work)).toBe(false);
    const rows = await store.transaction((tx) => tx.getRows("effects", ["count"]));
    expect(rows.get("count")).toBe(1);
  });

  it("rolls back both the writes and the record when the handler throws", async () => {
    const processed = storeProcessedMessages(store);
    await expect(
      processed.runOnce("c", "m2", async (tx) => {
        await tx.putRow("effects", "half-done", true);
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    const rows = await store.transaction((tx) => tx.getRows("effects", ["half-done"]));
    expect(rows.size).toBe(0);
    // Not recorded: the redelivery runs.
    expect(await processed.runOnce("c", "m2", async () => undefined)).toBe(true);
  });

  it("lets exactly one of two concurrent deliveries run", async () => {
    const processed = storeProcessedMessages(store);
    let runs = 0;
    const deliver = (): Promise<boolean> =>
      processed.runOnce("c", "m3", async (tx) => {
        runs += 1;
        await tx.putRow("effects", `run-${runs}`, runs);
      });
    const results = await Promise.all([deliver(), deliver()]);
    expect(results.sort()).toEqual([false, true]);
    expect(runs).toBe(1);
  });
});
