/**
 * `@eda/runtime/testing`: in-memory tests of handlers, through the same validation as
 * production — the given/when/then engine for deciders and `projectRows` for projections. It
 * loads neither the stores nor the buses.
 */
export * from "./scenarios.js";
export { projectRows } from "./project-rows.js";
