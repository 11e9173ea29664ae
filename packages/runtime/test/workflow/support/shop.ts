/**
 * The shop's checkout saga (examples/shop/checkout.eda) written as the generator will emit it,
 * and a fake world of deciders behind the command pipeline: orders, stock reservations,
 * payments and shipments, each with knobs a test turns to make a step fail, stay silent or
 * refuse.
 */
import { handleCommand } from "../../../src/pipeline/handle-command.js";
import { reject } from "../../../src/pipeline/command-types.js";
import type { EventStore } from "../../../src/store/event-store.js";
import type { Decider } from "../../../src/types.js";
import { commandRouter, type CommandSender, type OrchestratedWorkflow } from "../../../src/workflow/definition.js";
import { idsFrom, messageCodec, type M } from "./messages.js";

type Money = { readonly amountMinor: number; readonly currency: "EUR" | "USD" | "GBP" };
type Address = { readonly line1: string; readonly city: string; readonly postalCode: string; readonly country: string };
type OrderLine = { readonly sku: string; readonly quantity: number; readonly unitPrice: Money };

export type ShopEvent =
  | M<"OrderPlaced", { orderId: string; customerId: string; lines: OrderLine[]; total: Money; shipTo: Address; contactEmail: string }>
  | M<"OrderConfirmed", { orderId: string }>
  | M<"OrderCancelled", { orderId: string; customerId: string; reason: string }>
  | M<"StockReserved", { orderId: string }>
  | M<"StockReservationFailed", { orderId: string; sku: string }>
  | M<"StockReleased", { orderId: string }>
  | M<"PaymentCaptured", { orderId: string; amount: Money }>
  | M<"PaymentDeclined", { orderId: string; reason: string }>
  | M<"PaymentRefunded", { orderId: string }>
  | M<"ShipmentScheduled", { orderId: string; trackingCode: string }>;

export type ShopCommand =
  | M<"PlaceOrder", { orderId: string; customerId: string; lines: OrderLine[]; shipTo: Address; contactEmail: string }>
  | M<"ConfirmOrder", { orderId: string }>
  | M<"CancelOrder", { orderId: string; reason: string }>
  | M<"ReserveStock", { orderId: string; lines: OrderLine[] }>
  | M<"ReleaseStock", { orderId: string }>
  | M<"ChargePayment", { orderId: string; amount: Money }>
  | M<"RefundPayment", { orderId: string }>
  | M<"ScheduleShipment", { orderId: string; shipTo: Address }>;

type Of<U, T> = Extract<U, { readonly type: T }>;
type CheckoutEvent = Of<ShopEvent, "OrderPlaced" | "StockReserved" | "StockReservationFailed" | "PaymentCaptured" | "PaymentDeclined" | "ShipmentScheduled">;
type CheckoutCommand = Of<ShopCommand, "ReserveStock" | "ReleaseStock" | "ChargePayment" | "RefundPayment" | "ScheduleShipment" | "ConfirmOrder" | "CancelOrder">;
export type CheckoutStep = "reserveStock" | "chargePayment" | "scheduleShipment";

/** `workflow Checkout orchestrated` of the shop, as generated. */
export const checkout: OrchestratedWorkflow<CheckoutEvent, CheckoutCommand, "OrderPlaced", CheckoutStep> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  timeoutMs: 30 * 60_000,
  steps: [
    {
      name: "reserveStock",
      send: (ctx) => ({ type: "ReserveStock", data: { orderId: ctx.start.orderId, lines: ctx.start.lines } }),
      awaits: "StockReserved",
      failOn: "StockReservationFailed",
      compensate: (ctx) => ({ type: "ReleaseStock", data: { orderId: ctx.start.orderId } }),
    },
    {
      name: "chargePayment",
      send: (ctx) => ({ type: "ChargePayment", data: { orderId: ctx.start.orderId, amount: ctx.start.total } }),
      awaits: "PaymentCaptured",
      failOn: "PaymentDeclined",
      compensate: (ctx) => ({ type: "RefundPayment", data: { orderId: ctx.start.orderId } }),
      retry: { count: 3, everyMs: 2_000 },
    },
    {
      name: "scheduleShipment",
      send: (ctx) => ({ type: "ScheduleShipment", data: { orderId: ctx.start.orderId, shipTo: ctx.start.shipTo } }),
      awaits: "ShipmentScheduled",
    },
  ],
  onComplete: (ctx) => ({ type: "ConfirmOrder", data: { orderId: ctx.start.orderId } }),
  onFail: (ctx) => ({ type: "CancelOrder", data: { orderId: ctx.start.orderId, reason: "checkout failed" } }),
};

