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

  it("mask the e-mail where a failing handler quotes it, with the model's codec when the logs are given none", async () => {
    const logger = shop.runtime.memoryLogger();
    const impl = implementation(shop);
    // Encryption on (the default): the bus carries the e-mail sealed; the rule's consumer opens it.
    const app = await openShop(shop, store.url, {
      observability: shop.runtime.createObservability({ logger }),
      choreographies: { retry: { maxRetries: 1, backoff: { initialMs: 1, maxMs: 1 } } },
    }, impl);
    try {
      shop.mailer.useMailTransport({ send: (mail) => Promise.reject(new Error(`the mailbox of ${mail.to} is full`)), contactOf: async () => undefined });
      const payload = { orderId: LEGACY, customerId: orderId(0xc1), totalCents: 2_599, shipTo, email: EMAIL };
      await app.store.append(`Ordering.Order-${LEGACY}`, [{ messageId: "legacy", type: "OrderPlaced", version: 1, correlationId: "legacy", causationId: null, payload }], { kind: "no-stream" });
      await app.settle();
      const about = (logger.records as LogRecord[]).filter((r): r is MessageLogRecord => "messageId" in r && r.messageId === "legacy");
      const failed = about.filter((r) => r.event === "handler-failed" || r.event === "dead-lettered");
      expect(failed.length).toBeGreaterThanOrEqual(2);
      for (const record of failed) expect(record.error?.message, record.event).toContain("the mailbox of [redacted] is full");
      // The app's own codec redacts the payload logged (the observability was given none).
      expect(about.find((r) => r.event === "published")?.payload).toMatchObject({ orderId: LEGACY });
      const consumer = failed.find((r) => r.event === "dead-lettered")?.consumer;
      expect(consumer).toBeDefined();
      const [letter] = await app.bus.peekDeadLetters(consumer!);
      expect(letter?.reason.message).toContain("the mailbox of [redacted] is full");
      expect(JSON.stringify(letter?.reason)).not.toContain(EMAIL);
      expect(JSON.stringify(logger.records)).not.toContain(EMAIL);
    } finally {
      await app.close();
    }
  });
});
