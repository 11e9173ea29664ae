/**
 * URL helpers for bus configuration: the one masking of the runtime (engine/mask-url.ts), which
 * works on the text, so a URL no parser accepts — several broker addresses
 * (`amqp://u:p@h1,h2/`), an unknown scheme — is masked too.
 */
export { redactUrl } from "../engine/mask-url.js";
