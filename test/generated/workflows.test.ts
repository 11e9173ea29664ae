/**
 * The shop's generated workflow definitions run on the real runtime with the hand-written
 * handlers of `shop-handlers/`: the checkout saga as an orchestrator on an in-memory store (one
 * order completes, one whose payment is declined is compensated), the notification choreography
 * on an in-memory bus, and both together through the generated `createApp` with `settle()`.
 * Every command's correlation id is the conversation's and its causation id the event that
 * caused it; every event's causation id is the command that made it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CommandMeta, CommandOutcome, EventStore, StoredEvent } from "@eda/runtime";
import { writeShopGenerated } from "./helpers.js";
import type * as AppModule from "./shop-generated/app.js";
import type * as CodecModule from "./shop-generated/codec.js";
import type * as CheckoutModule from "./shop-generated/ordering/workflows.js";
import type * as NotificationsModule from "./shop-generated/notifications/workflows.js";
import type * as OrderModule from "./shop-handlers/ordering/order.js";
import type * as CustomerOrdersModule from "./shop-handlers/ordering/customer-orders.js";
import type * as UpcastsModule from "./shop-handlers/ordering/upcasts.js";
import type * as ReservationModule from "./shop-handlers/inventory/reservation.js";
import type * as PaymentModule from "./shop-handlers/payments/payment.js";
import type * as ShipmentModule from "./shop-handlers/shipping/shipment.js";
import type * as MailerModule from "./shop-handlers/notifications/mailer.js";

// The generated code is written by this test, so everything that imports it is loaded after.
let m!: {
  runtime: typeof import("@eda/runtime");
  app: typeof AppModule;
  codec: typeof CodecModule;
  checkout: typeof CheckoutModule;
  notifications: typeof NotificationsModule;
  order: typeof OrderModule;
  customerOrders: typeof CustomerOrdersModule;
  upcasts: typeof UpcastsModule;
  reservation: typeof ReservationModule;
  payment: typeof PaymentModule;
  shipment: typeof ShipmentModule;
  mailer: typeof MailerModule;
};

beforeAll(async () => {
  writeShopGenerated();
  m = {
    runtime: await import("@eda/runtime"),
    app: await import("./shop-generated/app.js"),
    codec: await import("./shop-generated/codec.js"),
    checkout: await import("./shop-generated/ordering/workflows.js"),
    notifications: await import("./shop-generated/notifications/workflows.js"),
    order: await import("./shop-handlers/ordering/order.js"),
    customerOrders: await import("./shop-handlers/ordering/customer-orders.js"),
    upcasts: await import("./shop-handlers/ordering/upcasts.js"),
    reservation: await import("./shop-handlers/inventory/reservation.js"),
    payment: await import("./shop-handlers/payments/payment.js"),
    shipment: await import("./shop-handlers/shipping/shipment.js"),
    mailer: await import("./shop-handlers/notifications/mailer.js"),
  };
});

const PAID = "3f1c2a9e-4b7d-4c1e-9a2b-0000000000a1";
const DECLINED = "3f1c2a9e-4b7d-4c1e-9a2b-0000000000a2";
const CUSTOMER = "7d0e8f6a-1c2b-4d3e-8f4a-000000000001";
const shipTo = { line1: "1 Rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" };
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });

/** A PlaceOrder: the declined one is priced above the card limit of the payment handler. */
function placeOrder(orderId: string, email: string) {
  const unitPrice = orderId === DECLINED ? eur(60_000) : eur(1_250);
  return {
    type: "PlaceOrder" as const,
    data: { orderId, customerId: CUSTOMER, lines: [{ sku: "MUG-BLUE", quantity: 2, unitPrice }], shipTo, contactEmail: email },
  };
}

/** A command a workflow sent, with its envelope fields. */
interface Sent {
  readonly type: string;
  readonly data: unknown;
  readonly meta: CommandMeta;
}

