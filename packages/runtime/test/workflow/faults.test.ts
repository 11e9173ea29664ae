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
});
