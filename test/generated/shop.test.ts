/**
 * The shop's generated deciders, service and projection, run with the hand-written handlers of
 * `shop-handlers/` through the generated given/when/then helpers; the helpers themselves fail
 * when they should; the scaffolds' stubs fail loudly; and a generated decider runs in the
 * runtime's command pipeline with the generated codec.
 */
import path from "node:path";
import type { DecideContext } from "@eda/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { HERE, OUT, outputOf, writeShopGenerated, writeTree } from "./helpers.js";
import type * as OrderModule from "./shop-handlers/ordering/order.js";
import type * as CustomerOrdersModule from "./shop-handlers/ordering/customer-orders.js";
import type * as UpcastsModule from "./shop-handlers/ordering/upcasts.js";
import type * as ReservationModule from "./shop-handlers/inventory/reservation.js";
import type * as PaymentModule from "./shop-handlers/payments/payment.js";
import type * as ShipmentModule from "./shop-handlers/shipping/shipment.js";
import type * as MailerModule from "./shop-handlers/notifications/mailer.js";
import type * as OrderingModule from "./shop-generated/ordering/testing.js";
import type * as InventoryModule from "./shop-generated/inventory/testing.js";
import type * as PaymentsModule from "./shop-generated/payments/testing.js";
import type * as ShippingModule from "./shop-generated/shipping/testing.js";
import type * as TestingModule from "./shop-generated/testing.js";
import type * as CodecModule from "./shop-generated/codec.js";

// The generated code is written by this test, so everything that imports it is loaded after.
let m!: {
  order: typeof OrderModule;
  customerOrders: typeof CustomerOrdersModule;
  upcasts: typeof UpcastsModule;
  reservation: typeof ReservationModule;
  payment: typeof PaymentModule;
  shipment: typeof ShipmentModule;
  mailer: typeof MailerModule;
  ordering: typeof OrderingModule;
  inventory: typeof InventoryModule;
  payments: typeof PaymentsModule;
  shipping: typeof ShippingModule;
  testing: typeof TestingModule;
  codec: typeof CodecModule;
};

beforeAll(async () => {
  writeShopGenerated();
  const { generated, scaffolds } = outputOf("shop");
  writeTree(path.join(OUT, "shop", "generated"), generated);
  writeTree(path.join(OUT, "shop", "handlers"), scaffolds);
  m = {
    order: await import("./shop-handlers/ordering/order.js"),
    customerOrders: await import("./shop-handlers/ordering/customer-orders.js"),
    upcasts: await import("./shop-handlers/ordering/upcasts.js"),
    reservation: await import("./shop-handlers/inventory/reservation.js"),
    payment: await import("./shop-handlers/payments/payment.js"),
    shipment: await import("./shop-handlers/shipping/shipment.js"),
    mailer: await import("./shop-handlers/notifications/mailer.js"),
    ordering: await import("./shop-generated/ordering/testing.js"),
    inventory: await import("./shop-generated/inventory/testing.js"),
    payments: await import("./shop-generated/payments/testing.js"),
    shipping: await import("./shop-generated/shipping/testing.js"),
    testing: await import("./shop-generated/testing.js"),
    codec: await import("./shop-generated/codec.js"),
  };
});

const ORDER = "3f1c2a9e-4b7d-4c1e-9a2b-000000000001";
const OTHER_ORDER = "3f1c2a9e-4b7d-4c1e-9a2b-000000000002";
const CUSTOMER = "7d0e8f6a-1c2b-4d3e-8f4a-000000000001";
const OTHER_CUSTOMER = "7d0e8f6a-1c2b-4d3e-8f4a-000000000002";
const shipTo = { line1: "1 Rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" };
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });
const lines = [
  { sku: "MUG-BLUE", quantity: 2, unitPrice: eur(1_250) },
  { sku: "TEA-EARL", quantity: 1, unitPrice: eur(899) },
];