/** The runtime's pipeline for every command of the shop, recording what workflows send. */
function shopRouter(store: EventStore) {
  const { handleCommand, runService, commandRouter } = m.runtime;
  const codec = m.codec.createCodec({ Ordering: m.upcasts.orderingUpcasts });
  const mail = m.mailer.memoryMail();
  const mailer = (m.mailer.useMailTransport(mail), m.mailer.mailer);
  const sent: Sent[] = [];
  // One route per command type the two workflows send: a missing one would not compile.
  const route = commandRouter<CheckoutModule.CheckoutCommand | NotificationsModule.CustomerNotificationsCommand>({
    ReserveStock: (e) => handleCommand(store, m.reservation.reservation, codec, e),
    ReleaseStock: (e) => handleCommand(store, m.reservation.reservation, codec, e),
    ChargePayment: (e) => handleCommand(store, m.payment.payment, codec, e),
    RefundPayment: (e) => handleCommand(store, m.payment.payment, codec, e),
    ScheduleShipment: (e) => handleCommand(store, m.shipment.shipment, codec, e),
    ConfirmOrder: (e) => handleCommand(store, m.order.order, codec, e),
    CancelOrder: (e) => handleCommand(store, m.order.order, codec, e),
    SendOrderConfirmation: (e) => runService(store, mailer, codec, e),
    SendShippingNotice: (e) => runService(store, mailer, codec, e),
  });
  const send = async (command: Parameters<typeof route>[0], meta: CommandMeta): Promise<CommandOutcome> => {
    sent.push({ type: command.type, data: command.data, meta });
    return route(command, meta);
  };
  const place = (orderId: string, email: string, correlationId: string) =>
    handleCommand(store, m.order.order, codec, { messageId: `place-${orderId}`, correlationId, payload: placeOrder(orderId, email) });
  return { codec, send, sent, mail, place };
}

/** Every event of the store, in order. */
async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  return store.readAll(1, 1_000);
}

/** The event of `type` (and order) in `events`; fails the test when it is missing. */
function eventOf(events: readonly StoredEvent[], type: string, orderId: string): StoredEvent {
  const found = events.find((e) => e.type === type && (e.payload as { orderId?: string }).orderId === orderId);
  if (!found) throw new Error(`no ${type} for ${orderId} among ${events.map((e) => e.type).join(", ")}`);
  return found;
}

describe("the generated Checkout on the runtime's orchestrator", () => {
  async function run(orderId: string) {
    const store = new m.runtime.MemoryEventStore();
    const shop = shopRouter(store);
    const coordinator = m.runtime.createOrchestrator(m.checkout.checkout, { store, send: shop.send, deserialize: (e) => shop.codec.deserialize(e) });
    await coordinator.init();
    expect(await shop.place(orderId, "ada@example.com", `conversation-${orderId}`)).toMatchObject({ status: "accepted" });
    await coordinator.settle();
    return { store, shop, coordinator, events: await allEvents(store) };
  }

  it("completes a paid order: reserve, charge, ship, then ConfirmOrder", async () => {
    const { shop, coordinator, events } = await run(PAID);
    expect(shop.sent.map((s) => s.type)).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);
    expect(shop.sent[1]?.data).toEqual({ orderId: PAID, amount: eur(2_500) });
    expect(shop.sent[2]?.data).toEqual({ orderId: PAID, shipTo });
    expect((await coordinator.instance(PAID))?.state).toEqual({ kind: "completed" });
    // Each command is caused by the event that moved the saga, in the order's conversation.
    const causes = ["OrderPlaced", "StockReserved", "PaymentCaptured", "ShipmentScheduled"].map((t) => eventOf(events, t, PAID).messageId);
    expect(shop.sent.map((s) => s.meta.causationId)).toEqual(causes);
    for (const s of shop.sent) expect(s.meta.correlationId).toBe(`conversation-${PAID}`);
    // Each event is caused by the command that made it.
    expect(eventOf(events, "OrderConfirmed", PAID).causationId).toBe(shop.sent[3]?.meta.messageId);
    expect(eventOf(events, "OrderConfirmed", PAID).correlationId).toBe(`conversation-${PAID}`);
  });

  it("compensates a declined payment: ReleaseStock, then CancelOrder with the model's reason", async () => {
    const { shop, coordinator, events } = await run(DECLINED);
    expect(shop.sent.map((s) => s.type)).toEqual(["ReserveStock", "ChargePayment", "ReleaseStock", "CancelOrder"]);
    expect(shop.sent[3]?.data).toEqual({ orderId: DECLINED, reason: "checkout failed" });
    const declined = eventOf(events, "PaymentDeclined", DECLINED);
    // The compensation and the fail command are caused by the event that failed the run.
    expect(shop.sent[2]?.meta.causationId).toBe(declined.messageId);
    expect(shop.sent[3]?.meta.causationId).toBe(declined.messageId);
    for (const s of shop.sent) expect(s.meta.correlationId).toBe(`conversation-${DECLINED}`);
    expect(eventOf(events, "StockReleased", DECLINED).causationId).toBe(shop.sent[2]?.meta.messageId);
    expect(eventOf(events, "OrderCancelled", DECLINED).payload).toMatchObject({ reason: "checkout failed" });
    expect((await coordinator.instance(DECLINED))?.state).toMatchObject({ kind: "failed" });
    expect(events.map((e) => e.type)).not.toContain("ShipmentScheduled");
  });
});

