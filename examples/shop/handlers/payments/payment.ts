import { reject } from "../../generated/decisions.js";
import { definePayment } from "../../generated/payments/aggregates.js";

/** The largest amount, in minor units, the card provider accepts for one charge. */
export const CHARGE_LIMIT_MINOR = 100_000;

/**
 * The behaviour of aggregate `Payment`: one charge per order, declined above
 * `CHARGE_LIMIT_MINOR`, refunded in full.
 */
export const payment = definePayment({
  decide: {
    ChargePayment(command, state) {
      if (state.captured !== undefined) {
        const same = state.captured.amountMinor === command.amount.amountMinor && state.captured.currency === command.amount.currency;
        return same ? [] : reject({ code: "already-captured", message: "This order was charged another amount." });
      }
      if (command.amount.amountMinor > CHARGE_LIMIT_MINOR) {
        return [{ type: "PaymentDeclined", data: { orderId: command.orderId, reason: "amount above the card limit" } }];
      }
      return [{ type: "PaymentCaptured", data: { orderId: command.orderId, amount: command.amount } }];
    },
    RefundPayment(command, state) {
      if (state.captured === undefined) return [];
      return [{ type: "PaymentRefunded", data: { orderId: command.orderId } }];
    },
  },
  evolve: {
    PaymentCaptured: (state, event) => ({ ...state, captured: event.amount }),
    PaymentDeclined: (state) => state,
    PaymentRefunded: ({ captured: _refunded, ...rest }) => rest,
  },
});
