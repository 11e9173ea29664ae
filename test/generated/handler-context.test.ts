/**
 * The handler context and expected versions through the shop's generated `createApp`, on SQLite
 * and PostgreSQL: the app's injected clock, the caller given to `send` and the stream version
 * reach the decider; `send(command, { expectedVersion })` answers `conflict` with both versions
 * and stores nothing, and a command sent at the right version is decided.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DecideContext } from "@eda/runtime";
import { freshStore, implementation, loadShop, openShop, orderId, placeOrder, SQL_ENGINES, type Shop } from "./shop-app.js";
import type * as AppModule from "./shop-generated/app.js";

const NOON = "2026-03-01T12:00:00.000Z";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

describe.each(SQL_ENGINES)("handler context on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: AppModule.ModelApp;
  let seen: DecideContext[];
  beforeEach(async () => {
    store = await freshStore(engine);
    seen = [];
    const order = shop.order.order;
    const watching: typeof order = { ...order, decide: (command, state, context) => (seen.push(context), order.decide(command, state, context)) };
    app = await openShop(shop, store.url, { clock: () => new Date(NOON) }, implementation(shop, watching));
  });
  afterEach(async () => {
    await app.close();
    await store.drop();
  });

  it("the decider reads the injected clock, the caller and the stream's version", async () => {
    const id = orderId(1);
    await app.send(placeOrder(id), { caller: "web-shop", correlationId: "basket-7" });
    await app.send({ type: "ConfirmOrder", data: { orderId: id } });
    expect(seen.map((c) => [c.stream, c.version, c.now().toISOString(), c.caller])).toEqual([
      [`Ordering.Order-${id}`, 0, NOON, "web-shop"],
      [`Ordering.Order-${id}`, 1, NOON, null],
    ]);
    expect(seen[0]?.correlationId).toBe("basket-7");
    // The caller travels in the metadata of the events the command produced.
    expect((await app.store.readStream(`Ordering.Order-${id}`))[0]?.metadata).toEqual({ caller: "web-shop" });
  });

  it("a command sent at another version than its stream's is a conflict, and nothing is stored", async () => {
    const id = orderId(2);
    expect(await app.send(placeOrder(id), { expectedVersion: 0 })).toMatchObject({ status: "accepted" });
    const head = await app.store.headPosition();
    const confirm = { type: "ConfirmOrder", data: { orderId: id } } as const;
    const conflict = await app.send(confirm, { expectedVersion: 0, commandId: "confirm-1" });
    expect(conflict).toEqual({ status: "conflict", commandId: "confirm-1", stream: `Ordering.Order-${id}`, expectedVersion: 0, actualVersion: 1, duplicate: false });
    expect([await app.store.headPosition(), await app.store.commandResult("confirm-1")]).toEqual([head, null]);
    expect(await app.send(confirm, { expectedVersion: 1, commandId: "confirm-1" })).toMatchObject({ status: "accepted", lastPosition: 1 });
  });

  it("refuses an expected version that is not a count of events", async () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(app.send(placeOrder(orderId(3)), { expectedVersion: bad })).rejects.toThrow(/expectedVersion must be a whole number of events/);
    }
  });
});
