/**
 * Crypto-shredding through the shop's generated app, on SQLite and PostgreSQL: `OrderPlaced`'s
 * `contactEmail` is `@pii(customerId)`, so the app stores and publishes it encrypted (no byte of
 * the database holds it in clear); forgetting the customer turns it into "[forgotten]" for the
 * aggregate (a later command on the order), the projection (rebuilt), the checkout saga and the
 * e-mail rule (which meet the event after the forget) and `verifyStore`, while another
 * customer's orders read as they were. An event stored before encryption still reads.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../../packages/runtime/test/store/support.js";
import type * as AppModule from "./shop-generated/app.js";
import { CUSTOMER, freshStore, loadShop, openShop, orderId, placeOrder, SQL_ENGINES, type Shop } from "./shop-app.js";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

const ADA = "ada.lovelace@example.com";
const BOB = "bob.builder@example.com";
const OTHER = "7d0e8f6a-1c2b-4d3e-8f4a-0000000000b0";

/** Every byte the store keeps, as text: the SQLite files, or every table of the database. */
async function storedBytes(url: string): Promise<string> {
  if (url.startsWith("sqlite:")) {
    const dir = path.dirname(url.slice("sqlite:".length));
    return readdirSync(dir).map((f) => readFileSync(path.join(dir, f)).toString("latin1")).join("\n");
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dumps: string[] = [];
    for (const { t } of (await client.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows) {
      dumps.push(JSON.stringify((await client.query(`SELECT * FROM ${t}`)).rows));
    }
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

describe.each(SQL_ENGINES)("crypto-shredding in the shop on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: AppModule.ModelApp | undefined;
  beforeEach(async () => {
    store = await freshStore(engine);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await store.drop();
  });

  const checkout = async (a: AppModule.ModelApp, id: string) => (await a.orchestrator("Checkout").instance(id))?.state.kind;
  const emailOf = async (a: AppModule.ModelApp, id: string) => {
    const codec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    const [placed] = await a.store.readStream(`Ordering.Order-${id}`);
    return (codec.deserialize(placed!).data as { contactEmail: string }).contactEmail;
  };

  it("keeps the e-mail out of every stored byte, and forgets one customer everywhere", async () => {
    const legacy = orderId(0x1e9);
    const raw = await shop.runtime.openStore(store.url);
    // Written before encryption was switched on: stays readable.
    const old = { ...placeOrder(legacy, "old@example.com").data, total: { amountMinor: 2_500, currency: "EUR" } };
    await raw.append(`Ordering.Order-${legacy}`, [{ messageId: "legacy", type: "OrderPlaced", version: 2, correlationId: "legacy", causationId: null, payload: old }], { kind: "no-stream" });
    await raw.close();

    const logger = shop.runtime.memoryLogger();
    const logCodec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    app = await openShop(shop, store.url, { orchestrators: { tickIntervalMs: 50 }, observability: shop.runtime.createObservability({ logger, codec: logCodec }) });
    expect(shop.runtime.isEncryptedStore(app.store)).toBe(true);
    const [adaFirst, adaLater, bobs] = [orderId(1), orderId(2), orderId(3)];
    expect(await app.send(placeOrder(adaFirst, ADA))).toMatchObject({ status: "accepted" });
    const bob = placeOrder(bobs, BOB);
    expect(await app.send({ ...bob, data: { ...bob.data, customerId: OTHER } })).toMatchObject({ status: "accepted" });
    app.start();
    await eventually("both checkouts complete", async () => (await checkout(app!, adaFirst)) === "completed" && (await checkout(app!, bobs)) === "completed");
    await app.settle();

    const bytes = await storedBytes(store.url);
    expect(bytes).toContain(CUSTOMER);
    // On failure, the bytes around the value say which table kept it.
    const around = (text: string) => (bytes.includes(text) ? JSON.stringify(bytes.slice(Math.max(0, bytes.indexOf(text) - 400), bytes.indexOf(text) + 60)) : "");
    for (const email of [ADA, BOB, "ada.lovelace", "bob.builder"]) expect(around(email), email).toBe("");
    expect(await emailOf(app, adaFirst)).toBe(ADA);

    // Forget Ada; her next order is placed after that and met by the saga and the e-mail rule.
    expect(await (app.store as unknown as { forget(s: string): Promise<number> }).forget(CUSTOMER)).toBe(1);
    expect(await emailOf(app, adaFirst)).toBe("[forgotten]");
    expect(await emailOf(app, bobs)).toBe(BOB);
    expect(await emailOf(app, legacy)).toBe("old@example.com");

    expect(await app.send(placeOrder(adaLater, "ada.new@example.com"))).toMatchObject({ status: "accepted" });
    await eventually("the later checkout completes", async () => (await checkout(app!, adaLater)) === "completed");
    // The aggregate still loads the forgotten event: a command on the first order is decided.
    expect(await app.send({ type: "CancelOrder", data: { orderId: adaFirst, reason: "changed my mind" } })).toMatchObject({ status: expect.stringMatching(/accepted|rejected/) });
    // The projection replays every event, the forgotten ones included: rebuilt beside its live
    // rows and swapped in, the way to rebuild while the app's runner goes on (`rebuild()` asks for
    // a stopped runner).
    const replayCodec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    await shop.runtime.rebuildBeside(app.store, replayCodec, shop.customerOrders.customerOrders);
    const rowsOf = () => app!.projection("Ordering.CustomerOrders").rows();
    await eventually("the rebuilt projection has every order", async () => ((await rowsOf()).get(CUSTOMER) as { placed?: number } | undefined)?.placed === 3);
    const rows = await rowsOf();
    expect(rows.get(CUSTOMER)).toMatchObject({ placed: 3, lastOrderId: adaLater });
    expect(rows.get(OTHER)).toMatchObject({ placed: 1 });
    const codec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    expect(await shop.runtime.verifyStore(app.store, codec)).toMatchObject({ unreadable: 0, complete: true });
    expect(await app.parked()).toEqual([]);
    expect(await emailOf(app, adaLater)).toBe("ada.new@example.com");
    const logs = JSON.stringify(logger.records);
    expect(logs).toContain("published");
    for (const email of [ADA, BOB, "ada.new@example.com"]) expect(logs).not.toContain(email);
  });
});
