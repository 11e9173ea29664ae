/** The projection runner on every engine: batches, checkpoints, failures, rebuild, lag, live runs. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runnerStatus } from "../../src/app/runner-status.js";
import { memoryLogger } from "../../src/observability/logger.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { ProjectionRunner, type ProjectionRunnerOptions } from "../../src/projection/projection-runner.js";
import type { BatchReport } from "../../src/projection/projection.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, eventually, newEvent, type StoreHarness } from "../store/support.js";
import { customerOrders, shopCodec, type CustomerOrdersRow } from "./shop.js";

describe.each(ENGINES)("ProjectionRunner on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  let now = new Date("2024-03-01T12:00:00.000Z");
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open({ clock: () => now });
  });
  afterEach(() => harness.dispose());

  /** Places `count` orders (total = order number) for customers c0..c2, with unrelated events between. */
  async function placeOrders(count: number, from = 1): Promise<void> {
    for (let n = from; n < from + count; n++) {
      const customerId = `c${n % 3}`;
      await store.append(`Order-${n}`, [
        newEvent("OrderPlaced", { orderId: `o${n}`, customerId, total: n }),
        newEvent("StockReserved", { orderId: `o${n}` }),
      ], { kind: "no-stream" });
    }
  }

  const runner = (options: ProjectionRunnerOptions = {}, failOn?: { orderId: string }, codec = shopCodec()) =>
    new ProjectionRunner(store, codec, customerOrders(failOn), options);

  it("applies every event once, in batches, with the checkpoint in the same commit", async () => {
    await placeOrders(10);
    await store.append("Order-3", [newEvent("OrderCancelled", { orderId: "o3", customerId: "c0" })], { kind: "any" });
    const reports: BatchReport[] = [];
    const codec = shopCodec();
    const r = runner({ batchSize: 4, onBatch: (report) => reports.push(report) }, undefined, codec);
    expect(await r.catchUp()).toBe(21);
    expect(reports.map((b) => [b.events, b.checkpoint])).toEqual([[4, 4], [4, 8], [4, 12], [4, 16], [4, 20], [1, 21]]);
    expect(codec.calls.filter((t) => t === "StockReserved")).toEqual([]);
    expect(Object.fromEntries(await r.rows())).toEqual({
      c0: { customerId: "c0", orders: 3, cancelled: 1, total: 3 + 6 + 9 },
      c1: { customerId: "c1", orders: 4, cancelled: 0, total: 1 + 4 + 7 + 10 },
      c2: { customerId: "c2", orders: 3, cancelled: 0, total: 2 + 5 + 8 },
    });
    expect(await r.checkpoint()).toEqual({ position: 21, lastEventTime: now.toISOString() });
    expect(await r.catchUp()).toBe(0);
    await placeOrders(1, 11);
    expect(await r.catchUp()).toBe(2);
    expect(await r.row("c2")).toMatchObject({ orders: 4, total: 2 + 5 + 8 + 11 });
  });

  it("does not read the next batch before the current one is committed", async () => {
    await placeOrders(5);
    const log: string[] = [];
    const traced = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === "readAll") return (from: number, size: number) => (log.push(`read ${from}`), target.readAll(from, size));
        if (property === "transaction") {
          return async (fn: Parameters<EventStore["transaction"]>[0]) => {
            const result = await target.transaction(fn);
            log.push("commit");
            return result;
          };
        }
        return value;
      },
    });
    const r = new ProjectionRunner(traced, shopCodec(), customerOrders(), { batchSize: 3 });
    await r.catchUp();
    // The first commit is the checkpoint read; then strictly read, commit, read, commit…
    expect(log).toEqual(["commit", "read 1", "commit", "read 4", "commit", "read 7", "commit", "read 10", "commit", "read 11"]);
  });

  it("stops at an event it cannot apply (the default): the rows before it kept, nothing after it, resumed once fixed", async () => {
    await placeOrders(6);
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    const failing = runner({ batchSize: 4, observability: createObservability({ metrics, logger }) }, { orderId: "o4" });
    expect(await failing.catchUp()).toBe(6);
    // o4 is event 7: events 1–6 are applied, the checkpoint waits before it.
    expect(await failing.checkpoint()).toMatchObject({ position: 6 });
    expect(Object.fromEntries(await failing.rows())).toEqual({
      c0: { customerId: "c0", orders: 1, cancelled: 0, total: 3 },
      c1: { customerId: "c1", orders: 1, cancelled: 0, total: 1 },
      c2: { customerId: "c2", orders: 1, cancelled: 0, total: 2 },
    });
    expect(failing.stoppedAt).toMatchObject({ globalPosition: 7, type: "OrderPlaced", reason: "handler-failed", blocking: true, error: "cannot apply o4" });
    expect(await failing.catchUp()).toBe(0);
    expect(await failing.parked()).toMatchObject([{ runner: "projection:CustomerOrders", globalPosition: 7, attempts: 1 }]);
    expect(metrics.parkedSamples).toEqual([{ runner: "projection:CustomerOrders", type: "OrderPlaced", reason: "handler-failed", blocking: true }]);
    expect(logger.records).toMatchObject([{ level: "error", event: "parked", runner: "projection:CustomerOrders", globalPosition: 7, blocking: true }]);
    // What `eda projections status` shows: stopped, one parked, the stop's event and the rest behind.
    expect(await runnerStatus(store, ["projection:CustomerOrders"])).toMatchObject([{ runner: "projection:CustomerOrders", started: true, position: 6, head: await store.headPosition(), parked: 1, stopped: true }]);
    // Still failing: retried, stopped again, counted.
    expect(await failing.retryParked()).toEqual({ retried: 0, stillParked: 1 });
    expect(await failing.parked()).toMatchObject([{ globalPosition: 7, attempts: 2 }]);
    // Fixed code (a new runner, as after a deploy) goes on from the checkpoint and forgets the stop.
    const fixed = runner({ batchSize: 4 });
    expect(await fixed.catchUp()).toBe(6);
    const rows = [...(await fixed.rows()).values()];
    expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(6);
    expect(rows.reduce((sum, row) => sum + row.total, 0)).toBe(21);
    expect(await fixed.parked()).toEqual([]);
    expect(fixed.stoppedAt).toBeNull();
  });

  it("parks an event it cannot read or apply under onPoison: park, goes on, and applies it on retry once fixed", async () => {
    await placeOrders(6);
    await store.append("Order-bad", [newEvent("OrderPlaced", { unreadable: true })], { kind: "no-stream" });
    let broken = true;
    const projection = customerOrders();
    const flaky = { ...projection, apply: (...args: Parameters<typeof projection.apply>) => {
      if (broken && args[1].type === "OrderPlaced" && args[1].orderId === "o4") throw new Error("cannot apply o4");
      return projection.apply(...args);
    } };
    const r = new ProjectionRunner(store, shopCodec(), flaky, { batchSize: 4, onPoison: "park" });
    expect(await r.catchUp()).toBe(13);
    expect(await r.checkpoint()).toMatchObject({ position: 13 });
    expect((await r.parked()).map((p) => [p.globalPosition, p.reason, p.blocking])).toEqual([[7, "handler-failed", false], [13, "unreadable", false]]);
    expect((await r.parked())[1]?.error).toMatch(/invalid payload/);
    const ordersBefore = [...(await r.rows()).values()].reduce((sum, row) => sum + row.orders, 0);
    expect(ordersBefore).toBe(5);
    broken = false;
    expect(await r.retryParked()).toEqual({ retried: 1, stillParked: 1 });
    expect([...(await r.rows()).values()].reduce((sum, row) => sum + row.orders, 0)).toBe(6);
    expect((await r.parked()).map((p) => [p.globalPosition, p.attempts])).toEqual([[13, 2]]);
  });

  it("treats an event whose row would hold U+0000 as a poison event, the same on every engine", async () => {
    await placeOrders(2);
    // Written without the command path's validation (by hand, by another service).
    await store.append("Order-nul", [newEvent("OrderPlaced", { orderId: "o-nul", customerId: "c\u0000x", total: 5 })], { kind: "no-stream" });
    await placeOrders(1, 3);
    const stopping = runner({ batchSize: 10 });
    expect(await stopping.catchUp()).toBe(4);
    expect(stopping.stoppedAt).toMatchObject({ globalPosition: 5, reason: "handler-failed", error: expect.stringMatching(/holds the character U\+0000/) });
    expect([...(await stopping.rows()).keys()].sort()).toEqual(["c1", "c2"]);
    const parking = new ProjectionRunner(store, shopCodec(), { ...customerOrders(), name: "Other" }, { onPoison: "park" });
    expect(await parking.catchUp()).toBe(7);
    expect([...(await parking.rows()).keys()].sort()).toEqual(["c0", "c1", "c2"]);
    expect((await parking.parked()).map((p) => p.globalPosition)).toEqual([5]);
  });

  it("deletes a row when apply returns null", async () => {
    await placeOrders(3);
    await store.append("Customer-c1", [newEvent("CustomerForgotten", { customerId: "c1" })], { kind: "any" });
    const r = runner();
    await r.catchUp();
    expect([...(await r.rows()).keys()].sort()).toEqual(["c0", "c2"]);
  });

  it("rebuilds from zero: drops rows and checkpoint, replays everything", async () => {
    await placeOrders(4);
    const r = runner({ batchSize: 2 });
    await r.catchUp();
    await store.transaction((tx) => tx.putRow("CustomerOrders", "stale", { customerId: "stale", orders: 99, cancelled: 0, total: 0 }));
    expect(await r.rebuild()).toBe(8);
    expect([...(await r.rows()).keys()].sort()).toEqual(["c0", "c1", "c2"]);
    expect(await r.row("c1")).toEqual({ customerId: "c1", orders: 2, cancelled: 0, total: 1 + 4 });
    expect(await r.checkpoint()).toMatchObject({ position: 8 });
  });

  it("reports its lag in events and seconds", async () => {
    now = new Date("2024-03-01T12:00:00.000Z");
    await placeOrders(2);
    now = new Date("2024-03-01T12:00:30.000Z");
    await placeOrders(1, 3);
    now = new Date("2024-03-01T12:01:00.000Z");
    const r = runner({ batchSize: 4, clock: () => now });
    expect(await r.lag()).toEqual({
      projection: "CustomerOrders", checkpoint: 0, head: 6, eventsBehind: 6, secondsBehind: 60, lastAppliedEventTime: null,
    });
    const controller = new AbortController();
    const partial = runner({ batchSize: 4, clock: () => now, onBatch: () => controller.abort() });
    expect(await partial.catchUp(controller.signal)).toBe(4);
    expect(await partial.lag()).toEqual({
      projection: "CustomerOrders", checkpoint: 4, head: 6, eventsBehind: 2, secondsBehind: 30,
      lastAppliedEventTime: "2024-03-01T12:00:00.000Z",
    });
    await r.catchUp();
    expect(await r.lag()).toMatchObject({ checkpoint: 6, eventsBehind: 0, secondsBehind: 0 });
  });

  it("runs live: applies new events as they are appended, and stops on abort", async () => {
    const r = runner({ batchSize: 10 });
    const controller = new AbortController();
    const running = r.run(controller.signal);
    await placeOrders(3);
    await eventually("three orders applied", async () => (await r.checkpoint()).position === 6);
    const other = engine === "memory" ? store : await harness.open();
    await other.append("Order-9", [newEvent("OrderPlaced", { orderId: "o9", customerId: "c0", total: 9 })], { kind: "any" });
    await eventually("order from another connection applied", async () => (await r.row("c0"))?.orders === 2);
    controller.abort();
    await running;
    expect((await r.lag()).eventsBehind).toBe(0);
  });

  it("lets two runners of one projection race without applying any event twice", async () => {
    await placeOrders(30);
    const second = engine === "memory" ? store : await harness.open();
    const a = runner({ batchSize: 3 });
    const b = new ProjectionRunner(second, shopCodec(), customerOrders(), { batchSize: 5 });
    await Promise.all([a.catchUp(), b.catchUp(), a.catchUp()]);
    const rows = [...(await a.rows()).values()] as CustomerOrdersRow[];
    expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(30);
    expect(rows.reduce((sum, row) => sum + row.total, 0)).toBe((30 * 31) / 2);
    expect(await b.checkpoint()).toMatchObject({ position: 60 });
  });
});
