import { reject } from "../../generated/decisions.js";
import { defineOrder } from "../../generated/ordering/aggregates.js";
import type { OrderLine } from "../../generated/ordering/schemas.js";
import type { Money } from "../../generated/shared/schemas.js";

/**
 * The behaviour of aggregate `Order`:
 * `decide` answers its commands, `evolve` applies its events.
 */
export const order = defineOrder({
  decide: {
    PlaceOrder(command, state) {
      if (state.customerId !== undefined) {
        return reject({ code: "already-placed", message: `Order ${command.orderId} was placed before.` });
      }
      const total = totalOf(command.lines);
      if (total === undefined) {
        return reject({ code: "mixed-currencies", message: "All lines of an order must be priced in one currency." });
      }
      const { orderId, customerId, lines, shipTo, contactEmail } = command;
      return [{ type: "OrderPlaced", data: { orderId, customerId, lines, total, shipTo, contactEmail } }];
    },
    ConfirmOrder(command, state) {
      if (state.customerId === undefined) return reject({ code: "unknown-order", message: `No order ${command.orderId}.` });
      if (state.status === "Cancelled") return reject({ code: "cancelled", message: "A cancelled order cannot be confirmed." });
      // Confirming twice changes nothing: a repeated command is not an error.
      if (state.status === "Confirmed") return [];
      return [{ type: "OrderConfirmed", data: { orderId: command.orderId } }];
    },
    CancelOrder(command, state) {
      if (state.customerId === undefined) return reject({ code: "unknown-order", message: `No order ${command.orderId}.` });
      if (state.status === "Confirmed") return reject({ code: "confirmed", message: "A confirmed order cannot be cancelled." });
      if (state.status === "Cancelled") return [];
      const data = { orderId: command.orderId, customerId: state.customerId, reason: command.reason };
      return [{ type: "OrderCancelled", data }];
    },
  },
  evolve: {
    OrderPlaced: (state, event) => ({ ...state, status: "Placed", customerId: event.customerId, total: event.total }),
    OrderConfirmed: (state) => ({ ...state, status: "Confirmed" }),
    OrderCancelled: (state) => ({ ...state, status: "Cancelled" }),
  },
});

/** The sum of the lines, or undefined when they are priced in more than one currency. */
export function totalOf(lines: readonly OrderLine[]): Money | undefined {
  const currency = lines[0]?.unitPrice.currency ?? "EUR";
  if (lines.some((l) => l.unitPrice.currency !== currency)) return undefined;
  const amountMinor = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amountMinor, 0);
  return { amountMinor, currency };
}
