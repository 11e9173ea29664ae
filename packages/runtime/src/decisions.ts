/**
 * `@eda/runtime/decisions`: rejections and their guard, for handlers and the generated
 * `decisions.ts`, without loading the stores (the main entry re-exports them).
 */
export type { Rejection } from "./types.js";
export { isRejection, reject, unhandled } from "./pipeline/decisions.js";
export { decider, type DeciderHandlers, type DeciderSpec } from "./pipeline/define-decider.js";
