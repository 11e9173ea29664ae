/** URL helpers for bus configuration: the one masking of the runtime (engine/mask-url.ts). */
export { redactUrl } from "../engine/mask-url.js";
