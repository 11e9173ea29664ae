/**
 * The checkout as production breaks it, on every store engine: a handler that is down while the
 * retry deadlines pass, events at awkward times, a compensation whose handler is down. Time moves
 * only when the test moves the injected clock and calls `tick`.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CommandSender } from "../../src/workflow/definition.js";
import { ENGINES } from "../store/support.js";
import { openFlow } from "./support/harness.js";
import { recording, typesOf, type SentRecord } from "./support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld, type ShopCommand, type ShopWorld } from "./support/shop.js";
import { requestTrip, tripBooking, tripSender, type TripCommand } from "./support/trip.js";

const SECOND = 1_000;

describe.each(ENGINES)("the checkout under production faults on the %s store", (engine) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** The shop, with a switch per command type that makes its handler unreachable (the send throws). */
  async function shop(world: ShopWorld = shopWorld()) {
    const down = new Set<ShopCommand["type"]>();
    const errors: unknown[] = [];
    let log: SentRecord[] = [];
    const flow = await openFlow(engine, checkout, (store) => {
      const inner = shopSender(store, world);
      const send: CommandSender<ShopCommand> = (command, meta) => {
        if (down.has(command.type)) return Promise.reject(new Error(`${command.type}: connection refused`));
        return inner(command, meta);
      };
      const recorder = recording(send);
      log = recorder.log;
      return recorder.send;
    }, { onError: (error) => errors.push(error) });
    cleanup.push(() => flow.harness.dispose());
    await place(shopSender(flow.store, world), placeOrder("o1"));
    return { ...flow, down, errors, log: () => log };
  }

  it("a payment service down across retry deadlines does not pile up attempts: one charge when it is back", async () => {
    const { orchestrator, clock, store, down, errors, log } = await shop();
    down.add("ChargePayment");
    await orchestrator.settle();
    expect(errors.length).toBeGreaterThan(0);
    // Two retry periods pass while attempt 1 could not even be delivered.
    for (let i = 0; i < 2; i++) {
      await orchestrator.tick(clock.advance(2 * SECOND));
      await orchestrator.settle();
    }
    // The retry was put off, one period at a time, rather than a second attempt queued.
    const waiting = await orchestrator.instance("o1");
    expect(waiting?.attempt).toBe(1);
    expect(waiting?.retryAt).toBe(new Date(clock().getTime() + 2 * SECOND).toISOString());
    down.delete("ChargePayment");
    await orchestrator.settle();

    expect(log().filter((r) => r.type === "ChargePayment").map((r) => r.commandId)).toEqual(["Checkout/o1/chargePayment/send/1"]);
    expect((await store.readStream("Payments.Payment-o1")).map((e) => e.type)).toEqual(["PaymentCaptured"]);
    expect(typesOf(log())).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
    expect((await orchestrator.instance("o1"))?.state).toEqual({ kind: "completed" });
  });

  it("a retry queued just before the previous attempt's reply is read is not sent once the step is done", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 1);
    const { orchestrator, clock, store, log } = await shop(world);
    await orchestrator.settle();
    // Attempt 1 was delivered and is silent; the retry deadline queues attempt 2 …
    expect(await orchestrator.tick(clock.advance(2 * SECOND))).toBe(1);
    // … and before the dispatcher gets to it, attempt 1's capture comes in after all.
    const captured = { orderId: "o1", amount: { amountMinor: 1_000, currency: "EUR" } };
    await store.append("Payments.Payment-o1", [{ messageId: "capture-1", type: "PaymentCaptured", version: 1, correlationId: "c", causationId: "Checkout/o1/chargePayment/send/1", payload: captured }], { kind: "any" });
    await orchestrator.catchUp();
    await orchestrator.settle();

    expect(log().filter((r) => r.type === "ChargePayment").map((r) => r.commandId)).toEqual(["Checkout/o1/chargePayment/send/1"]);
    expect((await store.readStream("Payments.Payment-o1")).map((e) => e.messageId)).toEqual(["capture-1"]);
    expect((await orchestrator.commands("o1")).find((c) => c.commandId === "Checkout/o1/chargePayment/send/2")?.status).toBe("cancelled");
    expect((await orchestrator.instance("o1"))?.state).toEqual({ kind: "completed" });
  });

  it("a payment service down until the run times out: the run fails, and the charge it finally takes is refunded", async () => {
    const { orchestrator, clock, store, down, log } = await shop();
    down.add("ChargePayment");
    await orchestrator.settle();
    for (let i = 0; i < 5; i++) {
      await orchestrator.tick(clock.advance(2 * SECOND));
      await orchestrator.settle();
    }
    await orchestrator.tick(clock.advance(30 * 60 * SECOND));
    await orchestrator.settle();
    expect((await orchestrator.instance("o1"))?.failure).toMatchObject({ reason: "timeout", step: "chargePayment" });
    down.delete("ChargePayment");
    await orchestrator.settle();

    // The attempt may have reached the service before its send threw, so it is seen through; its
    // capture arrives after the failure and is refunded (late compensation), once.
    expect(typesOf(log())).toEqual(["ReserveStock", "ChargePayment", "ReleaseStock", "CancelOrder", "RefundPayment"]);
    expect((await store.readStream("Payments.Payment-o1")).map((e) => e.type)).toEqual(["PaymentCaptured", "PaymentRefunded"]);
    expect((await orchestrator.instance("o1"))?.state).toEqual({ kind: "failed" });
  });

  /** The four-step trip saga, with a switch per command type that makes its handler unreachable. */
  async function trip(failAt: Map<string, number>) {
    const down = new Set<TripCommand["type"]>();
    let log: SentRecord[] = [];
    const flow = await openFlow(engine, tripBooking, (store) => {
      const inner = tripSender(store, failAt);
      const send: CommandSender<TripCommand> = (command, meta) =>
        down.has(command.type) ? Promise.reject(new Error(`${command.type}: connection refused`)) : inner(command, meta);
      const recorder = recording(send);
      log = recorder.log;
      return recorder.send;
    });
    cleanup.push(() => flow.harness.dispose());
    return { ...flow, down, log: () => log };
  }

  it("a compensation whose handler is down holds the ones after it; once back, each runs once, in reverse order", async () => {
    const { orchestrator, store, down, log } = await trip(new Map([["t1", 4]]));
    down.add("CancelHotel");
    await requestTrip(store, "t1");
    await orchestrator.settle();
    await orchestrator.settle();
    expect((await orchestrator.instance("t1"))?.state).toEqual({ kind: "compensating", step: "hotel" });
    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "RentCar", "ChargeCard", "ReturnCar"]);
    down.delete("CancelHotel");
    await orchestrator.settle();

    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "RentCar", "ChargeCard", "ReturnCar", "CancelHotel", "CancelFlight", "AbandonTrip"]);
    const done = await orchestrator.instance("t1");
    expect(done).toMatchObject({ state: { kind: "failed" }, rejections: [], failure: { reason: "fail-on", step: "payment" } });
    expect((await orchestrator.commands("t1")).every((c) => c.status === "dispatched")).toBe(true);
  });

  it("a step's `fail on` event logged before its awaited one: the step fails, then is compensated when its event comes", async () => {
    const { orchestrator, store, log } = await trip(new Map());
    await requestTrip(store, "t1");
    await orchestrator.catchUp();
    await orchestrator.dispatch();
    await orchestrator.catchUp();
    // The hotel says it is full, and then books the room anyway.
    await store.append("Trip-t1-BookHotel", [{ messageId: "full", type: "HotelFull", version: 1, correlationId: "c", causationId: null, payload: { tripId: "t1" } }], { kind: "any" });
    await orchestrator.dispatch();
    await orchestrator.settle();

    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "CancelFlight", "CancelHotel", "AbandonTrip"]);
    expect(await orchestrator.instance("t1")).toMatchObject({ state: { kind: "failed" }, failure: { reason: "fail-on", step: "hotel" }, lateCompensations: ["hotel"] });
    // An event for the finished run moves nothing and sends nothing.
    await store.append("Trip-t1-RentCar", [{ messageId: "stray-car", type: "CarRented", version: 1, correlationId: "c", causationId: null, payload: { tripId: "t1", car: "C" } }], { kind: "any" });
    await orchestrator.settle();
    expect(typesOf(log())).toHaveLength(5);
    expect((await orchestrator.strays()).map((x) => [x.messageId, x.reason])).toEqual([["stray-car", "finished-instance"]]);
  });
});
