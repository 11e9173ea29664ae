/** Codec parts for hand-written test codecs that do not validate (validation is tested with real schemas in test/codec/). */
import type { EventCodec } from "../../src/types.js";

/** Accepts every command and event as it is. */
export function acceptAll<E extends { readonly type: string }>(): Pick<EventCodec<E>, "validateCommand" | "validateEvent"> {
  return {
    validateCommand: (command) => ({ ok: true, value: command as { readonly type: string } }),
    validateEvent: (event) => ({ ok: true, value: event as E }),
  };
}
