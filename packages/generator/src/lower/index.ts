/** The lowering stage: `lower(model, options)` and the GenModel it returns. */
export { lower, type LowerOptions } from "./lower.js";
export type * from "./gen-model.js";