describe("the generated CustomerNotifications on the runtime's choreography", () => {
  it("sends SendOrderConfirmation to the order's contactEmail, caused by OrderPlaced", async () => {
    const store = new m.runtime.MemoryEventStore();
    const bus = m.runtime.createMemoryBus();
    const shop = shopRouter(store);
    const rules = await m.runtime.startChoreography(bus, m.notifications.customerNotifications, { send: shop.send, deserialize: (e) => shop.codec.deserialize(e) });
    try {
      await shop.place(PAID, "ada@example.com", "conversation-mail");
      while ((await m.runtime.relayBatch(store.outbox, bus)) > 0);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await rules.idle();
      const placed = eventOf(await allEvents(store), "OrderPlaced", PAID);
      expect(shop.sent).toEqual([
        {
          type: "SendOrderConfirmation",
          data: { orderId: PAID, to: "ada@example.com" },
          meta: expect.objectContaining({ correlationId: "conversation-mail", causationId: placed.messageId, metadata: { workflow: "CustomerNotifications", rule: "onOrderPlacedSendSendOrderConfirmation", caller: "workflow:CustomerNotifications" } }),
        },
      ]);
      expect(shop.mail.sent.map((mail) => mail.to)).toEqual(["ada@example.com"]);
    } finally {
      await rules.close();
      await bus.close();
    }
  });
});

describe("the generated createApp with its workflows", () => {
  it("runs both checkouts and the e-mails to a quiet end with settle()", async () => {
    const mail = m.mailer.memoryMail(new Map([[PAID, "ada@example.com"]]));
    const app = await m.app.createApp(
      {
        Inventory: { Reservation: m.reservation.reservation },
        Notifications: { Mailer: (m.mailer.useMailTransport(mail), m.mailer.mailer) },
        Ordering: { Order: m.order.order, CustomerOrders: m.customerOrders.customerOrders },
        Payments: { Payment: m.payment.payment },
        Shipping: { Shipment: m.shipment.shipment },
        upcasts: { Ordering: m.upcasts.orderingUpcasts },
      },
      { store: "memory:", bus: "memory:" },
    );
    try {
      for (const [orderId, email] of [
        [PAID, "ada@example.com"],
        [DECLINED, "bob@example.com"],
      ] as const) {
        const outcome = await app.send(placeOrder(orderId, email), { commandId: `place-${orderId}`, correlationId: `conversation-${orderId}` });
        expect(outcome).toMatchObject({ status: "accepted" });
      }
      await app.settle();
      const events = await allEvents(app.store);
      const types = (orderId: string) => events.filter((e) => (e.payload as { orderId?: string }).orderId === orderId).map((e) => e.type);
      expect(types(PAID)).toEqual(
        expect.arrayContaining(["OrderPlaced", "StockReserved", "PaymentCaptured", "ShipmentScheduled", "OrderConfirmed", "OrderConfirmationSent", "ShippingNoticeSent"]),
      );
      expect(types(DECLINED)).toEqual(expect.arrayContaining(["OrderPlaced", "StockReserved", "PaymentDeclined", "StockReleased", "OrderCancelled", "OrderConfirmationSent"]));
      expect(types(DECLINED)).not.toContain("OrderConfirmed");
      // Everything that followed an order stays in its conversation.
      for (const e of events) expect(e.correlationId).toBe(`conversation-${(e.payload as { orderId: string }).orderId}`);
      expect(mail.sent.map((x) => [x.subject, x.to])).toEqual(
        expect.arrayContaining([
          ["We have your order", "ada@example.com"],
          ["We have your order", "bob@example.com"],
          ["Your parcel is on its way", "ada@example.com"],
        ]),
      );
      expect(await app.projection("Ordering.CustomerOrders").row(CUSTOMER)).toMatchObject({ placed: 2, cancelled: 1 });
      expect((await app.orchestrator("Checkout").instance(PAID))?.state).toEqual({ kind: "completed" });
      expect((await app.orchestrator("Checkout").instance(DECLINED))?.state).toMatchObject({ kind: "failed" });
      // Quiet means quiet: a second settle finds nothing to do.
      const head = await app.store.headPosition();
      await app.settle();
      expect(await app.store.headPosition()).toBe(head);
    } finally {
      await app.close();
    }
  });
});
