import { defineOrderingUpcasts } from "../../generated/ordering/upcasters.js";

/**
 * The conversions the upcasts of context `Ordering` leave to code (`field = compute`):
 * each gets the stored event at its old version (and, as a second parameter, what the store
 * recorded of it: `stored.time`, `stored.stream`, …) and returns the value of the new field.
 */
export const orderingUpcasts = defineOrderingUpcasts({
  OrderPlaced: {
    v1: {
      // v1 stored a total in US cents only.
      total: (event) => ({ amountMinor: event.totalCents, currency: "USD" }),
    },
  },
});
