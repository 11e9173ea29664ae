/** Small models for the CLI's process tests (their diagnostics are the checker's business). */

/** A model with no problem at all. */
export const CLEAN = `context Shop

command PlaceOrder {
  orderId: uuid
}

event OrderPlaced {
  orderId: uuid
}

aggregate Order {
  stream orderId
  on PlaceOrder emits OrderPlaced
}
`;

/** A second clean file of the same context. */
export const CLEAN_MORE = `context Shop

command CancelOrder {
  orderId: uuid
}

event OrderCancelled {
  orderId: uuid
}

aggregate Cancellation {
  stream orderId
  on CancelOrder emits OrderCancelled
}
`;

/** One error: a misspelt event (EDA2001) at line 13, column 23. */
export const MISSPELT = CLEAN.replace("emits OrderPlaced", "emits OrderPlacd");

/** Only a warning: a command named like a query (EDA6003). */
export const QUERY_COMMAND = CLEAN.replaceAll("PlaceOrder", "GetOrder");

/** A syntax error: the closing brace of the command is missing. */
export const BROKEN = CLEAN.replace("  orderId: uuid\n}\n\nevent", "  orderId: uuid\n\nevent");

/** The clean model laid out badly (the formatter must change it). */
export const UNFORMATTED = CLEAN.replace("command PlaceOrder {\n  orderId: uuid\n}", "command   PlaceOrder {   \n      orderId:uuid\n}\n\n\n");

/**
 * The same model in another context, its messages renamed (`Order` → `Refund`): command and event
 * names must be unique in the whole model, not only in their context.
 */
export function inOtherContext(model: string, context: string): string {
  return model.replace("context Shop", `context ${context}`).replaceAll("Order", "Refund");
}