const place = { type: "PlaceOrder", data: { orderId: ORDER, customerId: CUSTOMER, lines, shipTo, contactEmail: "ada@example.com" } } as const;
const placed = {
  type: "OrderPlaced",
  data: { orderId: ORDER, customerId: CUSTOMER, lines, total: eur(3_399), shipTo, contactEmail: "ada@example.com" },
} as const;
const confirm = { type: "ConfirmOrder", data: { orderId: ORDER } } as const;
const confirmed = { type: "OrderConfirmed", data: { orderId: ORDER } } as const;
const cancel = { type: "CancelOrder", data: { orderId: ORDER, reason: "changed my mind" } } as const;
const cancelled = { type: "OrderCancelled", data: { orderId: ORDER, customerId: CUSTOMER, reason: "changed my mind" } } as const;

describe("Order", () => {
  const given = () => m.ordering.testOrder(m.order.order).given;

  it("places an order with the total of its lines", () => {
    const state = given()().when(place).then([placed]);
    expect(state).toEqual({ status: "Placed", customerId: CUSTOMER, total: eur(3_399) });
  });

  it("refuses to place the same order twice", () => {
    given()([placed]).when(place).thenRejects({ code: "already-placed", message: `Order ${ORDER} was placed before.` });
  });

  it("refuses lines priced in two currencies", () => {
    const pounds = { sku: "TEA-EARL", quantity: 1, unitPrice: { amountMinor: 899, currency: "GBP" as const } };
    const mixed = { type: "PlaceOrder" as const, data: { ...place.data, lines: [...lines, pounds] } };
    given()().when(mixed).thenRejects();
  });

  it("confirms a placed order, once", () => {
    expect(given()([placed]).when(confirm).then([confirmed]).status).toBe("Confirmed");
    given()([placed, confirmed]).when(confirm).then([]);
  });

  it("confirms nothing it does not know, and no cancelled order", () => {
    given()().when(confirm).thenRejects({ code: "unknown-order", message: `No order ${ORDER}.` });
    given()([placed, cancelled]).when(confirm).thenRejects({ code: "cancelled", message: "A cancelled order cannot be confirmed." });
  });

  it("cancels a placed order, naming its customer, but not a confirmed one", () => {
    expect(given()([placed]).when(cancel).then([cancelled]).status).toBe("Cancelled");
    given()([placed, cancelled]).when(cancel).then([]);
    given()([placed, confirmed]).when(cancel).thenRejects({ code: "confirmed", message: "A confirmed order cannot be cancelled." });
  });
});

