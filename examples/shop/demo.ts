/**
 * The shop, running. Two orders go through the `Checkout` saga: Ada's completes (stock reserved,
 * payment captured, shipment scheduled, order confirmed); Ben's payment is declined, so the saga
 * releases the stock it reserved and cancels the order (compensation). The `CustomerNotifications`
 * choreography sends the e-mails. An order written by the old system (stored as `OrderPlaced v1`)
 * is upcast on the way in. Prints every message with its correlation and causation ids, the
 * saga runs, the e-mails and the `CustomerOrders` read model.
 *
 * Runs on the embedded default (a fresh SQLite file) unless `EDA_STORE` names another store
 * (`EDA_STORE=postgres://postgres@127.0.0.1/postgres pnpm demo`); `EDA_BUS=amqp://…` carries the
 * choreography over RabbitMQ. On PostgreSQL each run gets a fresh schema of its own in that
 * database (named in the output), so a second run tells the same story as the first.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describeIssues, openStore, type StoredEvent } from "@eda/runtime";
import { createApp } from "./generated/app.js";
import { createCodec, type AnyCommand } from "./generated/codec.js";
import { reservation } from "./handlers/inventory/reservation.js";
import { mailer, memoryMail, useMailTransport } from "./handlers/notifications/mailer.js";
import { customerOrders } from "./handlers/ordering/customer-orders.js";
import { order } from "./handlers/ordering/order.js";
import { orderingUpcasts } from "./handlers/ordering/upcasts.js";
import { payment } from "./handlers/payments/payment.js";
import { shipment } from "./handlers/shipping/shipment.js";

const store = await freshStore(process.env["EDA_STORE"] || `sqlite:${join(mkdtempSync(join(tmpdir(), "eda-shop-")), "shop.db")}`);
const mail = memoryMail();
useMailTransport(mail);

const ada = randomUUID();
const ben = randomUUID();
const address = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const line = (sku: string, quantity: number, amountMinor: number) => ({ sku, quantity, unitPrice: { amountMinor, currency: "EUR" as const } });
const orders = { ada: randomUUID(), ben: randomUUID(), legacy: randomUUID() };
const names = new Map<string, string>([[orders.ada, "Ada's order"], [orders.ben, "Ben's order"], [orders.legacy, "old order"]]);

// An order Ben placed in the old system: its event is already in the store, in the first shape (v1).
const legacyId = randomUUID();
const old = await openStore(store);
await old.append(
  `Ordering.Order-${orders.legacy}`,
  [{ messageId: legacyId, type: "OrderPlaced", version: 1, correlationId: legacyId, causationId: null, payload: { orderId: orders.legacy, customerId: ben, totalCents: 2599, shipTo: address, email: "ben@example.com" } }],
  { kind: "no-stream" },
);
// Imported history is not news: mark its outbox rows sent so it is not published again.
await old.outbox.markSent((await old.outbox.fetchUnsent(100)).map((row) => row.id));
await old.close();

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

async function send(label: string, command: AnyCommand, correlationId: string): Promise<void> {
  const outcome = await app.send(command, { correlationId });
  const result =
    outcome.status === "accepted"
      ? `accepted, ${outcome.events.map((e) => e.type).join(", ") || "no events"}`
      : outcome.status === "rejected"
        ? `rejected: ${JSON.stringify(outcome.reason)}`
        : `invalid: ${describeIssues(outcome.issues)}`;
  console.log(`  ${label.padEnd(30)} ${result}`);
}

try {
  console.log(`The shop on ${app.store.engine} (${process.env["EDA_STORE"] ? "EDA_STORE" : "the embedded default"}), bus ${app.bus.url}`);
  const schema = /search_path=(\w+)/.exec(decodeURIComponent(store))?.[1];
  console.log(schema === undefined ? "" : `in a fresh schema of its own, ${schema} (drop it with DROP SCHEMA ${schema} CASCADE)\n`);
  console.log("Customers:");
  const conversations = { ada: randomUUID(), ben: randomUUID() };
  for (const [who, email] of [[orders.ada, "ada@example.com"], [orders.ben, "ben@example.com"]] as const) mail.contacts.set(who, email);
  await send("Ada places an order", { type: "PlaceOrder", data: { orderId: orders.ada, customerId: ada, lines: [line("TEA-GREEN", 2, 450), line("MUG-BLUE", 1, 1200)], shipTo: address, contactEmail: "ada@example.com" } }, conversations.ada);
  await send("Ben places a large order", { type: "PlaceOrder", data: { orderId: orders.ben, customerId: ben, lines: [line("TEAPOT-SILVER", 1, 150_000)], shipTo: address, contactEmail: "ben@example.com" } }, conversations.ben);

  // Let the saga, the choreography and the read model do their work until nothing moves.
  await app.settle();

  const ours = new Set<string>([...Object.values(conversations), legacyId]);
  const events = (await app.store.readAll(1, 100_000)).filter((e) => ours.has(e.correlationId));
  console.log(`\nEvery event of these orders (${events.length}), in order:`);
  printStream(events);

  console.log("\nThe Checkout saga:");
  const checkout = app.orchestrator("Checkout");
  for (const [label, id] of [["Ada's order", orders.ada], ["Ben's order", orders.ben]] as const) {
    const run = await checkout.instance(id);
    const sent = (await checkout.commands(id)).map((c) => c.command.type);
    console.log(`  ${label.padEnd(12)} ${String(run?.state.kind ?? "not started").padEnd(10)} sent ${sent.join(" → ")}`);
  }

  console.log("\nE-mails sent by the CustomerNotifications choreography:");
  for (const m of mail.sent) console.log(`  to ${m.to.padEnd(16)} ${m.subject}`);

  console.log("\nRead model CustomerOrders:");
  const rows = app.projection("Ordering.CustomerOrders");
  for (const [name, id] of [["Ada", ada], ["Ben", ben]] as const) {
    const row = await rows.row(id);
    console.log(`  ${name}: placed ${row?.placed ?? 0}, cancelled ${row?.cancelled ?? 0}, last order ${names.get(row?.lastOrderId ?? "") ?? "-"}`);
  }
  const stored = events.find((e) => e.messageId === legacyId);
  if (stored) {
    const codec = createCodec({ Ordering: orderingUpcasts });
    const current = codec.deserialize(stored);
    console.log(`\nThe old order, stored as v${stored.version}, read as v${codec.currentVersion("OrderPlaced")}: total ${JSON.stringify((current.data as { total: unknown }).total)}`);
  }
} finally {
  await app.close();
}

/**
 * A PostgreSQL URL gets a new schema of its own, made here and chosen through the connection's
 * search_path, so that runs never see each other's events, checkpoints or saga instances. Other
 * stores are fresh already (a new SQLite file, memory) or the user's choice.
 */
async function freshStore(url: string): Promise<string> {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  const schema = `eda_demo_${Date.now().toString(36)}_${process.pid}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.searchParams.set("options", `-c search_path=${schema}`);
  return fresh.href;
}

/** An id with every UUID in it cut to its first 8 digits (saga command ids embed them). */
function short(id: string | null | undefined): string {
  return id ? id.replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "$1") : "-";
}

function printStream(events: readonly StoredEvent[]): void {
  console.log(`  ${"pos".padStart(4)}  ${"event".padEnd(28)} ${"stream".padEnd(30)} ${"correlation".padEnd(11)} causation`);
  for (const e of events) {
    const stream = e.stream.replace(/-([0-9a-f]{8})[0-9a-f-]+$/, "-$1");
    console.log(`  ${String(e.globalPosition).padStart(4)}  ${`${e.type} v${e.version}`.padEnd(28)} ${stream.padEnd(30)} ${short(e.correlationId).padEnd(11)} ${short(e.causationId)}`);
  }
}
