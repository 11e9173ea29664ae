/**
 * Poison parked, never fatal: the shop's app started on a store holding an event it cannot read
 * (written by hand, by an older build). The process stays up with no unhandled rejection; the
 * saga and the choreography handle the other orders; the projection stops at the event (the
 * default policy, reported) or parks it and goes on (`onPoison: "park"`); the parked events are
 * listed in the store, logged and counted, and go through once the stored event is repaired. On
 * SQLite and PostgreSQL, with the in-memory bus and with RabbitMQ.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppOptions, LogRecord } from "@eda/runtime";
import { createVhost, type TestVhost } from "../../packages/runtime/test/bus/support/rabbit.js";
import { freshStore, loadShop, openShop, orderId, placeOrder, SQL_ENGINES, type Shop } from "./shop-app.js";
import type * as AppModule from "./shop-generated/app.js";

let shop!: Shop;
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => void rejections.push(reason);
beforeAll(async () => {
  shop = await loadShop();
  process.on("unhandledRejection", onRejection);
});
afterAll(() => {
  process.off("unhandledRejection", onRejection);
});

const PROJECTION = "projection:Ordering.CustomerOrders";
const CONFIRMATION_RULE = "CustomerNotifications.onOrderPlacedSendSendOrderConfirmation";
const POISON = orderId(0xbad);

async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const BUSES = [
  ["sqlite", "memory"],
  ["postgres", "memory"],
  ["sqlite", "rabbitmq"],
] as const;

describe.each(BUSES)("an app started on a store with a poisoned event (%s, %s bus)", (engine, busKind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let vhost: TestVhost | undefined;
  let app: AppModule.ModelApp | undefined;
  let logs: LogRecord[];
  let metrics: InstanceType<Shop["runtime"]["MetricsRecorder"]>;

  beforeEach(async () => {
    store = await freshStore(engine === "sqlite" ? "sqlite" : SQL_ENGINES[1]);
    vhost = busKind === "rabbitmq" ? await createVhost() : undefined;
    // The poisoned row: an OrderPlaced v2 whose customerId is no uuid, as an older build wrote it.
    const raw = await shop.runtime.openStore(store.url);
    const data = { ...placeOrder(POISON).data, total: { amountMinor: 2_500, currency: "EUR" }, customerId: "legacy-42" };
    await raw.append(`Ordering.Order-${POISON}`, [{ messageId: "poison", type: "OrderPlaced", version: 2, correlationId: "poison", causationId: null, payload: data }], { kind: "no-stream" });
    await raw.close();
    rejections.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await vhost?.dispose();
    await store.drop();
  });

  async function start(options: AppOptions = {}): Promise<AppModule.ModelApp> {
    const logger = shop.runtime.memoryLogger();
    logs = logger.records;
    metrics = new shop.runtime.MetricsRecorder();
    const observability = shop.runtime.createObservability({ logger, metrics });
    // The saga starts at the beginning so that it meets the poisoned start event too.
    app = await openShop(shop, store.url, { bus: vhost?.url ?? "memory:", observability, orchestrators: { startAt: "beginning", tickIntervalMs: 50 }, ...options });
    app.start();
    return app;
  }

  async function completed(a: AppModule.ModelApp, id: string): Promise<boolean> {
    return (await a.orchestrator("Checkout").instance(id))?.state.kind === "completed";
  }

  it("stays up; the saga and the e-mails handle the next order; the projection stops at the event and says so", async () => {
    const a = await start();
    const good = orderId(1);
    expect(await a.send(placeOrder(good))).toMatchObject({ status: "accepted" });
    await eventually("the checkout of the good order completes", () => completed(a, good));
    const events = async () => (await a.store.readAll(1, 1_000)).map((e) => e.type);
    await eventually("the confirmation e-mail is sent", async () => (await events()).includes("OrderConfirmationSent"));
    await eventually("the projection reports its stop", async () => (await a.parked(PROJECTION)).length === 1);

    const parked = await a.parked();
    expect(parked.map((p) => [p.runner, p.messageId, p.reason, p.blocking])).toEqual(
      expect.arrayContaining([
        [PROJECTION, "poison", "unreadable", true],
        ["workflow:Checkout", "poison", "unreadable", false],
      ]),
    );
    expect(parked.find((p) => p.runner === PROJECTION)).toMatchObject({ type: "OrderPlaced", version: 2, position: 0, path: "customerId" });
    expect(a.projection("Ordering.CustomerOrders").stoppedAt).toMatchObject({ messageId: "poison" });
    // The consumer parked it on its dead-letter queue at once: no retry can read it.
    await eventually("the rule parks the event", async () => (await a.bus.deadLetterDepth(CONFIRMATION_RULE)) === 1);
    expect((await a.bus.peekDeadLetters(CONFIRMATION_RULE))[0]?.reason).toMatchObject({ attempts: 1, message: expect.stringMatching(/invalid payload at customerId/) });
    expect(metrics.parkedSamples).toEqual(expect.arrayContaining([{ runner: PROJECTION, type: "OrderPlaced", reason: "unreadable", blocking: true }]));
    expect(logs.filter((r) => r.event === "parked").map((r) => ("runner" in r ? r.runner : undefined))).toEqual(expect.arrayContaining([PROJECTION, "workflow:Checkout"]));
    // Explicit calls do not throw either.
    await a.catchUp();
    if (busKind === "memory") await a.settle();
    expect(rejections).toEqual([]);

    // The stored event repaired by hand: the retry applies it where it was parked in the store
    // (projection, saga) and replays the rule's dead-letter queue.
    await repair(a);
    expect(await a.retryParked()).toEqual({ retried: 3, stillParked: 0 });
    expect(await a.parked(PROJECTION)).toEqual([]);
    expect(await a.parked("workflow:Checkout")).toEqual([]);
    await eventually("the projection has both orders", async () => (await a.projection("Ordering.CustomerOrders").rows()).size === 2);
    // (The consumer's copy went back to its queue as it was published — a repaired row does
    // not change it, a fixed model would read it — so it is parked again.)
    expect(rejections).toEqual([]);
  });

  it("under onPoison: park, the projection goes on with the other orders", async () => {
    const a = await start({ projections: { onPoison: "park" } });
    const good = orderId(2);
    await a.send(placeOrder(good));
    await eventually("the projection has the good order", async () => (await a.projection("Ordering.CustomerOrders").rows()).size === 1);
    expect((await a.parked(PROJECTION)).map((p) => [p.messageId, p.blocking])).toEqual([["poison", false]]);
    await eventually("the checkout of the good order completes", () => completed(a, good));
    expect(rejections).toEqual([]);
  });

  /** Rewrites the poisoned row's payload as a valid one (what an operator's deliberate repair would do). */
  async function repair(a: AppModule.ModelApp): Promise<void> {
    const payload = JSON.stringify({ ...placeOrder(POISON).data, total: { amountMinor: 2_500, currency: "EUR" }, customerId: orderId(0xc0ffee) });
    await a.store.transaction(async (tx) => {
      const sql = tx.sql;
      if (sql === undefined) throw new Error("a SQL store");
      // Stored events are immutable; a repair unlocks the history for its own transaction.
      const { unlock, relock } = shop.runtime.HISTORY_UNLOCK_SQL[sql.dialect];
      await sql.query(unlock);
      await sql.query(sql.dialect === "postgres" ? "UPDATE eda_events SET payload = $1::json WHERE message_id = 'poison'" : "UPDATE eda_events SET payload = ? WHERE message_id = 'poison'", [payload]);
      await sql.query(relock);
    });
  }
});
