/**
 * `@eda/runtime/decisions`: rejections and their guard, for handlers and the generated
 * `decisions.ts`, without loading the stores (the main entry re-exports them).
 */
export type { Rejection } from "./types.js";
export { isRejection, reject, unhandled } from "./pipeline/decisions.js";
export { decider, projection, service, type DeciderHandlers, type DeciderSpec, type ProjectionSpec, type ServiceSpec } from "./pipeline/define.js";
