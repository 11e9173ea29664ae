/** The shop's upcast hooks as one module, the shape `eda store verify --upcasts` takes. */
import { orderingUpcasts } from "./shop-handlers/ordering/upcasts.js";

export const upcasts = { Ordering: orderingUpcasts };
