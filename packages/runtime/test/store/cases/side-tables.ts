/** Conformance: snapshots and the transactional side tables (rows, checkpoints, processed ids). */
import { expect, it } from "vitest";
import type { StoreTransaction } from "../../../src/store/event-store.js";
import type { StoreHarness } from "../support.js";

/** Registers the snapshot and transaction cases. */
export function sideTableCases(harness: () => StoreHarness): void {
  it("keeps the latest snapshot of a stream", async () => {
    const store = await harness().open();
    expect(await store.loadSnapshot("s")).toBeNull();
    await store.saveSnapshot("s", 9, { total: 10, tags: ["x"] }, "Order@1");
    await store.saveSnapshot("s", 19, { total: 20, tags: [] }, "Order@2");
    await store.saveSnapshot("t", 4, { total: 5 }, "Order@1");
    expect(await store.loadSnapshot("s")).toMatchObject({ stream: "s", position: 19, state: { total: 20, tags: [] }, schemaTag: "Order@2" });
    expect(await store.loadSnapshot("t")).toMatchObject({ position: 4, state: { total: 5 } });
  });

  it("commits rows, checkpoints and processed ids together", async () => {
    const store = await harness().open();
    const fresh = await store.transaction(async (tx) => {
      await tx.putRow("orders", "o-1", { total: 1 });
      await tx.putRow("orders", "o-2", { total: 2 });
      await tx.putRow("orders", "o-1", { total: 3 });
      await tx.putRow("other", "o-1", { x: true });
      await tx.setCheckpoint("orders", { position: 7, lastEventTime: "2024-01-01T00:00:00.000Z" });
      expect(Object.fromEntries(await tx.getRows("orders", ["o-1", "o-9"]))).toEqual({ "o-1": { total: 3 } });
      return [await tx.markProcessed("mail", "m-1"), await tx.markProcessed("mail", "m-1")];
    });
    expect(fresh).toEqual([true, false]);
    const read = (fn: (tx: StoreTransaction) => Promise<unknown>): Promise<unknown> => store.transaction(fn);
    expect(Object.fromEntries((await read((tx) => tx.listRows("orders"))) as Map<string, unknown>)).toEqual({
      "o-1": { total: 3 }, "o-2": { total: 2 },
    });
    expect(await read((tx) => tx.getCheckpoint("orders"))).toEqual({ position: 7, lastEventTime: "2024-01-01T00:00:00.000Z" });
    expect(await read((tx) => tx.getCheckpoint("none"))).toBeNull();
    expect(await read((tx) => tx.markProcessed("mail", "m-1"))).toBe(false);
    expect(await read((tx) => tx.markProcessed("audit", "m-1"))).toBe(true);
    await store.transaction(async (tx) => {
      await tx.deleteRow("orders", "o-2");
      await tx.clearRows("other");
      await tx.deleteCheckpoint("orders");
    });
    expect([...((await read((tx) => tx.listRows("orders"))) as Map<string, unknown>).keys()]).toEqual(["o-1"]);
    expect(((await read((tx) => tx.listRows("other"))) as Map<string, unknown>).size).toBe(0);
    expect(await read((tx) => tx.getCheckpoint("orders"))).toBeNull();
  });

  it("rolls everything back when the transaction throws", async () => {
    const store = await harness().open();
    await store.transaction(async (tx) => tx.putRow("orders", "o-1", { total: 1 }));
    const failing = store.transaction(async (tx) => {
      await tx.putRow("orders", "o-1", { total: 99 });
      await tx.putRow("orders", "o-2", { total: 2 });
      await tx.clearRows("never");
      await tx.setCheckpoint("orders", { position: 5, lastEventTime: null });
      await tx.markProcessed("mail", "m-1");
      throw new Error("handler failed");
    });
    await expect(failing).rejects.toThrow("handler failed");
    const after = await store.transaction(async (tx) => ({
      rows: Object.fromEntries(await tx.listRows("orders")),
      checkpoint: await tx.getCheckpoint("orders"),
      processed: await tx.markProcessed("mail", "m-1"),
    }));
    expect(after).toEqual({ rows: { "o-1": { total: 1 } }, checkpoint: null, processed: true });
  });

  it("does not let a caller mutate stored rows outside a transaction", async () => {
    const store = await harness().open();
    await store.transaction(async (tx) => tx.putRow("t", "k", { list: [1] }));
    await store.transaction(async (tx) => {
      const row = (await tx.getRows("t", ["k"])).get("k") as { list: number[] };
      row.list.push(2);
    });
    expect(await store.transaction(async (tx) => tx.getRows("t", ["k"]))).toEqual(new Map([["k", { list: [1] }]]));
  });

  it("offers raw SQL in the transaction on SQL engines", async () => {
    const h = harness();
    const store = await h.open();
    const rows = await store.transaction(async (tx) => {
      if (tx.sql === undefined) return null;
      await tx.sql.query("CREATE TABLE app_counter (n integer)");
      await tx.sql.query(tx.sql.dialect === "sqlite" ? "INSERT INTO app_counter VALUES (?)" : "INSERT INTO app_counter VALUES ($1)", [41]);
      return tx.sql.query<{ n: number }>("SELECT n + 1 AS n FROM app_counter");
    });
    expect(rows).toEqual(h.engine === "memory" ? null : [{ n: 42 }]);
  });
}
