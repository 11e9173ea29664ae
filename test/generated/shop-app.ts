/**
 * The shop's generated `createApp` with the example's handlers, on a store of the test's own:
 * a fresh SQLite file or a PostgreSQL database created for the test and dropped after it.
 * Modules are loaded after `writeShopGenerated()` has written the generated code.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { AppOptions } from "@eda/runtime";
import { writeShopGenerated } from "./helpers.js";
import type * as AppModule from "./shop-generated/app.js";
import type * as CodecModule from "./shop-generated/codec.js";
import type * as OrderModule from "./shop-handlers/ordering/order.js";
import type * as CustomerOrdersModule from "./shop-handlers/ordering/customer-orders.js";
import type * as UpcastsModule from "./shop-handlers/ordering/upcasts.js";
import type * as ReservationModule from "./shop-handlers/inventory/reservation.js";
import type * as PaymentModule from "./shop-handlers/payments/payment.js";
import type * as ShipmentModule from "./shop-handlers/shipping/shipment.js";
import type * as MailerModule from "./shop-handlers/notifications/mailer.js";

/** The shop's modules. */
export interface Shop {
  readonly runtime: typeof import("@eda/runtime");
  readonly app: typeof AppModule;
  readonly codec: typeof CodecModule;
  readonly order: typeof OrderModule;
  readonly customerOrders: typeof CustomerOrdersModule;
  readonly upcasts: typeof UpcastsModule;
  readonly reservation: typeof ReservationModule;
  readonly payment: typeof PaymentModule;
  readonly shipment: typeof ShipmentModule;
  readonly mailer: typeof MailerModule;
}

/** Writes the generated code (unless a parent process did) and loads the shop. */
export async function loadShop(options: { readonly write?: boolean } = {}): Promise<Shop> {
  if (options.write !== false) writeShopGenerated();
  return {
    runtime: await import("@eda/runtime"),
    app: await import("./shop-generated/app.js"),
    codec: await import("./shop-generated/codec.js"),
    order: await import("./shop-handlers/ordering/order.js"),
    customerOrders: await import("./shop-handlers/ordering/customer-orders.js"),
    upcasts: await import("./shop-handlers/ordering/upcasts.js"),
    reservation: await import("./shop-handlers/inventory/reservation.js"),
    payment: await import("./shop-handlers/payments/payment.js"),
    shipment: await import("./shop-handlers/shipping/shipment.js"),
    mailer: await import("./shop-handlers/notifications/mailer.js"),
  };
}

/** The implementation of the shop with the example's handlers; `order` may be replaced (a broken decider). */
export function implementation(shop: Shop, order: Shop["order"]["order"] = shop.order.order): AppModule.Implementation {
  const mail = shop.mailer.memoryMail();
  shop.mailer.useMailTransport(mail);
  return {
    Inventory: { Reservation: shop.reservation.reservation },
    Notifications: { Mailer: shop.mailer.mailer },
    Ordering: { Order: order, CustomerOrders: shop.customerOrders.customerOrders },
    Payments: { Payment: shop.payment.payment },
    Shipping: { Shipment: shop.shipment.shipment },
    upcasts: { Ordering: shop.upcasts.orderingUpcasts },
  };
}

/** The engines the run-time promises are tested on. */
export const SQL_ENGINES = ["sqlite", "postgres"] as const;

/** A store URL of the test's own; `drop` removes it. */
export async function freshStore(engine: (typeof SQL_ENGINES)[number]): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "eda-shop-"));
    return { url: `sqlite:${path.join(dir, "shop.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `eda_shop_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Opens the shop's app on `url` with an in-memory bus unless told otherwise. */
export function openShop(shop: Shop, url: string, options: AppOptions = {}, impl: AppModule.Implementation = implementation(shop)): Promise<AppModule.ModelApp> {
  return shop.app.createApp(impl, { store: url, bus: "memory:", ...options });
}

export const CUSTOMER = "7d0e8f6a-1c2b-4d3e-8f4a-000000000001";
export const shipTo = { line1: "1 Rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" };
export const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });

/** A valid PlaceOrder for `orderId`. */
export function placeOrder(orderId: string, contactEmail = "ada@example.com") {
  return {
    type: "PlaceOrder" as const,
    data: { orderId, customerId: CUSTOMER, lines: [{ sku: "MUG-BLUE", quantity: 2, unitPrice: eur(1_250) }], shipTo, contactEmail },
  };
}

/** A uuid whose last group is `n`. */
export function orderId(n: number): string {
  return `3f1c2a9e-4b7d-4c1e-9a2b-${n.toString(16).padStart(12, "0")}`;
}

/** The events a database holds, counted by type. */
export async function storedEventCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts = await client.query<{ type: string; n: string }>("SELECT type, count(*) AS n FROM eda_events GROUP BY type ORDER BY type");
    return Object.fromEntries(counts.rows.map((r) => [r.type, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/** What `orders` checkouts that all went through store: each event once per order. */
export function checkoutEventCounts(orders: number): Record<string, number> {
  return { OrderPlaced: orders, StockReserved: orders, PaymentCaptured: orders, ShipmentScheduled: orders, OrderConfirmed: orders, OrderConfirmationSent: orders };
}