describe("Reservation, Payment, Shipment", () => {
  const reserve = { type: "ReserveStock", data: { orderId: ORDER, lines } } as const;
  const reserved = { type: "StockReserved", data: { orderId: ORDER } } as const;
  const release = { type: "ReleaseStock", data: { orderId: ORDER } } as const;

  it("reserves stock once, fails a line above the limit, releases what it reserved", () => {
    const scenarios = m.inventory.testReservation(m.reservation.reservation);
    scenarios.given().when(reserve).then([reserved]);
    scenarios.given([reserved]).when(reserve).then([]);
    const big = { ...reserve, data: { orderId: ORDER, lines: [{ sku: "MUG-BLUE", quantity: m.reservation.MAX_UNITS_PER_LINE + 1, unitPrice: eur(1_250) }] } };
    scenarios.given().when(big).then([{ type: "StockReservationFailed", data: { orderId: ORDER, sku: "MUG-BLUE" } }]);
    scenarios.given([reserved]).when(release).then([{ type: "StockReleased", data: { orderId: ORDER } }]);
    scenarios.given().when(release).then([]);
  });

  it("charges a payment up to the limit, declines above it, refunds a capture", () => {
    const scenarios = m.payments.testPayment(m.payment.payment);
    const charge = (amountMinor: number) => ({ type: "ChargePayment", data: { orderId: ORDER, amount: eur(amountMinor) } }) as const;
    const captured = { type: "PaymentCaptured", data: { orderId: ORDER, amount: eur(3_399) } } as const;
    expect(scenarios.given().when(charge(3_399)).then([captured])).toEqual({ captured: eur(3_399) });
    scenarios.given().when(charge(m.payment.CHARGE_LIMIT_MINOR + 1)).then([{ type: "PaymentDeclined", data: { orderId: ORDER, reason: "amount above the card limit" } }]);
    scenarios.given([captured]).when(charge(3_399)).then([]);
    scenarios.given([captured]).when(charge(1)).thenRejects({ code: "already-captured", message: "This order was charged another amount." });
    const refund = { type: "RefundPayment", data: { orderId: ORDER } } as const;
    expect(scenarios.given([captured]).when(refund).then([{ type: "PaymentRefunded", data: { orderId: ORDER } }])).toEqual({});
    scenarios.given().when(refund).then([]);
  });

  it("schedules one shipment per order", () => {
    const scenarios = m.shipping.testShipment(m.shipment.shipment);
    const schedule = { type: "ScheduleShipment", data: { orderId: ORDER, shipTo } } as const;
    const scheduled = { type: "ShipmentScheduled", data: { orderId: ORDER, trackingCode: "TRK-3F1C2A9E4B7D" } } as const;
    scenarios.given().when(schedule).then([scheduled]);
    scenarios.given([scheduled]).when(schedule).then([]);
  });
});

/** What the pipeline tells a handler called directly here (the scenarios make their own). */
const context: DecideContext = { now: () => new Date("2026-01-01T00:00:00Z"), commandId: "c-1", correlationId: "c-1", causationId: null, caller: null, metadata: {}, stream: "s", version: 0 };

describe("Mailer", () => {
  it("sends the confirmation to the order's contact, once per order", async () => {
    const deps = m.mailer.memoryMail();
    const mailer = (m.mailer.useMailTransport(deps), m.mailer.mailer);
    const command = { type: "SendOrderConfirmation", data: { orderId: ORDER, to: "ada@example.com" } } as const;
    expect(await mailer.handle(command, context)).toEqual([{ type: "OrderConfirmationSent", data: { orderId: ORDER } }]);
    await mailer.handle(command, context);
    expect(deps.sent.map((mail) => [mail.to, mail.subject])).toEqual([["ada@example.com", "We have your order"]]);
    expect(mailer.streamOf(command)).toBe(`Notifications.Mailer-${ORDER}`);
  });

  it("sends the shipping notice to the known contact, and refuses an unknown one", async () => {
    const deps = m.mailer.memoryMail(new Map([[ORDER, "ada@example.com"]]));
    const mailer = (m.mailer.useMailTransport(deps), m.mailer.mailer);
    const notice = (orderId: string) => ({ type: "SendShippingNotice", data: { orderId, trackingCode: "TRK-1" } }) as const;
    expect(await mailer.handle(notice(ORDER), context)).toEqual([{ type: "ShippingNoticeSent", data: { orderId: ORDER } }]);
    expect(deps.sent[0]?.body).toContain("TRK-1");
    expect(await mailer.handle(notice(OTHER_ORDER), context)).toEqual({ rejected: true, reason: { code: "unknown-recipient", message: `No contact address for order ${OTHER_ORDER}.` } });
  });
});

describe("CustomerOrders", () => {
  it("counts each customer's placed and cancelled orders", () => {
    const other = { ...placed, data: { ...placed.data, orderId: OTHER_ORDER } };
    const stranger = { ...placed, data: { ...placed.data, orderId: OTHER_ORDER, customerId: OTHER_CUSTOMER } };
    const rows = m.testing.projectRows(m.customerOrders.customerOrders, [placed, other, cancelled, stranger]);
    expect(Object.fromEntries(rows)).toEqual({
      [CUSTOMER]: { customerId: CUSTOMER, placed: 2, cancelled: 1, lastOrderId: OTHER_ORDER },
      [OTHER_CUSTOMER]: { customerId: OTHER_CUSTOMER, placed: 1, cancelled: 0, lastOrderId: OTHER_ORDER },
    });
  });
});

