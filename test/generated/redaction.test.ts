/**
 * Personal data of old event versions stays out of logs: an `OrderPlaced v1` (its e-mail in the
 * `@pii` field `email`, renamed `contactEmail` in v2) is published, fails its consumer and is
 * dead-lettered; every record about it carries its payload redacted by type *and* version. On
 * SQLite and PostgreSQL, through the shop's generated `createApp`.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LogRecord, MessageLogRecord } from "@eda/runtime";
import { freshStore, implementation, loadShop, openShop, orderId, shipTo, SQL_ENGINES, type Shop } from "./shop-app.js";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

const EMAIL = "ada.lovelace@example.com";
const LEGACY = orderId(0x1e9);

describe.each(SQL_ENGINES)("logs of an old event version on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    store = await freshStore(engine);
  });
  afterEach(() => store.drop());

  it("redact the v1 field by its v1 name in published, handler-failed and dead-lettered records", async () => {
    const codec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    const logger = shop.runtime.memoryLogger();
    const impl = implementation(shop);
    // Stored in clear (as before encryption, or with it off): the v1 field is in the payload to redact.
    const app = await openShop(shop, store.url, {
      encryption: false,
      observability: shop.runtime.createObservability({ logger, codec }),
      choreographies: { retry: { maxRetries: 1, backoff: { initialMs: 1, maxMs: 1 } } },
    }, impl);
    try {
      // The mail server is down: the notification rule fails, then parks the event.
      shop.mailer.useMailTransport({ send: () => Promise.reject(new Error("the mail server is down")), contactOf: async () => undefined });
      const payload = { orderId: LEGACY, customerId: orderId(0xc1), totalCents: 2_599, shipTo, email: EMAIL };
      await app.store.append(`Ordering.Order-${LEGACY}`, [{ messageId: "legacy", type: "OrderPlaced", version: 1, correlationId: "legacy", causationId: null, payload }], { kind: "no-stream" });
      await app.settle();
      const about = (logger.records as LogRecord[]).filter((r): r is MessageLogRecord => "messageId" in r && r.messageId === "legacy");
      expect(about.map((r) => r.event)).toEqual(expect.arrayContaining(["published", "handler-failed", "dead-lettered"]));
      for (const record of about) expect(record.payload, record.event).toMatchObject({ email: "[redacted]", orderId: LEGACY });
      expect(JSON.stringify(logger.records)).not.toContain(EMAIL);
    } finally {
      await app.close();
    }
  });
});
