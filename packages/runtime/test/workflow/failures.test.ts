/**
 * The checkout under failure, on every store engine: retries spent, a timeout, a rejected
 * compensation, a sender that throws, duplicates and strays. Time moves only when the test
 * moves the injected clock and calls `tick`.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { WorkflowHooks } from "../../src/workflow/orchestrator.js";
import { ENGINES } from "../store/support.js";
import { openFlow } from "./support/harness.js";
import { recording, typesOf, type SentRecord } from "./support/messages.js";
import { appendEvent, checkout, place, placeOrder, shopSender, shopWorld, type ShopWorld } from "./support/shop.js";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe.each(ENGINES)("the checkout under failure on the %s store", (engine) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function shop(world: ShopWorld = shopWorld(), hooks: WorkflowHooks = {}) {
    let log: SentRecord[] = [];
    const flow = await openFlow(engine, checkout, (store) => {
      const recorder = recording(shopSender(store, world));
      log = recorder.log;
      return recorder.send;
    }, hooks);
    cleanup.push(() => flow.harness.dispose());
    const raw = shopSender(flow.store, world);
    return { ...flow, log, placeOrder: (...args: Parameters<typeof placeOrder>) => place(raw, placeOrder(...args)) };
  }

  it("retries spent fail the step: 1 + 3 charges, one every 2 s, then the stock is released and the order cancelled", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 99);
    const { orchestrator, log, clock, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    expect((await orchestrator.instance("o1"))?.retryAt).toBe(new Date(clock().getTime() + 2 * SECOND).toISOString());

    expect(await orchestrator.tick(clock.advance(2 * SECOND - 1))).toBe(0);
    for (let attempt = 2; attempt <= 4; attempt++) {
      expect(await orchestrator.tick(clock.advance(1))).toBe(1);
      await orchestrator.settle();
      expect((await orchestrator.instance("o1"))?.attempt).toBe(attempt);
      clock.advance(2 * SECOND - 1);
    }
    expect(await orchestrator.tick(clock.advance(1))).toBe(1);
    await orchestrator.settle();

    expect(log.filter((r) => r.type === "ChargePayment").map((r) => r.commandId)).toEqual(
      [1, 2, 3, 4].map((n) => `Checkout/o1/chargePayment/send/${n}`),
    );
    expect(typesOf(log).slice(-2)).toEqual(["ReleaseStock", "CancelOrder"]);
    const instance = await orchestrator.instance("o1");
    expect(instance?.failure).toMatchObject({ reason: "retries-spent", step: "chargePayment" });
    expect(await orchestrator.tick(clock.advance(MINUTE * 60))).toBe(0);
  });

  it("a retry that gets its event completes the run", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 2);
    const { orchestrator, log, clock, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    for (let i = 0; i < 2; i++) {
      await orchestrator.tick(clock.advance(2 * SECOND));
      await orchestrator.settle();
    }
    expect(typesOf(log)).toEqual(["ReserveStock", "ChargePayment", "ChargePayment", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
    expect((await orchestrator.instance("o1"))?.state).toEqual({ kind: "completed" });
  });

  it("rejected charges are re-sent at the retry deadline, and the last rejection fails the step at once", async () => {
    const world = shopWorld();
    world.refuseCharges.add("o1");
    const { orchestrator, log, clock, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    expect((await orchestrator.instance("o1"))?.state).toEqual({ kind: "awaiting", step: "chargePayment" });
    for (let i = 0; i < 3; i++) {
      await orchestrator.tick(clock.advance(2 * SECOND));
      await orchestrator.settle();
    }
    expect(typesOf(log)).toEqual(["ReserveStock", ...Array(4).fill("ChargePayment"), "ReleaseStock", "CancelOrder"]);
    const instance = await orchestrator.instance("o1");
    expect(instance?.failure).toMatchObject({ reason: "rejected", step: "chargePayment", causationId: "Checkout/o1/chargePayment/send/4" });
    expect(instance?.rejections.map((r) => [r.commandId, r.reason])).toEqual(
      [1, 2, 3, 4].map((n) => [`Checkout/o1/chargePayment/send/${n}`, "card-blocked"]),
    );
  });

  it("the timeout compensates the completed steps, and an event after it is a stray", async () => {
    const world = shopWorld();
    world.silentShipments.add("o1");
    const { orchestrator, log, clock, store, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    expect(await orchestrator.tick(clock.advance(30 * MINUTE - 1))).toBe(0);
    expect(await orchestrator.tick(clock.advance(1))).toBe(1);
    await orchestrator.settle();

    expect(typesOf(log)).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "RefundPayment", "ReleaseStock", "CancelOrder"]);
    expect((await orchestrator.instance("o1"))?.failure).toMatchObject({ reason: "timeout", step: "scheduleShipment" });

    await appendEvent(store, "Shipping.Shipment-o1", "late-shipment", "ShipmentScheduled", { orderId: "o1", trackingCode: "T" });
    await orchestrator.settle();
    expect((await orchestrator.strays()).map((s) => [s.messageId, s.reason])).toEqual([["late-shipment", "finished-instance"]]);
    expect(log).toHaveLength(6);
  });

  it("a payment captured after its step failed is refunded once (late compensation)", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 99);
    const { orchestrator, log, clock, store, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    for (let i = 0; i < 4; i++) {
      await orchestrator.tick(clock.advance(2 * SECOND));
      await orchestrator.settle();
    }
    expect(typesOf(log).slice(-2)).toEqual(["ReleaseStock", "CancelOrder"]);

    const captured = { orderId: "o1", amount: { amountMinor: 1_000, currency: "EUR" } };
    await appendEvent(store, "Payments.Payment-o1", "late-capture-1", "PaymentCaptured", captured);
    await appendEvent(store, "Payments.Payment-o1", "late-capture-2", "PaymentCaptured", captured);
    await orchestrator.settle();
    expect(log.slice(-1).map((r) => [r.commandId, r.type, r.causationId])).toEqual([
      ["Checkout/o1/chargePayment/compensate", "RefundPayment", "late-capture-1"],
    ]);
    expect((await orchestrator.instance("o1"))?.lateCompensations).toEqual(["chargePayment"]);
    expect((await orchestrator.strays()).map((s) => s.messageId)).toEqual(["late-capture-2"]);
  });

  it("a rejected compensation is recorded and the next one still runs", async () => {
    const world = shopWorld();
    world.declineAbove = 5_000;
    world.refuseReleases.add("o1");
    const { orchestrator, log, placeOrder } = await shop(world);
    await placeOrder("o1", { amountMinor: 9_000 });
    await orchestrator.settle();
    expect(typesOf(log)).toEqual(["ReserveStock", "ChargePayment", "ReleaseStock", "CancelOrder"]);
    const instance = await orchestrator.instance("o1");
    expect(instance?.state).toEqual({ kind: "failed" });
    expect(instance?.rejections).toMatchObject([{ commandId: "Checkout/o1/reserveStock/compensate", type: "ReleaseStock", reason: "nothing-reserved" }]);
  });

  it("a duplicate awaited event — the same delivery twice, or a second one — advances the instance once", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 1);
    const { orchestrator, log, store, clock, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    const [reserved] = await store.readStream("Inventory.Reservation-o1");
    if (reserved === undefined) throw new Error("no StockReserved");
    // The same envelope delivered again (same message id), and a second StockReserved.
    await store.append(reserved.stream, [reserved], { kind: "any" });
    await appendEvent(store, reserved.stream, "reserved-again", "StockReserved", { orderId: "o1" });
    await orchestrator.settle();

    expect((await orchestrator.strays()).map((s) => [s.messageId, s.reason])).toEqual([
      [reserved.messageId, "duplicate-delivery"],
      ["reserved-again", "step-succeeded-again"],
    ]);
    expect(typesOf(log)).toEqual(["ReserveStock", "ChargePayment"]);
    await orchestrator.tick(clock.advance(2 * SECOND));
    await orchestrator.settle();
    expect(typesOf(log)).toEqual(["ReserveStock", "ChargePayment", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
  });

  it("strays — unknown instance, a completed step's second success, finished instance, second start — are recorded, unreadable events parked, and the coordinator goes on", async () => {
    const strays: string[] = [];
    const parked: string[] = [];
    const { orchestrator, log, store, placeOrder } = await shop(shopWorld(), { onStray: (s) => strays.push(s.reason), onParked: (p) => parked.push(p.messageId) });
    await appendEvent(store, "Inventory.Reservation-ghost", "ghost", "StockReserved", { orderId: "ghost" });
    await appendEvent(store, "Inventory.Reservation-bad", "bad", "StockReserved", { unreadable: true });
    await placeOrder("o1");
    await orchestrator.settle();
    await appendEvent(store, "Payments.Payment-o1", "after", "PaymentCaptured", { orderId: "o1", amount: { amountMinor: 1, currency: "EUR" } });
    await appendEvent(store, "Inventory.Reservation-o1", "late-failure", "StockReservationFailed", { orderId: "o1", sku: "MUG-BLUE" });
    await appendEvent(store, "Ordering.Order-o1", "again", "OrderPlaced", placeOrderData("o1"));
    await placeOrder("o2");
    await orchestrator.settle();

    const recorded = await orchestrator.strays();
    expect(recorded.map((s) => [s.messageId, s.reason, s.correlation])).toEqual([
      ["ghost", "unknown-instance", "ghost"],
      // A second capture for a run that completed: maybe a second charge, which nothing refunds.
      ["after", "step-succeeded-again", "o1"],
      ["late-failure", "finished-instance", "o1"],
      ["again", "duplicate-start", "o1"],
    ]);
    expect(recorded[1]?.detail).toBe("step chargePayment was completed already; this PaymentCaptured may be a second effect of it (its compensation is not sent for it)");
    expect(strays).toEqual(["unknown-instance", "step-succeeded-again", "finished-instance", "duplicate-start"]);
    expect(parked).toEqual(["bad"]);
    expect(await orchestrator.parked()).toMatchObject([{ runner: "workflow:Checkout", messageId: "bad", reason: "unreadable", blocking: false, attempts: 1 }]);
    expect((await orchestrator.parked())[0]?.error).toMatch(/invalid payload/);
    expect(await orchestrator.retryParked()).toEqual({ retried: 0, stillParked: 1 });
    expect(await orchestrator.parked()).toMatchObject([{ messageId: "bad", attempts: 2 }]);
    expect((await orchestrator.instance("o2"))?.state).toEqual({ kind: "completed" });
    expect(typesOf(log, (r) => r.correlationId === "conv-o1")).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
  });

  it("a send that throws leaves the command queued; the next pass sends the same id, and its effect happens once", async () => {
    const errors: unknown[] = [];
    const world = shopWorld();
    let failNext = true;
    const flow = await openFlow(engine, checkout, (store) => {
      const inner = shopSender(store, world);
      return async (command, meta) => {
        if (command.type === "ChargePayment" && failNext) {
          failNext = false;
          await inner(command, meta);
          throw new Error("connection reset after the payment service answered");
        }
        return inner(command, meta);
      };
    }, { onError: (error) => errors.push(error) });
    cleanup.push(() => flow.harness.dispose());
    await place(shopSender(flow.store, world), placeOrder("o1"));
    await flow.orchestrator.settle();

    expect(errors).toHaveLength(1);
    expect((await flow.orchestrator.commands("o1")).map((c) => [c.commandId, c.status])).toEqual([
      ["Checkout/o1/reserveStock/send/1", "dispatched"],
      ["Checkout/o1/chargePayment/send/1", "dispatched"],
      ["Checkout/o1/scheduleShipment/send/1", "dispatched"],
      ["Checkout/o1/complete", "dispatched"],
    ]);
    expect((await flow.store.readStream("Payments.Payment-o1")).map((e) => e.type)).toEqual(["PaymentCaptured"]);
    expect((await flow.orchestrator.instance("o1"))?.state).toEqual({ kind: "completed" });
  });
});

function placeOrderData(orderId: string): unknown {
  const { data } = placeOrder(orderId);
  return { ...data, total: { amountMinor: 1_000, currency: "EUR" } };
}
