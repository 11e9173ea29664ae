/**
 * Rebuilding a projection beside its live rows on every engine: reads during the rebuild see the
 * old rows, after the swap the new ones, with the checkpoint moved; a poison event leaves the
 * live rows as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProjectionRunner } from "../../src/projection/projection-runner.js";
import { rebuildBeside, type RebuildProgress } from "../../src/projection/rebuild-beside.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "../store/support.js";
import { customerOrders, shopCodec, type CustomerOrdersRow, type ShopEvent } from "./shop.js";

/** `count` orders, one stream each (ids from `from`), for customers c0..c2. */
async function placeOrders(store: EventStore, count: number, from = 1): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await store.append(`Order-${n}`, [newEvent("OrderPlaced", { orderId: `o${n}`, customerId: `c${n % 3}`, total: n })], { kind: "no-stream" });
  }
}

describe.each(ENGINES)("rebuildBeside on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterEach(() => harness.dispose());


  /** The live rows, damaged as a read model that needs a rebuild would be. */
  async function damagedLive(): Promise<ProjectionRunner<ShopEvent, CustomerOrdersRow>> {
    await placeOrders(store, 6);
    const live = new ProjectionRunner(store, shopCodec(), customerOrders());
    await live.catchUp();
    await store.transaction(async (tx) => {
      await tx.putRow("CustomerOrders", "c0", { customerId: "c0", orders: 99, cancelled: 0, total: 0 });
      await tx.putRow("CustomerOrders", "stale", { customerId: "stale", orders: 1, cancelled: 0, total: 1 });
    });
    return live;
  }

  it("builds beside, keeps the old rows readable until the swap, then serves the new ones", async () => {
    const live = await damagedLive();
    const before = Object.fromEntries(await live.rows());
    const progress: RebuildProgress[] = [];
    let during: Promise<Map<string, unknown>> | undefined;
    const read = await rebuildBeside(store, shopCodec(), customerOrders(), {
      batchSize: 2,
      onProgress: (p) => {
        progress.push(p);
        during ??= live.rows();
      },
    });
    expect(read).toBe(6);
    expect(progress).toEqual([2, 4, 6].map((position) => ({ projection: "CustomerOrders", position, head: 6 })));
    expect(Object.fromEntries((await during) ?? new Map())).toEqual(before);
    expect(Object.fromEntries(await live.rows())).toEqual({
      c0: { customerId: "c0", orders: 2, cancelled: 0, total: 3 + 6 },
      c1: { customerId: "c1", orders: 2, cancelled: 0, total: 1 + 4 },
      c2: { customerId: "c2", orders: 2, cancelled: 0, total: 2 + 5 },
    });
    expect((await live.checkpoint()).position).toBe(6);
    expect(await store.transaction((tx) => tx.listRows("CustomerOrders~rebuild"))).toEqual(new Map());
    expect(await store.transaction((tx) => tx.getCheckpoint("projection:CustomerOrders~rebuild"))).toBeNull();
    // The live runner goes on from the swapped checkpoint.
    await placeOrders(store, 1, 7);
    expect(await live.catchUp()).toBe(1);
    expect(await live.row("c1")).toMatchObject({ orders: 3, total: 1 + 4 + 7 });
  });

  it("leaves the live rows and checkpoint untouched when a poison event stops the rebuild", async () => {
    const live = await damagedLive();
    const before = Object.fromEntries(await live.rows());
    await expect(rebuildBeside(store, shopCodec(), customerOrders({ orderId: "o4" }), { batchSize: 2 })).rejects.toThrow(
      /^the rebuild of CustomerOrders stopped at the event at global position 4 of 6 \(OrderPlaced v1, Order-4 #0: handler-failed\), a poison event/,
    );
    expect(Object.fromEntries(await live.rows())).toEqual(before);
    expect((await live.checkpoint()).position).toBe(6);
  });
});

describe.each(ENGINES)("two rebuildBeside of one projection at once on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
    await placeOrders(store, 6);
    await new ProjectionRunner(store, shopCodec(), customerOrders()).catchUp();
  });
  afterEach(() => harness.dispose());

  const rows = async (): Promise<Record<string, unknown>> => Object.fromEntries(await store.transaction((tx) => tx.listRows("CustomerOrders")));

  // The other rebuild ran whole between this one's last checkpoint read and its swap: the swap
  // moved the rows beside (none left: the other had moved them) over the live ones, and the live
  // projection read empty at the head's checkpoint.
  it("the one whose rows beside were swapped in by the other swaps nothing in", async () => {
    const fresh = await rows();
    let armed = false;
    let after = 0;
    const racing = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== "transaction") return Reflect.get(target, key, receiver) as unknown;
        return async (fn: Parameters<EventStore["transaction"]>[0]) => {
          // The first transaction after the last batch reads the checkpoint built; the second swaps.
          if (armed && ++after === 2) await rebuildBeside(store, shopCodec(), customerOrders());
          return target.transaction(fn);
        };
      },
    });
    await expect(
      rebuildBeside(racing, shopCodec(), customerOrders(), { batchSize: 2, onProgress: (p) => void (armed ||= p.position === p.head) }),
    ).rejects.toThrow(/^the rebuild of CustomerOrders was overtaken by another rebuild of it run at the same time/);
    expect(await rows()).toEqual(fresh);
    expect((await store.transaction((tx) => tx.getCheckpoint("projection:CustomerOrders")))?.position).toBe(6);
  });
});
