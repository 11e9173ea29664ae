/**
 * What an orchestrator tells operators: a `workflow-transition` log per committed transition
 * and the completion time per workflow and outcome (completed, failed, timed out), measured on
 * the coordinator's clock from the start event.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger, type SystemLogRecord } from "../../src/observability/logger.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { openFlow } from "./support/harness.js";
import { appendEvent, checkout, place, placeOrder, shopSender, shopWorld, type ShopWorld } from "./support/shop.js";

const MINUTE = 60_000;

describe("orchestrator observability", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function shop(world: ShopWorld = shopWorld()) {
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    const flow = await openFlow("sqlite", checkout, (store) => shopSender(store, world), {}, createObservability({ metrics, logger }));
    cleanup.push(() => flow.harness.dispose());
    const raw = shopSender(flow.store, world);
    return { ...flow, metrics, logger, placeOrder: (id: string, o: Parameters<typeof placeOrder>[1] = {}) => place(raw, placeOrder(id, o)) };
  }

  it("logs every transition and times a completed run", async () => {
    const world = shopWorld();
    world.silentShipments.add("o1");
    const { orchestrator, metrics, logger, clock, store, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    clock.advance(90_000);
    const shipped = { messageId: "shipped", type: "ShipmentScheduled", version: 1, correlationId: "conv-o1", causationId: null, payload: { orderId: "o1", trackingCode: "T" } };
    await store.append("Shipping.Shipment-o1", [shipped], { kind: "any" });
    await orchestrator.settle();
    const transitions = logger.records.filter((r): r is SystemLogRecord => r.event === "workflow-transition");
    expect(transitions.map((r) => [r.from, r.to])).toEqual([
      [null, "awaiting:reserveStock"],
      ["awaiting:reserveStock", "awaiting:chargePayment"],
      ["awaiting:chargePayment", "awaiting:scheduleShipment"],
      ["awaiting:scheduleShipment", "completed"],
    ]);
    expect(new Set(transitions.map((r) => r.correlationId))).toEqual(new Set(["conv-o1"]));
    expect(metrics.workflowsCompleted).toEqual([{ workflow: "Checkout", outcome: "completed", seconds: 90 }]);
  });

  it("times a run that timed out as timed_out, once", async () => {
    const world = shopWorld();
    world.silentShipments.add("o1");
    const { orchestrator, metrics, clock, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    await orchestrator.tick(clock.advance(30 * MINUTE));
    await orchestrator.settle();
    expect(metrics.workflowsCompleted).toEqual([{ workflow: "Checkout", outcome: "timed_out", seconds: 30 * 60 }]);
  });

  it("times a failed run as failed", async () => {
    const world = shopWorld();
    world.outOfStock.add("GONE");
    const { orchestrator, metrics, placeOrder } = await shop(world);
    await placeOrder("o1", { sku: "GONE" });
    await orchestrator.settle();
    expect(metrics.workflowsCompleted.map((s) => [s.workflow, s.outcome])).toEqual([["Checkout", "failed"]]);
  });

  it("counts strays by reason and warns of a step's second success", async () => {
    const { orchestrator, metrics, logger, store, placeOrder } = await shop();
    await placeOrder("o1");
    await orchestrator.settle();
    const captured = { orderId: "o1", amount: { amountMinor: 2_500, currency: "EUR" } };
    await appendEvent(store, "Payments.Payment-o1", "captured-again", "PaymentCaptured", captured);
    await appendEvent(store, "Inventory.Reservation-o1", "late-failure", "StockReservationFailed", { orderId: "o1", sku: "MUG-BLUE" });
    await orchestrator.settle();
    expect(metrics.workflowStrays).toEqual([
      { workflow: "Checkout", reason: "step-succeeded-again" },
      { workflow: "Checkout", reason: "finished-instance" },
    ]);
    const warnings = logger.records.filter((r): r is SystemLogRecord => r.event === "workflow-stray");
    expect(warnings).toMatchObject([{ level: "warn", runner: "workflow:Checkout", message: expect.stringContaining("o1: PaymentCaptured captured-again: step chargePayment was completed already") }]);
  });

  it("times a failed run whose compensation was refused as compensation_rejected", async () => {
    const world = shopWorld();
    world.declineAbove = 5_000;
    world.refuseReleases.add("o1");
    const { orchestrator, metrics, placeOrder } = await shop(world);
    await placeOrder("o1", { amountMinor: 9_000 });
    await orchestrator.settle();
    expect(metrics.workflowsCompleted.map((s) => [s.workflow, s.outcome])).toEqual([["Checkout", "compensation_rejected"]]);
    expect(metrics.compensationsRejected).toEqual([{ workflow: "Checkout", step: "reserveStock" }]);
  });

  it("counts a late success's compensation refused after the run ended, which no outcome records", async () => {
    const world = shopWorld();
    world.silentCharges.set("o1", 99);
    const { orchestrator, metrics, clock, store, placeOrder } = await shop(world);
    await placeOrder("o1");
    await orchestrator.settle();
    for (let i = 0; i < 4; i++) {
      await orchestrator.tick(clock.advance(2_000));
      await orchestrator.settle();
    }
    expect(metrics.workflowsCompleted.map((s) => s.outcome)).toEqual(["failed"]);
    // A capture reported after the retries were spent, from a stream the payment aggregate does
    // not read: its refund is refused ("nothing-captured"), after the run ended.
    await appendEvent(store, "Payments.Gateway-o1", "late-capture", "PaymentCaptured", { orderId: "o1", amount: { amountMinor: 1_000, currency: "EUR" } });
    await orchestrator.settle();
    expect((await orchestrator.instance("o1"))?.rejections).toMatchObject([{ type: "RefundPayment", reason: "nothing-captured" }]);
    expect(metrics.compensationsRejected).toEqual([{ workflow: "Checkout", step: "chargePayment" }]);
    expect(metrics.workflowsCompleted.map((s) => s.outcome)).toEqual(["failed"]);
  });
});