/** Knobs of the fake world. */
export interface ShopWorld {
  /** SKUs out of stock: reserving them fails. */
  readonly outOfStock: Set<string>;
  /** Payments above this many minor units are declined. */
  declineAbove: number;
  /** Per order, how many charges are accepted without any event (a lost reply). */
  readonly silentCharges: Map<string, number>;
  /** Orders whose charges are refused by the domain (a rejection, not an event). */
  readonly refuseCharges: Set<string>;
  /** Orders for which scheduling a shipment is accepted but never answered. */
  readonly silentShipments: Set<string>;
  /** Orders whose stock release is refused. */
  readonly refuseReleases: Set<string>;
}

/** A world where everything succeeds. */
export function shopWorld(): ShopWorld {
  return {
    outOfStock: new Set(),
    declineAbove: Number.MAX_SAFE_INTEGER,
    silentCharges: new Map(),
    refuseCharges: new Set(),
    silentShipments: new Set(),
    refuseReleases: new Set(),
  };
}

const codec = messageCodec<ShopEvent>();
type Cmd<T extends ShopCommand["type"]> = Of<ShopCommand, T>;

function orders(): Decider<Cmd<"PlaceOrder" | "ConfirmOrder" | "CancelOrder">, ShopEvent, { customerId: string | null; total: Money | null }> {
  return {
    name: "Order",
    initialState: { customerId: null, total: null },
    streamOf: (c) => `Ordering.Order-${c.data.orderId}`,
    decide(c, s) {
      if (c.type === "PlaceOrder") {
        const amountMinor = c.data.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amountMinor, 0);
        return [{ type: "OrderPlaced", data: { ...c.data, total: { amountMinor, currency: "EUR" } } }];
      }
      if (c.type === "ConfirmOrder") return [{ type: "OrderConfirmed", data: { orderId: c.data.orderId } }];
      return [{ type: "OrderCancelled", data: { orderId: c.data.orderId, customerId: s.customerId ?? "", reason: c.data.reason } }];
    },
    evolve: (s, e) => (e.type === "OrderPlaced" ? { customerId: e.data.customerId, total: e.data.total } : s),
  };
}

function reservations(world: ShopWorld): Decider<Cmd<"ReserveStock" | "ReleaseStock">, ShopEvent, { reserved: boolean }> {
  return {
    name: "Reservation",
    initialState: { reserved: false },
    streamOf: (c) => `Inventory.Reservation-${c.data.orderId}`,
    decide(c, s) {
      const { orderId } = c.data;
      if (c.type === "ReleaseStock") {
        if (!s.reserved || world.refuseReleases.has(orderId)) return reject("nothing-reserved");
        return [{ type: "StockReleased", data: { orderId } }];
      }
      const missing = c.data.lines.find((l) => world.outOfStock.has(l.sku));
      if (missing !== undefined) return [{ type: "StockReservationFailed", data: { orderId, sku: missing.sku } }];
      return [{ type: "StockReserved", data: { orderId } }];
    },
    evolve: (s, e) => (e.type === "StockReserved" ? { reserved: true } : e.type === "StockReleased" ? { reserved: false } : s),
  };
}

