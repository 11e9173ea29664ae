/**
 * The model holds at the write path, on SQLite and PostgreSQL, through the shop's generated
 * `createApp`: a command its schema refuses comes back `invalid` and stores nothing (and the
 * stream, the read model and the sagas go on as before); an event a handler produced that its
 * schema refuses fails the command naming the handler, the event and the field, storing
 * nothing; U+0000 is refused the same way on both engines; sizes are bounded at `send`.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InvalidEventError } from "@eda/runtime";
import { freshStore, implementation, loadShop, openShop, orderId, placeOrder, SQL_ENGINES, type Shop } from "./shop-app.js";
import type * as AppModule from "./shop-generated/app.js";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

describe.each(SQL_ENGINES)("validated writes on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: AppModule.ModelApp;
  beforeEach(async () => {
    store = await freshStore(engine);
    app = await openShop(shop, store.url);
  });
  afterEach(async () => {
    await app.close();
    await store.drop();
  });

  /** What the store holds: its head and whether the command id was recorded. */
  async function stored(commandId: string): Promise<[number, boolean]> {
    return [await app.store.headPosition(), (await app.store.commandResult(commandId)) !== null];
  }

  it("refuses commands their schema refuses, each with its field and code, storing nothing; the stream goes on", async () => {
    const id = orderId(1);
    const good = placeOrder(id);
    const line = good.data.lines[0] as (typeof good.data.lines)[number];
    const cases: [string, unknown, string, string][] = [
      ["customerId not a uuid", { ...good.data, customerId: "customer-1" }, "customerId", "invalid_format"],
      ["no lines (@minItems(1))", { ...good.data, lines: [] }, "lines", "too_small"],
      ["contactEmail not an e-mail", { ...good.data, contactEmail: "nope" }, "contactEmail", "invalid_format"],
      ["a negative quantity", { ...good.data, lines: [{ ...line, quantity: -5 }] }, "lines.0.quantity", "too_small"],
      ["a fractional int", { ...good.data, lines: [{ ...line, quantity: 1.5 }] }, "lines.0.quantity", "invalid_type"],
      ["text holding U+0000", { ...good.data, shipTo: { ...good.data.shipTo, line1: "1 Rue\u0000" } }, "shipTo.line1", "nul-character"],
    ];
    for (const [what, data, path, code] of cases) {
      const outcome = await app.send({ type: "PlaceOrder", data } as Parameters<AppModule.ModelApp["send"]>[0], { commandId: `bad-${path}` });
      expect(outcome, what).toMatchObject({ status: "invalid", commandId: `bad-${path}`, commandType: "PlaceOrder", duplicate: false });
      const issues = outcome.status === "invalid" ? outcome.issues : [];
      expect(issues.map((i) => [i.path.join("."), i.code]), what).toEqual([[path, code]]);
      expect(await stored(`bad-${path}`), what).toEqual([0, false]);
    }
    // The personal value itself is never quoted.
    const secret = await app.send({ type: "PlaceOrder", data: { ...good.data, contactEmail: "ada.lovelace-at-home" } }, { commandId: "secret" });
    expect(JSON.stringify(secret)).not.toContain("ada.lovelace-at-home");
    // The same command id, corrected, is handled; everything downstream works.
    expect(await app.send(good, { commandId: "bad-customerId" })).toMatchObject({ status: "accepted", events: [{ type: "OrderPlaced", position: 0 }] });
    expect(await app.send({ type: "ConfirmOrder", data: { orderId: id } })).toMatchObject({ status: "accepted" });
    await app.settle();
    expect(await app.projection("Ordering.CustomerOrders").row(good.data.customerId)).toMatchObject({ placed: 1 });
  });

  it("fails a command whose handler produced an event its schema refuses, naming handler, event and field; nothing stored", async () => {
    await app.close();
    const order = shop.order.order;
    const broken: typeof order = {
      ...order,
      decide: (command, state, context) => {
        const decision = order.decide(command, state, context);
        return Array.isArray(decision) ? decision.map((e) => (e.type === "OrderPlaced" ? { ...e, data: { ...e.data, customerId: "nobody" } } : e)) : decision;
      },
    };
    app = await openShop(shop, store.url, {}, implementation(shop, broken));
    const error = (await app.send(placeOrder(orderId(2)), { commandId: "c-2" }).catch((e: unknown) => e)) as InvalidEventError;
    expect(error).toBeInstanceOf(shop.runtime.InvalidEventError);
    expect([error.handler, error.eventType, error.issues.map((i) => i.path.join("."))]).toEqual(["Ordering.Order", "OrderPlaced", ["customerId"]]);
    expect(error.message).toMatch(/^Ordering\.Order produced an event OrderPlaced that its schema refuses at customerId: /);
    expect(error.message).toContain("nothing was stored");
    expect(await stored("c-2")).toEqual([0, false]);
  });

  it("bounds command and event sizes at send, with a clear error and nothing stored", async () => {
    const huge = placeOrder(orderId(3));
    // Every field is within its own constraints; the whole is 8.2 MB.
    const big = { ...huge, data: { ...huge.data, lines: Array.from({ length: 100_000 }, () => huge.data.lines[0] as (typeof huge.data.lines)[number]) } };
    const outcome = await app.send(big, { commandId: "huge" });
    expect(outcome).toMatchObject({ status: "invalid", issues: [{ path: [], code: "too-large" }] });
    expect(outcome.status === "invalid" ? outcome.issues[0]?.message : "").toMatch(/^the command PlaceOrder is 8\.\d MB as JSON, above the limit of 524\.3 kB \(maxCommandBytes\)$/);
    expect(await stored("huge")).toEqual([0, false]);
    await app.close();
    // A smaller bound for events: the command fits, the event it produces does not.
    app = await openShop(shop, store.url, { commands: { maxCommandBytes: 2_000, maxEventBytes: 300 } });
    const error = (await app.send(placeOrder(orderId(4)), { commandId: "c-4" }).catch((e: unknown) => e)) as InvalidEventError;
    expect(error).toMatchObject({ name: "InvalidEventError", eventType: "OrderPlaced", issues: [{ code: "too-large" }] });
    expect(error.message).toMatch(/above the limit of 300 bytes \(maxEventBytes\)/);
    expect(await stored("c-4")).toEqual([0, false]);
  });
});
