/**
 * Sagas run end to end against a fake world on every store engine: the shop's checkout and a
 * four-step trip booking, completing and failing at each step in turn.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EventStore } from "../../src/store/event-store.js";
import { ENGINES } from "../store/support.js";
import { openFlow } from "./support/harness.js";
import { recording, typesOf, type SentRecord } from "./support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld, type ShopWorld } from "./support/shop.js";
import { requestTrip, tripBooking, tripSender } from "./support/trip.js";

async function typesIn(store: EventStore, stream: string): Promise<string[]> {
  return (await store.readStream(stream)).map((e) => e.type);
}

describe.each(ENGINES)("orchestrated workflows on the %s store", (engine) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function shop(world: ShopWorld = shopWorld()) {
    let log: SentRecord[] = [];
    const flow = await openFlow(engine, checkout, (store) => {
      const recorder = recording(shopSender(store, world));
      log = recorder.log;
      return recorder.send;
    });
    cleanup.push(() => flow.harness.dispose());
    const raw = shopSender(flow.store, world);
    return { ...flow, log, world, placeOrder: (...args: Parameters<typeof placeOrder>) => place(raw, placeOrder(...args)) };
  }

  it("the checkout completes: each step's command after the previous step's event, then ConfirmOrder", async () => {
    const { orchestrator, log, store, placeOrder } = await shop();
    await placeOrder("o1");
    await orchestrator.settle();

    expect(log.map((r) => [r.commandId, r.type, r.causationId])).toEqual([
      ["Checkout/o1/reserveStock/send/1", "ReserveStock", "place-o1#1"],
      ["Checkout/o1/chargePayment/send/1", "ChargePayment", "Checkout/o1/reserveStock/send/1#1"],
      ["Checkout/o1/scheduleShipment/send/1", "ScheduleShipment", "Checkout/o1/chargePayment/send/1#1"],
      ["Checkout/o1/complete", "ConfirmOrder", "Checkout/o1/scheduleShipment/send/1#1"],
    ]);
    expect(new Set(log.map((r) => r.correlationId))).toEqual(new Set(["conv-o1"]));
    expect(log[1]?.data).toEqual({ orderId: "o1", amount: { amountMinor: 1_000, currency: "EUR" } });
    const instance = await orchestrator.instance("o1");
    expect(instance?.state).toEqual({ kind: "completed" });
    expect(instance?.completedSteps).toEqual(["reserveStock", "chargePayment", "scheduleShipment"]);
    expect(Object.keys(instance?.events ?? {}).sort()).toEqual(["PaymentCaptured", "ShipmentScheduled", "StockReserved"]);
    expect(await typesIn(store, "Ordering.Order-o1")).toEqual(["OrderPlaced", "OrderConfirmed"]);
    expect((await store.readAll(1, 100)).filter((e) => e.correlationId !== "conv-o1")).toEqual([]);
    expect((await orchestrator.commands("o1")).every((c) => c.status === "dispatched")).toBe(true);
    // Every transition is in the run's history, with its time and cause.
    const history = instance?.history ?? [];
    expect(history.map((h) => [h.from, h.to, h.cause.kind === "event" ? h.cause.type : h.cause.kind])).toEqual([
      [null, "awaiting:reserveStock", "OrderPlaced"],
      ["awaiting:reserveStock", "awaiting:chargePayment", "StockReserved"],
      ["awaiting:chargePayment", "awaiting:scheduleShipment", "PaymentCaptured"],
      ["awaiting:scheduleShipment", "completed", "ShipmentScheduled"],
    ]);
    expect(history.every((h) => Number.isFinite(Date.parse(h.at)))).toBe(true);
    expect(history.map((h) => h.at)).toEqual(history.map((h) => h.at).sort());
  });

  const shopFailures = [
    { k: 1, make: (w: ShopWorld) => w.outOfStock.add("GONE"), order: { sku: "GONE" }, reason: "fail-on", after: ["ReserveStock"], undo: [] },
    { k: 2, make: (w: ShopWorld) => void (w.declineAbove = 5_000), order: { amountMinor: 9_000 }, reason: "fail-on", after: ["ReserveStock", "ChargePayment"], undo: ["ReleaseStock"] },
    {
      k: 3,
      make: () => undefined,
      order: { country: "XX" },
      reason: "rejected",
      after: ["ReserveStock", "ChargePayment", "ScheduleShipment"],
      undo: ["RefundPayment", "ReleaseStock"],
    },
  ];

  it.each(shopFailures)("the checkout failing at step $k runs the compensations of steps k−1…1 in reverse, once each, then CancelOrder", async (c) => {
    const world = shopWorld();
    c.make(world);
    const { orchestrator, log, store, placeOrder } = await shop(world);
    await placeOrder("o1", c.order);
    await orchestrator.settle();

    expect(typesOf(log)).toEqual([...c.after, ...c.undo, "CancelOrder"]);
    expect(new Set(log.map((r) => r.commandId)).size).toBe(log.length);
    expect(log.filter((r) => r.status === "rejected").map((r) => r.type)).toEqual(c.k === 3 ? ["ScheduleShipment"] : []);
    const instance = await orchestrator.instance("o1");
    expect(instance?.state).toEqual({ kind: "failed" });
    expect(instance?.failure).toMatchObject({ reason: c.reason, step: checkout.steps[c.k - 1]?.name });
    expect(await typesIn(store, "Ordering.Order-o1")).toEqual(["OrderPlaced", "OrderCancelled"]);
    expect(await typesIn(store, "Inventory.Reservation-o1")).toEqual(c.k === 1 ? ["StockReservationFailed"] : ["StockReserved", "StockReleased"]);
    const payments = await typesIn(store, "Payments.Payment-o1");
    expect(payments).toEqual(c.k === 1 ? [] : c.k === 2 ? ["PaymentDeclined"] : ["PaymentCaptured", "PaymentRefunded"]);
    // Compensations and CancelOrder are caused by what made the run fail.
    const causes = new Set(log.slice(c.after.length).map((r) => r.causationId));
    expect(causes).toEqual(new Set([instance?.failure?.causationId]));
    // The history ends in the failure; a refused command and each accepted compensation move the run by their outcome.
    const history = instance?.history ?? [];
    expect(history[0]).toMatchObject({ from: null, to: "awaiting:reserveStock", attempt: 1, cause: { kind: "event", type: "OrderPlaced" } });
    expect(history.at(-1)?.to).toBe("failed");
    expect(history.filter((h) => h.cause.kind === "outcome").map((h) => (h.cause.kind === "outcome" ? h.cause.status : null))).toEqual([...(c.k === 3 ? ["rejected"] : []), ...c.undo.map(() => "accepted")]);
  });

  it("several orders run side by side, each on its own instance", async () => {
    const world = shopWorld();
    world.declineAbove = 5_000;
    const { orchestrator, log, placeOrder } = await shop(world);
    await placeOrder("a");
    await placeOrder("b", { amountMinor: 9_000 });
    await placeOrder("c");
    await orchestrator.settle();
    const states = (await orchestrator.instances()).map((i) => [i.correlation, i.state.kind]);
    expect(states).toEqual([["a", "completed"], ["b", "failed"], ["c", "completed"]]);
    expect(typesOf(log, (r) => r.correlationId === "conv-b")).toEqual(["ReserveStock", "ChargePayment", "ReleaseStock", "CancelOrder"]);
  });

  it("a new coordinator on the same store resumes a run the first one left with a queued command", async () => {
    const world = shopWorld();
    const { orchestrator, reopen, store, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.catchUp();
    const queued = await orchestrator.commands("o1");
    expect(queued.map((c) => [c.commandId, c.status])).toEqual([["Checkout/o1/reserveStock/send/1", "pending"]]);

    const recorder = recording(shopSender(store, world));
    const restarted = await reopen(recorder.send);
    await restarted.settle();
    expect(typesOf(recorder.log)).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
    expect((await restarted.instance("o1"))?.state).toEqual({ kind: "completed" });
  });

  describe("a saga of four steps", () => {
    async function trips(failAt: Map<string, number>) {
      let log: SentRecord[] = [];
      const flow = await openFlow(engine, tripBooking, (store) => {
        const recorder = recording(tripSender(store, failAt));
        log = recorder.log;
        return recorder.send;
      });
      cleanup.push(() => flow.harness.dispose());
      return { ...flow, log };
    }

    it("completes, and onComplete reads the data of every awaited event", async () => {
      const { orchestrator, log, store } = await trips(new Map());
      await requestTrip(store, "t1", 750);
      await orchestrator.settle();
      expect(typesOf(log)).toEqual(["BookFlight", "BookHotel", "RentCar", "ChargeCard", "ConfirmTrip"]);
      expect(log[3]?.data).toEqual({ tripId: "t1", amount: 750 });
      expect(log[4]?.data).toEqual({ tripId: "t1", flight: "AF-t1", hotel: "H-t1", car: "C-t1", amount: 500 });
    });

    const undo = ["CancelFlight", "CancelHotel", "ReturnCar"];
    const book = ["BookFlight", "BookHotel", "RentCar", "ChargeCard"];
    it.each([1, 2, 3, 4])("failing at step %i runs the compensations k−1…1 in reverse, each exactly once, then the fail command", async (k) => {
      const { orchestrator, log, store } = await trips(new Map([["t1", k], ["t2", 0]]));
      await requestTrip(store, "t1");
      await requestTrip(store, "t2");
      await orchestrator.settle();

      const t1 = log.filter((r) => r.correlationId === "conv-t1");
      expect(typesOf(t1)).toEqual([...book.slice(0, k), ...undo.slice(0, k - 1).reverse(), "AbandonTrip"]);
      expect(t1.at(-1)?.data).toEqual({ tripId: "t1", reason: "fail-on", step: tripBooking.steps[k - 1]?.name });
      for (const type of undo.slice(0, k - 1)) {
        expect(t1.filter((r) => r.type === type)).toHaveLength(1);
        expect(await typesIn(store, `Trip-t1-${type}`)).toHaveLength(1);
      }
      expect(typesOf(log, (r) => r.correlationId === "conv-t2")).toEqual([...book, "ConfirmTrip"]);
      expect((await orchestrator.instance("t1"))?.pendingCompensations).toEqual([]);
    });
  });
});
