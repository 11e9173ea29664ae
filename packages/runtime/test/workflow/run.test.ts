/**
 * The orchestrator as an application runs it: `run()` with its loops, the hooks, where a new
 * coordinator starts reading, and a definition that throws for one run.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryEventStore } from "../../src/store/memory-store.js";
import { createOrchestrator, type OrchestratorOptions, type TransitionRecord } from "../../src/workflow/orchestrator.js";
import { waitFor } from "../bus/support/wait.js";
import { testClock } from "./support/harness.js";
import { deserializeMessage, recording, typesOf } from "./support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld, type ShopCommand } from "./support/shop.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function setup(options: Partial<OrchestratorOptions<ShopCommand>> = {}, workflow: typeof checkout = checkout) {
  const clock = testClock();
  const store = new MemoryEventStore({ clock });
  const world = shopWorld();
  const recorder = recording(shopSender(store, world));
  const orchestrator = createOrchestrator(workflow, { store, send: recorder.send, deserialize: deserializeMessage, clock, ...options });
  cleanup.push(() => store.close());
  return { clock, store, world, orchestrator, log: recorder.log, placeOrder: (...a: Parameters<typeof placeOrder>) => place(shopSender(store, world), placeOrder(...a)) };
}

describe("an orchestrator run by an application", () => {
  it("run() follows new events, dispatches what they queue and fires deadlines on its ticker, until aborted", async () => {
    const { orchestrator, world, clock, log, placeOrder } = setup({ tickIntervalMs: 2, pollIntervalMs: 2 });
    world.silentCharges.set("o2", 1);
    await orchestrator.init();
    const stop = new AbortController();
    const running = orchestrator.run(stop.signal);
    await placeOrder("o1");
    await placeOrder("o2");
    await waitFor(async () => (await orchestrator.instance("o1"))?.state.kind === "completed", "o1 completed");
    await waitFor(async () => (await orchestrator.instance("o2"))?.attempt === 1, "o2 charged once");
    expect((await orchestrator.instance("o2"))?.state).toEqual({ kind: "awaiting", step: "chargePayment" });

    clock.advance(2_000);
    await waitFor(async () => (await orchestrator.instance("o2"))?.state.kind === "completed", "o2 completed after a retry");
    stop.abort();
    await running;
    expect(typesOf(log, (r) => r.correlationId === "conv-o2")).toEqual(["ReserveStock", "ChargePayment", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
  });

  it("run() ends when the store closes", async () => {
    const { orchestrator, store } = setup({ tickIntervalMs: 5, pollIntervalMs: 5 });
    await orchestrator.init();
    const running = orchestrator.run();
    await store.close();
    await expect(running).resolves.toBeUndefined();
  });

  it("run() reports a sender that keeps failing to onError and keeps the command queued", async () => {
    const errors: string[] = [];
    const clock = testClock();
    const store = new MemoryEventStore({ clock });
    cleanup.push(() => store.close());
    const orchestrator = createOrchestrator(checkout, {
      store,
      clock,
      deserialize: deserializeMessage,
      send: () => Promise.reject(new Error("stock service down")),
      pollIntervalMs: 1,
      backoff: { initialMs: 1, maxMs: 2 },
      hooks: { onError: (error, phase, command) => errors.push(`${phase} ${command?.commandId} ${(error as Error).message}`) },
    });
    await orchestrator.init();
    const stop = new AbortController();
    const running = orchestrator.run(stop.signal);
    await place(shopSender(store, shopWorld()), placeOrder("o1"));
    await waitFor(() => errors.length >= 3, "three failed sends");
    stop.abort();
    await running;
    expect(new Set(errors)).toEqual(new Set(["dispatch Checkout/o1/reserveStock/send/1 stock service down"]));
    expect((await orchestrator.commands("o1")).map((c) => c.status)).toEqual(["sending"]);
  });

  it("hooks see every transition, from and to, with its cause and the commands it queued", async () => {
    const transitions: TransitionRecord[] = [];
    const { orchestrator, placeOrder } = setup({ hooks: { onTransition: (t) => transitions.push(t) } });
    await orchestrator.init();
    await placeOrder("o1");
    await orchestrator.settle();
    expect(transitions.map((t) => [t.from?.kind === "awaiting" ? t.from.step : (t.from?.kind ?? null), t.to.kind === "awaiting" ? t.to.step : t.to.kind, t.cause.kind, t.queued])).toEqual([
      [null, "reserveStock", "event", ["Checkout/o1/reserveStock/send/1"]],
      ["reserveStock", "chargePayment", "event", ["Checkout/o1/chargePayment/send/1"]],
      ["chargePayment", "scheduleShipment", "event", ["Checkout/o1/scheduleShipment/send/1"]],
      ["scheduleShipment", "completed", "event", ["Checkout/o1/complete"]],
    ]);
  });

  it("a new coordinator starts at the store's head by default, or at the first event if asked", async () => {
    const head = setup();
    await head.placeOrder("before");
    await head.orchestrator.init();
    await head.placeOrder("after");
    await head.orchestrator.settle();
    expect((await head.orchestrator.instances()).map((i) => i.correlation)).toEqual(["after"]);

    const beginning = setup({ startAt: "beginning" });
    await beginning.placeOrder("before");
    await beginning.orchestrator.settle();
    expect((await beginning.orchestrator.instances()).map((i) => i.correlation)).toEqual(["before"]);
  });

  it("a builder that throws for one run records its start event as a stray; other runs go on", async () => {
    const first = checkout.steps[0];
    if (first === undefined) throw new Error("no step");
    const fussy: typeof checkout = {
      ...checkout,
      steps: [{ ...first, send: (ctx) => (ctx.correlation === "bad" ? (() => { throw new Error("no lines"); })() : first.send(ctx)) }, ...checkout.steps.slice(1)],
    };
    const { orchestrator, placeOrder } = setup({ startAt: "beginning" }, fussy);
    await placeOrder("bad");
    await placeOrder("good");
    await orchestrator.settle();
    const [stray] = await orchestrator.strays();
    expect(stray).toMatchObject({ reason: "definition-error", correlation: "bad", type: "OrderPlaced" });
    expect(stray?.detail).toBe("workflow Checkout: step reserveStock: send threw: no lines");
    expect(await orchestrator.instance("bad")).toBeNull();
    expect((await orchestrator.instance("good"))?.state).toEqual({ kind: "completed" });
  });
});
