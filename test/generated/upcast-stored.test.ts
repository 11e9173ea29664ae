/**
 * The shop's generated upcast of `OrderPlaced v1` on the real runtime, with the hooks of
 * `fixtures/upcast-stored.ts` (compiled by compile.test.ts): an old order stored in a SQLite file
 * is read by every reader of the generated `createApp` — the projection, the checkout
 * orchestrator, the notification choreography (through the bus) and the aggregate a command
 * loads — and each time the hook gets the facts the store recorded: its time, stream, positions,
 * ids and metadata. A hook written with the event only reads it as before.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuditRecord, StoredEventInfo } from "@eda/runtime";
import { CUSTOMER, freshStore, implementation, loadShop, openShop, orderId, shipTo, type Shop } from "./shop-app.js";
import type * as AppModule from "./shop-generated/app.js";
import type * as FixtureModule from "./fixtures/upcast-stored.js";

const OLD = orderId(0xc1d);
const STREAM = `Ordering.Order-${OLD}`;
const STORED_AT = new Date("2023-06-01T08:30:00.000Z");

let shop!: Shop;
let fixture!: typeof FixtureModule;
beforeAll(async () => {
  shop = await loadShop();
  fixture = await import("./fixtures/upcast-stored.js");
});

let store: Awaited<ReturnType<typeof freshStore>>;
let app: AppModule.ModelApp | undefined;
beforeEach(async () => {
  store = await freshStore("sqlite");
  // The order as the first build stored it: v1, before the shop priced in euros.
  const writer = await shop.runtime.openStore(store.url, { clock: () => STORED_AT });
  const v1 = { orderId: OLD, customerId: CUSTOMER, totalCents: 2_599, shipTo, email: "ada@example.com" };
  await writer.append(STREAM, [{ messageId: "old-1", type: "OrderPlaced", version: 1, correlationId: "basket-1", causationId: null, metadata: { caller: "web-shop" }, payload: v1 }], { kind: "no-stream" });
  await writer.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await store.drop();
});

/** The facts of the old order as the store recorded them. */
const FACTS: StoredEventInfo = {
  type: "OrderPlaced",
  version: 1,
  messageId: "old-1",
  stream: STREAM,
  position: 0,
  globalPosition: 1,
  time: STORED_AT.toISOString(),
  correlationId: "basket-1",
  causationId: null,
  metadata: { caller: "web-shop" },
};

describe("compute hooks of the generated upcasts read the stored event", () => {
  it("in every reader of the app: projection, orchestrator, choreography, and the aggregate a command loads", async () => {
    // One log for the audit's records and the hook's calls: a reader's codec records its consumption, then deserializes.
    const log: (readonly ["consume" | "read-stream", string] | readonly ["hook", StoredEventInfo])[] = [];
    const record = (r: AuditRecord): void => {
      if (r.stream === STREAM && (r.action === "read-stream" || (r.action === "consume" && r.messageType === "OrderPlaced"))) log.push([r.action, r.via]);
    };
    const audit = { sink: { record } };
    const upcasts = { Ordering: fixture.byStoredTime((stored) => log.push(["hook", stored])) };
    // The orchestrator reads the history too (by default a new one starts at the head).
    app = await openShop(shop, store.url, { audit, orchestrators: { startAt: "beginning" } }, { ...implementation(shop), upcasts });
    await app.settle();
    const readers = ["projection:Ordering.CustomerOrders", "orchestrator:Checkout", "choreography:CustomerNotifications"];
    for (const via of readers) {
      const at = log.findIndex(([kind, what]) => kind === "consume" && what === via);
      expect(at, `${via} consumed the old order`).toBeGreaterThanOrEqual(0);
      expect(log[at + 1], via).toEqual(["hook", FACTS]);
    }
    log.length = 0;
    await app.send({ type: "CancelOrder", data: { orderId: OLD, reason: "a test" } }, { caller: "back-office" });
    // The command path audits its load once it has decided: the hook ran in the load, before.
    expect(log.slice(0, 2)).toEqual([
      ["hook", FACTS],
      ["read-stream", "send"],
    ]);
  });

  it("the total's currency follows when the event was stored, through deserialize of the generated codec", async () => {
    const reader = await shop.runtime.openStore(store.url);
    try {
      const [old] = await reader.readStream(STREAM);
      const seen: StoredEventInfo[] = [];
      const codec = shop.codec.createCodec({ Ordering: fixture.byStoredTime((s) => seen.push(s)) });
      expect(codec.deserialize(old as NonNullable<typeof old>).data).toMatchObject({ total: { amountMinor: 2_599, currency: "USD" } });
      expect(seen).toEqual([FACTS]);
      const later = { ...(old as NonNullable<typeof old>), time: fixture.EURO_FROM };
      expect(codec.deserialize(later).data).toMatchObject({ total: { currency: "EUR" } });
      // A hook written with the event only still reads it.
      expect(shop.codec.createCodec({ Ordering: fixture.eventOnly }).deserialize(old as NonNullable<typeof old>).data).toMatchObject({ total: { currency: "USD" } });
    } finally {
      await reader.close();
    }
  });
});
