/**
 * Headers on the NATS wire. NATS header values are single lines that the client trims, so a
 * value with a line break, a `%` or surrounding spaces (a stack trace, say) is written with
 * those characters as `%XX` and decoded on the way back; every other value travels as is. The
 * server's own `Nats-*` headers are not shown to consumers.
 */
import type { MsgHdrs } from "@nats-io/transport-node";
import type { Headers } from "../types.js";

/** Marks a replayed message as meant for one consumer only; the others skip it. */
export const REPLAY_FOR = "Eda-Replay-For";
/** The subject a parked message was delivered on, so a replay of a malformed one can go back. */
export const ORIGINAL_SUBJECT = "Eda-Original-Subject";

const NEEDS_ESCAPE = /[%\x00-\x1f\x7f]|^\s|\s$/g;

/** Escapes what a NATS header value cannot carry. */
export function encodeHeaderValue(value: string): string {
  return value.replace(NEEDS_ESCAPE, (char) =>
    [...Buffer.from(char, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/** Reverses `encodeHeaderValue`; a malformed escape is kept as it is. */
export function decodeHeaderValue(value: string): string {
  if (!value.includes("%")) return value;
  return value.replace(/(%[0-9A-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Copies eda headers into a NATS header set. */
export function writeHeaders(target: MsgHdrs, headers: Headers): MsgHdrs {
  for (const [key, value] of Object.entries(headers)) target.set(key, encodeHeaderValue(value));
  return target;
}

/** The eda headers of a delivered or stored message (without the server's `Nats-*` ones). */
export function readHeaders(source: MsgHdrs | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (source === undefined) return headers;
  for (const key of source.keys()) {
    if (/^nats-/i.test(key)) continue;
    headers[key] = decodeHeaderValue(source.get(key));
  }
  return headers;
}
