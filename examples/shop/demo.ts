/**
 * The shop, running: places a few orders, cancels one, reads an order written by the old system
 * (stored as `OrderPlaced v1` and upcast on the way in), then prints the event stream with its
 * correlation ids and the `CustomerOrders` read model.
 *
 * Runs on the embedded default (a fresh SQLite file) unless `EDA_STORE` names another store,
 * e.g. `EDA_STORE=postgres://postgres@127.0.0.1/postgres pnpm demo`.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoredEvent } from "@eda/runtime";
import { createApp } from "./generated/app.js";
import { createCodec, type AnyCommand } from "./generated/codec.js";
import { reservation } from "./handlers/inventory/reservation.js";
import { mailer, memoryMail, useMailTransport } from "./handlers/notifications/mailer.js";
import { customerOrders } from "./handlers/ordering/customer-orders.js";
import { order } from "./handlers/ordering/order.js";
import { orderingUpcasts } from "./handlers/ordering/upcasts.js";
import { payment } from "./handlers/payments/payment.js";
import { shipment } from "./handlers/shipping/shipment.js";

const store = process.env["EDA_STORE"] || `sqlite:${join(mkdtempSync(join(tmpdir(), "eda-shop-")), "shop.db")}`;
const mail = memoryMail();
useMailTransport(mail);

const app = await createApp(
  {
    Inventory: { Reservation: reservation },
    Notifications: { Mailer: mailer },
    Ordering: { Order: order, CustomerOrders: customerOrders },
    Payments: { Payment: payment },
    Shipping: { Shipment: shipment },
    upcasts: { Ordering: orderingUpcasts },
  },
  { store },
);

const ada = randomUUID();
const ben = randomUUID();
const address = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const line = (sku: string, quantity: number, amountMinor: number) => ({ sku, quantity, unitPrice: { amountMinor, currency: "EUR" as const } });
const orders = { first: randomUUID(), second: randomUUID(), third: randomUUID(), legacy: randomUUID() };

/** Each order is one conversation: its commands share a correlation id. */
const conversations = new Map<string, string>();

async function send(label: string, command: AnyCommand): Promise<void> {
  const orderId = (command.data as { orderId: string }).orderId;
  if (!conversations.has(orderId)) conversations.set(orderId, randomUUID());
  const outcome = await app.send(command, { correlationId: conversations.get(orderId) as string });
  const result = outcome.status === "accepted" ? `accepted, ${outcome.events.map((e) => e.type).join(", ") || "no events"}` : `rejected: ${JSON.stringify(outcome.reason)}`;
  console.log(`  ${label.padEnd(34)} ${result}`);
}

try {
  console.log(`The shop on ${app.store.engine} (${process.env["EDA_STORE"] ? "EDA_STORE" : "the embedded default"})\n`);
  console.log("Commands:");
  await send("Ada places an order", { type: "PlaceOrder", data: { orderId: orders.first, customerId: ada, lines: [line("TEA-GREEN", 2, 450)], shipTo: address, contactEmail: "ada@example.com" } });
  await send("Ada places a second order", { type: "PlaceOrder", data: { orderId: orders.second, customerId: ada, lines: [line("MUG-BLUE", 1, 1200)], shipTo: address, contactEmail: "ada@example.com" } });
  await send("Ben places an order", { type: "PlaceOrder", data: { orderId: orders.third, customerId: ben, lines: [line("TEA-BLACK", 3, 390), line("MUG-RED", 1, 1200)], shipTo: address, contactEmail: "ben@example.com" } });
  await send("Ada cancels her second order", { type: "CancelOrder", data: { orderId: orders.second, reason: "ordered twice by mistake" } });
  await send("Ada cancels it again", { type: "CancelOrder", data: { orderId: orders.second, reason: "ordered twice by mistake" } });
  await send("Ben's order is confirmed", { type: "ConfirmOrder", data: { orderId: orders.third } });

  // An order Ben placed in the old system: its event is stored in the first shape, v1.
  const legacyId = randomUUID();
  await app.store.append(
    `Ordering.Order-${orders.legacy}`,
    [{ messageId: legacyId, type: "OrderPlaced", version: 1, correlationId: legacyId, causationId: null, payload: { orderId: orders.legacy, customerId: ben, totalCents: 2599, shipTo: address, email: "ben@example.com" } }],
    { kind: "no-stream" },
  );
  console.log(`  ${"An order from the old system".padEnd(34)} stored as OrderPlaced v1`);

  await app.catchUp();
  const ours = new Set(Object.values(orders).map((id) => `Ordering.Order-${id}`));
  const events = (await app.store.readAll(1, 10_000)).filter((e) => ours.has(e.stream));
  console.log(`\nThe event stream (${events.length} events):`);
  printStream(events);

  console.log("\nRead model CustomerOrders:");
  const rows = app.projection<{ customerId: string; placed: number; cancelled: number; lastOrderId?: string }>("Ordering.CustomerOrders");
  for (const [name, id] of [["Ada", ada], ["Ben", ben]] as const) {
    const row = await rows.row(id);
    console.log(`  ${name}: placed ${row?.placed ?? 0}, cancelled ${row?.cancelled ?? 0}, last order ${short(row?.lastOrderId)}`);
  }
  const stored = events.find((e) => e.stream.endsWith(orders.legacy));
  if (stored) {
    const codec = createCodec({ Ordering: orderingUpcasts });
    const current = codec.deserialize(stored);
    console.log(`\nThe old-system order, read as v${codec.currentVersion("OrderPlaced")}: total ${JSON.stringify((current.data as { total: unknown }).total)}`);
  }
} finally {
  await app.close();
}

function short(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : "-";
}

function printStream(events: readonly StoredEvent[]): void {
  console.log(`  ${"pos".padStart(4)}  ${"event".padEnd(20)} ${"stream".padEnd(24)} ${"correlation".padEnd(9)} causation`);
  for (const e of events) {
    const stream = e.stream.replace(/-([0-9a-f]{8})[0-9a-f-]+$/, "-$1");
    console.log(`  ${String(e.globalPosition).padStart(4)}  ${`${e.type} v${e.version}`.padEnd(20)} ${stream.padEnd(24)} ${short(e.correlationId).padEnd(11)} ${short(e.causationId)}`);
  }
}
