/** Axon's gift card, written the natural way: a variant state and exact decimal balances. */
import { compare, sub } from "@eda/runtime/decimal";
import { defineGiftCard } from "./generated/gift-cards/aggregates.js";
import { reject } from "./generated/decisions.js";

export const giftCard = defineGiftCard({
  decide: {
    IssueCard: (command, state) => (state.status === "NotIssued" ? [{ type: "CardIssued", data: command }] : reject({ code: "already-issued" })),
    RedeemCard(command, state) {
      if (state.status !== "Issued") return reject({ code: "not-issued" });
      if (compare(command.amount, "0") <= 0) return reject({ code: "nothing-to-redeem" });
      if (compare(command.amount, state.remaining) > 0) return reject({ code: "insufficient-funds", message: `${state.remaining} left.` });
      return [{ type: "CardRedeemed", data: command }];
    },
    CancelCard: (command, state) => (state.status === "Issued" ? [{ type: "CardCancelled", data: command }] : reject({ code: "not-issued" })),
  },
  evolve: {
    CardIssued: (_state, event) => ({ status: "Issued", remaining: event.amount }),
    CardRedeemed: (state, event) => (state.status === "Issued" ? { ...state, remaining: sub(state.remaining, event.amount) } : state),
    CardCancelled: () => ({ status: "Cancelled" }),
  },
});
