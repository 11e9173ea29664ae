/** A small projection in the shape the generator emits: orders per customer. */
import type { Projection } from "../../src/projection/projection.js";
import type { EventCodec } from "../../src/types.js";

export type ShopEvent =
  | { readonly type: "OrderPlaced"; readonly orderId: string; readonly customerId: string; readonly total: number }
  | { readonly type: "OrderCancelled"; readonly orderId: string; readonly customerId: string }
  | { readonly type: "CustomerForgotten"; readonly customerId: string };

export interface CustomerOrdersRow {
  readonly customerId: string;
  readonly orders: number;
  readonly cancelled: number;
  readonly total: number;
}

/** The codec, counting `deserialize` calls by type; a payload `{ unreadable: true }` does not deserialize. */
export function shopCodec(): Pick<EventCodec<ShopEvent>, "deserialize"> & { calls: string[] } {
  const codec = {
    calls: [] as string[],
    deserialize(stored: { readonly type: string; readonly payload: unknown }): ShopEvent {
      codec.calls.push(stored.type);
      if ((stored.payload as { unreadable?: boolean } | null)?.unreadable === true) throw new Error(`${stored.type}: invalid payload`);
      return { type: stored.type, ...(stored.payload as object) } as ShopEvent;
    },
  };
  return codec;
}

/** `CustomerOrders`: key customerId; `failOn` makes apply throw for one order id (a poison event). */
export function customerOrders(failOn?: { orderId: string }): Projection<ShopEvent, CustomerOrdersRow> {
  return {
    name: "CustomerOrders",
    events: ["OrderPlaced", "OrderCancelled", "CustomerForgotten"],
    keyOf: (event) => event.customerId,
    initialRow: (customerId) => ({ customerId, orders: 0, cancelled: 0, total: 0 }),
    apply(row, event) {
      if (event.type !== "CustomerForgotten" && event.orderId === failOn?.orderId) throw new Error(`cannot apply ${event.orderId}`);
      switch (event.type) {
        case "OrderPlaced":
          return { ...row, orders: row.orders + 1, total: row.total + event.total };
        case "OrderCancelled":
          return { ...row, cancelled: row.cancelled + 1 };
        case "CustomerForgotten":
          return null;
      }
    },
  };
}
