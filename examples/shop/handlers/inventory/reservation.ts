import { defineReservation } from "../../generated/inventory/aggregates.js";

/** The most units of one SKU a single order may reserve. */
export const MAX_UNITS_PER_LINE = 10;

/**
 * The behaviour of aggregate `Reservation`: stock is reserved for a whole order or not at all.
 * A line above `MAX_UNITS_PER_LINE` fails the reservation, naming its SKU.
 */
export const reservation = defineReservation({
  decide: {
    ReserveStock(command, state) {
      // A repeated command (the saga retrying) reserves nothing twice.
      if (state.reserved) return [];
      const short = command.lines.find((l) => l.quantity > MAX_UNITS_PER_LINE);
      if (short) return [{ type: "StockReservationFailed", data: { orderId: command.orderId, sku: short.sku } }];
      return [{ type: "StockReserved", data: { orderId: command.orderId } }];
    },
    ReleaseStock(command, state) {
      if (!state.reserved) return [];
      return [{ type: "StockReleased", data: { orderId: command.orderId } }];
    },
  },
  evolve: {
    StockReserved: (state) => ({ ...state, reserved: true }),
    StockReservationFailed: (state) => state,
    StockReleased: (state) => ({ ...state, reserved: false }),
  },
});