describe("the given/when/then helpers fail when they should", () => {
  const given = () => m.ordering.testOrder(m.order.order).given;

  it("then: other events, or a rejection instead of events", () => {
    expect(() => given()().when(place).then([])).toThrow(/Expected values to be strictly deep-equal/);
    expect(() => given()([placed]).when(place).then([placed])).toThrow(/expected events, but the command was rejected/);
  });

  it("thenRejects: an accepted command, or another reason", () => {
    expect(() => given()().when(place).thenRejects()).toThrow(/expected a rejection, but the command was accepted/);
    expect(() => given()([placed]).when(place).thenRejects({ code: "other" })).toThrow(/strictly deep-equal/);
  });

  it("a command its schema refuses: no handler runs, as in production", () => {
    const badLines = { ...place, data: { ...place.data, lines: [{ sku: "mug", quantity: 1, unitPrice: eur(1) }] } };
    expect(() => given()().when(badLines).then([])).toThrow(/the command is invalid \(its schema refuses it: lines\.0\.sku: /);
    expect(() => given()().when(badLines).thenRejects()).toThrow(/the command is invalid/);
    given()().when(badLines).thenInvalid(["lines.0.sku"]);
    given()().when({ ...place, data: { ...place.data, contactEmail: "nope", lines: [] } }).thenInvalid(["lines", "contactEmail"]);
    expect(() => given()().when(place).thenInvalid()).toThrow(/expected the command to be invalid, but its schema accepts it/);
  });

  it("a decided event that its schema refuses, and a given event that its schema refuses", () => {
    const order = m.order.order;
    const sloppy: typeof order = {
      ...order,
      decide: (command, state, decideContext) => {
        const decision = order.decide(command, state, decideContext);
        return Array.isArray(decision) ? decision.map((e) => ({ ...e, data: { ...e.data, contactEmail: "nope" } })) : decision;
      },
    };
    expect(() => m.ordering.testOrder(sloppy).given([]).when(place).then([placed])).toThrow(/decided an OrderPlaced that its schema refuses at "contactEmail"/);
    const stale = { ...placed, data: { ...placed.data, customerId: "not-a-uuid" } };
    expect(() => given()([stale]).when(confirm).then([confirmed])).toThrow(/was given \(event 1\) an OrderPlaced that its schema refuses at "customerId"/);
  });

  it("a handler that changes the state it is given", () => {
    const sloppy = m.order.order;
    const mutating = { ...sloppy, evolve: (state: typeof sloppy.initialState) => Object.assign(state, { status: "Confirmed" as const }) };
    expect(() => m.ordering.testOrder(mutating).given([placed]).when(confirm).then([])).toThrow(TypeError);
  });

  it("awaiting a scenario instead of calling then", async () => {
    // TypeScript refuses the `await` (TS1320); in JavaScript, `await` calls `then(resolve, reject)`
    // and the helper says what went wrong instead of comparing a function with events.
    const outcome = given()().when(place) as unknown as PromiseLike<unknown>;
    await expect(async () => await outcome).rejects.toThrow(/a scenario is not a promise/);
  });
});

describe("scaffolds", () => {
  it("compile-ready stubs that throw, naming the handler and the file to edit", async () => {
    const stubs = await import(path.join(OUT, "shop", "handlers", "ordering", "order.ts"));
    const order = stubs.order as typeof m.order.order;
    expect(() => order.decide(place, order.initialState, context)).toThrow("Order.decide.PlaceOrder is not implemented yet (edit ordering/order.ts in the handlers folder)");
    expect(() => order.evolve(order.initialState, placed)).toThrow(/Order\.evolve\.OrderPlaced .*ordering\/order\.ts/);
    const upcasts = await import(path.join(OUT, "shop", "handlers", "ordering", "upcasts.ts"));
    expect(() => upcasts.orderingUpcasts.OrderPlaced.v1.total({})).toThrow(/Ordering upcast OrderPlaced\.v1\.total .*ordering\/upcasts\.ts/);
  });
});

describe("in the runtime's pipeline", () => {
  it("handles commands against the event store with the generated codec, upcasting old events", async () => {
    const { MemoryEventStore, handleCommand, ProjectionRunner } = await import("@eda/runtime");
    const store = new MemoryEventStore();
    const codec = m.codec.createCodec({ Ordering: m.upcasts.orderingUpcasts });
    const order = m.order.order;
    const v1 = { messageId: "e-0", type: "OrderPlaced", version: 1, correlationId: "c-0", causationId: null };
    const old = { orderId: OTHER_ORDER, customerId: CUSTOMER, totalCents: 1_500, shipTo, email: "ada@example.com" };
    await store.append(`Ordering.Order-${OTHER_ORDER}`, [{ ...v1, payload: old }], { kind: "no-stream" });

    const outcome = await handleCommand(store, order, codec, { messageId: "c-1", payload: place });
    expect(outcome).toMatchObject({ status: "accepted", stream: `Ordering.Order-${ORDER}`, events: [{ type: "OrderPlaced", position: 0 }] });
    const [stored] = await store.readStream(`Ordering.Order-${ORDER}`);
    expect(stored).toMatchObject({ type: "OrderPlaced", version: 2, payload: placed.data });

    const cancelOld = { messageId: "c-2", payload: { type: "CancelOrder", data: { orderId: OTHER_ORDER, reason: "late" } } } as const;
    expect(await handleCommand(store, order, codec, cancelOld)).toMatchObject({ status: "accepted" });
    const rejected = await handleCommand(store, order, codec, { messageId: "c-3", payload: { ...confirm, data: { orderId: OTHER_ORDER } } });
    expect(rejected).toMatchObject({ status: "rejected", reason: { code: "cancelled" } });

    const runner = new ProjectionRunner(store, codec, m.customerOrders.customerOrders);
    await runner.catchUp();
    expect(await runner.row(CUSTOMER)).toEqual({ customerId: CUSTOMER, placed: 2, cancelled: 1, lastOrderId: ORDER });
    await store.close();
  });

  it("keeps generated modules free of runtime imports of @eda/runtime's stores (only the light codec entry)", async () => {
    const { readFileSync } = await import("node:fs");
    // What a module may load at run time: its own files, zod, and the runtime's light entries.
    const light = new Set(["zod", "@eda/runtime/decisions", "@eda/runtime/testing", "@eda/runtime/codec"]);
    const loaded = (text: string): string[] =>
      [...text.matchAll(/^(?:import|export)\b(?!\s+type\b)(?:[^;"']*?\bfrom\s*|\s*)["']([^"']+)["']/gm)].map((m) => m[1] as string).filter((s) => !s.startsWith("."));
    // The check itself: a store entry, a re-export, single quotes and the bare entry are all caught.
    expect(loaded('import { SqliteEventStore } from "@eda/runtime/sqlite";\nexport { openStore } from \'@eda/runtime\';\nimport type { X } from "@eda/runtime";\nimport "./a.js";')).toEqual([
      "@eda/runtime/sqlite",
      "@eda/runtime",
    ]);
    for (const file of ["ordering/aggregates.ts", "ordering/projections.ts", "notifications/services.ts", "ordering/testing.ts", "testing.ts", "decisions.ts", "codec.ts"]) {
      const text = readFileSync(path.join(HERE, "shop-generated", file), "utf8");
      expect(loaded(text).filter((s) => !light.has(s)), file).toEqual([]);
    }
  });
});
