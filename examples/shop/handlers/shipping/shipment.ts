import { defineShipment } from "../../generated/shipping/aggregates.js";

/** The carrier's tracking code of an order's parcel (derived from the order id, so retries agree). */
export function trackingCodeOf(orderId: string): string {
  return `TRK-${orderId.replace(/-/g, "").slice(0, 12).toUpperCase()}`;
}

/** The behaviour of aggregate `Shipment`: one parcel per order. */
export const shipment = defineShipment({
  decide: {
    ScheduleShipment(command, state) {
      if (state.trackingCode !== undefined) return [];
      return [{ type: "ShipmentScheduled", data: { orderId: command.orderId, trackingCode: trackingCodeOf(command.orderId) } }];
    },
  },
  evolve: {
    ShipmentScheduled: (state, event) => ({ ...state, trackingCode: event.trackingCode }),
  },
});
