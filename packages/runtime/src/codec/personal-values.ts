/**
 * Personal data in error messages. A handler, a projection or an upcast's `compute` hook that
 * throws may quote the event it was given (`no customer ${data.email}`); its message is logged,
 * recorded with a parked event and sent with a dead-lettered message, none of which the
 * crypto-shredding of `@pii(subject)` reaches. Before an error's text leaves the runtime, the
 * values of the event's `@pii` fields are masked in it wherever they appear verbatim.
 *
 * The values are found by comparing a payload with its redacted copy (`codec.redact`), so any
 * codec that redacts serves. Only values of at least `MIN_MASKED` characters are masked: a
 * shorter one (a one-letter code, a two-digit age) would blank out ordinary words and numbers
 * of the message and says little about a person alone. A value the code derives (an e-mail in
 * lower case, a part of a name) cannot be recognised: such errors must not quote it.
 */
import { REDACTED } from "./redact.js";

/** The shortest value masked in error messages. */
export const MIN_MASKED = 3;

/** How deep the comparison walks (a payload nested deeper has been refused when it was written). */
const MAX_DEPTH = 64;

/**
 * The values of `payload`'s personal fields: every string and number inside a field that
 * `redacted` (its copy with the personal fields replaced by `REDACTED`) replaced, longest first.
 */
export function personalValues(payload: unknown, redacted: unknown): string[] {
  const found = new Set<string>();
  compare(payload, redacted, found, 0);
  return [...found].sort((a, b) => b.length - a.length);
}

function compare(value: unknown, copy: unknown, found: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || value === copy) return;
  if (copy === REDACTED) return collect(value, found, depth);
  if (typeof value !== "object" || value === null || typeof copy !== "object" || copy === null) return;
  if (Array.isArray(value)) {
    if (Array.isArray(copy)) for (let i = 0; i < value.length; i++) compare(value[i], copy[i], found, depth + 1);
    return;
  }
  for (const key of Object.keys(copy)) if (Object.hasOwn(value, key)) compare((value as Record<string, unknown>)[key], (copy as Record<string, unknown>)[key], found, depth + 1);
}

function collect(value: unknown, found: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") {
    const text = String(value);
    if (text.length >= MIN_MASKED) found.add(text);
  } else if (typeof value === "object" && value !== null) {
    for (const inner of Array.isArray(value) ? value : Object.values(value)) collect(inner, found, depth + 1);
  }
}

/** `text` with each of `values` (as written, and as it reads inside a JSON string) replaced by `REDACTED`. */
export function maskValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) {
    out = out.replaceAll(value, REDACTED);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) out = out.replaceAll(escaped, REDACTED);
  }
  return out;
}

/** What the masking needs of a codec: its redaction (the runtime's `EventCodec` has it). */
export interface Redactor {
  redact(type: string, version: number, payload: unknown): unknown;
}

/** The personal values of a stored event, by its codec's redaction; none when the codec does not know it. */
export function personalValuesOf(codec: Redactor | null | undefined, event: { readonly type: string; readonly version: number; readonly payload: unknown }): string[] {
  if (codec === null || codec === undefined) return [];
  try {
    const redacted = codec.redact(event.type, event.version, event.payload);
    return redacted === undefined ? [] : personalValues(event.payload, redacted);
  } catch {
    return [];
  }
}

/** An error's message, with `values` masked. */
export function maskedMessage(error: unknown, values: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  return values.length === 0 ? message : maskValues(message, values);
}

/**
 * `error`, or — when its message or stack quotes one of `values` — a copy with them masked (its
 * name, `code`, `permanent` and a `DeserializeError`'s `reason` kept, so a failure still reads as
 * the same kind; its cause left out, as it may quote them too).
 */
export function maskedError(error: unknown, values: readonly string[]): unknown {
  if (values.length === 0) return error;
  if (!(error instanceof Error)) {
    const text = String(error);
    const masked = maskValues(text, values);
    return masked === text ? error : masked;
  }
  const message = maskValues(error.message, values);
  const stack = error.stack === undefined ? undefined : maskValues(error.stack, values);
  if (message === error.message && stack === error.stack) return error;
  const copy = new Error(message);
  copy.name = error.name;
  copy.stack = stack ?? `${error.name}: ${message}`;
  const { code, permanent, reason } = error as { code?: unknown; permanent?: unknown; reason?: unknown };
  if (code !== undefined) Object.assign(copy, { code });
  if (permanent !== undefined) Object.assign(copy, { permanent });
  if (reason !== undefined) Object.assign(copy, { reason });
  return copy;
}