function payments(world: ShopWorld): Decider<Cmd<"ChargePayment" | "RefundPayment">, ShopEvent, { captured: boolean }> {
  return {
    name: "Payment",
    initialState: { captured: false },
    streamOf: (c) => `Payments.Payment-${c.data.orderId}`,
    decide(c, s) {
      const { orderId } = c.data;
      if (c.type === "RefundPayment") return s.captured ? [{ type: "PaymentRefunded", data: { orderId } }] : reject("nothing-captured");
      if (world.refuseCharges.has(orderId)) return reject("card-blocked");
      const silent = world.silentCharges.get(orderId) ?? 0;
      if (silent > 0) {
        world.silentCharges.set(orderId, silent - 1);
        return [];
      }
      if (c.data.amount.amountMinor > world.declineAbove) return [{ type: "PaymentDeclined", data: { orderId, reason: "insufficient funds" } }];
      return [{ type: "PaymentCaptured", data: { orderId, amount: c.data.amount } }];
    },
    evolve: (s, e) => (e.type === "PaymentCaptured" ? { captured: true } : e.type === "PaymentRefunded" ? { captured: false } : s),
  };
}

function shipments(world: ShopWorld): Decider<Cmd<"ScheduleShipment">, ShopEvent, null> {
  return {
    name: "Shipment",
    initialState: null,
    streamOf: (c) => `Shipping.Shipment-${c.data.orderId}`,
    decide(c) {
      const { orderId, shipTo } = c.data;
      if (shipTo.country === "XX") return reject("cannot-ship-there");
      if (world.silentShipments.has(orderId)) return [];
      return [{ type: "ShipmentScheduled", data: { orderId, trackingCode: `TRK-${orderId}` } }];
    },
    evolve: (s) => s,
  };
}

/** The shop's command handlers behind one sender (event ids derived from command ids). */
export function shopSender(store: EventStore, world: ShopWorld): CommandSender<ShopCommand> {
  const [order, reservation, payment, shipment] = [orders(), reservations(world), payments(world), shipments(world)];
  const opts = (id: string) => ({ newId: idsFrom(id), retryDelayMs: () => 0 });
  return commandRouter<ShopCommand>({
    PlaceOrder: (env) => handleCommand(store, order, codec, env, opts(env.messageId)),
    ConfirmOrder: (env) => handleCommand(store, order, codec, env, opts(env.messageId)),
    CancelOrder: (env) => handleCommand(store, order, codec, env, opts(env.messageId)),
    ReserveStock: (env) => handleCommand(store, reservation, codec, env, opts(env.messageId)),
    ReleaseStock: (env) => handleCommand(store, reservation, codec, env, opts(env.messageId)),
    ChargePayment: (env) => handleCommand(store, payment, codec, env, opts(env.messageId)),
    RefundPayment: (env) => handleCommand(store, payment, codec, env, opts(env.messageId)),
    ScheduleShipment: (env) => handleCommand(store, shipment, codec, env, opts(env.messageId)),
  });
}

/** A `PlaceOrder` for `orderId` (one line of `sku`, `amountMinor` in total, shipped to `country`). */
export function placeOrder(orderId: string, options: { sku?: string; amountMinor?: number; country?: string } = {}): Cmd<"PlaceOrder"> {
  return {
    type: "PlaceOrder",
    data: {
      orderId,
      customerId: `customer-${orderId}`,
      lines: [{ sku: options.sku ?? "SKU-1", quantity: 1, unitPrice: { amountMinor: options.amountMinor ?? 1_000, currency: "EUR" } }],
      shipTo: { line1: "1 Main St", city: "Lyon", postalCode: "69001", country: options.country ?? "FR" },
      contactEmail: `${orderId}@example.com`,
    },
  };
}

/** Places an order through the pipeline: command id `place-<orderId>`, correlation id `conv-<orderId>`. */
export function place(send: CommandSender<ShopCommand>, command: Cmd<"PlaceOrder">): ReturnType<CommandSender<ShopCommand>> {
  const id = command.data.orderId;
  return send(command, { messageId: `place-${id}`, correlationId: `conv-${id}`, causationId: `request-${id}`, metadata: {} });
}

/** Appends one event as another part of the system would (its own conversation), for the workflow's intake to meet. */
export async function appendEvent(store: EventStore, stream: string, messageId: string, type: string, data: unknown): Promise<void> {
  await store.append(stream, [{ messageId, type, version: 1, correlationId: "elsewhere", causationId: null, payload: data }], { kind: "any" });
}
