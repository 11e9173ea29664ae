import { defineCustomerOrders } from "../../generated/ordering/projections.js";

/** The rows of projection `CustomerOrders`: how many orders each customer placed and cancelled. */
export const customerOrders = defineCustomerOrders({
  OrderPlaced: (row, event) => ({ ...row, placed: row.placed + 1, lastOrderId: event.orderId }),
  OrderCancelled: (row) => ({ ...row, cancelled: row.cancelled + 1 }),
});
