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

/**
 * `text` with each of `values` — as written, as it reads inside a JSON string, and in that
 * string's ASCII form (`\u00e9`) — replaced by `REDACTED`. One pass over `text` (Aho–Corasick):
 * a megabyte quoting ten thousand values costs about as much as one. The automaton is over
 * UTF-16 code units, not grapheme clusters (as `modern-ahocorasick` matches): a value followed by
 * a combining mark, a joiner or an emoji modifier shares its last grapheme with that character
 * and must be masked all the same. Where occurrences overlap
 * or touch (`Ada` in `Ada Lovelace`, two names run together), all of their characters go under
 * one marker, so no part of a value is left; a marker already in the text is not masked again.
 */
export function maskValues(text: string, values: readonly string[]): string {
  if (values.length === 0 || text.length === 0) return text;
  const spans = covered(text, matcherOf(values));
  if (spans.length === 0) return text;
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** The forms a value may take in an error's text, each at least `MIN_MASKED` characters. */
function formsOf(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  const ascii = escaped.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [value, escaped, ascii].filter((form) => form.length >= MIN_MASKED);
}

/** An Aho–Corasick automaton over UTF-16 code units: per state, its moves, its fall-back and the longest needle ending there. */
interface Matcher {
  readonly next: Map<number, number>[];
  readonly fail: number[];
  readonly longest: number[];
}

function matcherOf(values: readonly string[]): Matcher {
  const next: Map<number, number>[] = [new Map()];
  const depth = [0];
  const ends = [0];
  for (const form of new Set([...values, REDACTED].flatMap(formsOf))) {
    let state = 0;
    for (let i = 0; i < form.length; i++) {
      const c = form.charCodeAt(i);
      let to = (next[state] as Map<number, number>).get(c);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        depth.push(i + 1);
        ends.push(0);
        (next[state] as Map<number, number>).set(c, to);
      }
      state = to;
    }
    ends[state] = form.length;
  }
  const fail = new Array<number>(next.length).fill(0);
  const longest = ends.slice();
  // Breadth first, so that a state's fall-back is complete before its children need it.
  const queue = [...(next[0] as Map<number, number>).values()];
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q] as number;
    for (const [c, child] of next[state] as Map<number, number>) {
      let f = fail[state] as number;
      while (f !== 0 && !(next[f] as Map<number, number>).has(c)) f = fail[f] as number;
      const to = (next[f] as Map<number, number>).get(c);
      fail[child] = to !== undefined && to !== child ? to : 0;
      longest[child] = Math.max(longest[child] as number, longest[fail[child] as number] as number);
      queue.push(child);
    }
  }
  return { next, fail, longest };
}

/** The ranges of `text` some needle covers, merged where they overlap or touch, in order. */
function covered(text: string, { next, fail, longest }: Matcher): [number, number][] {
  const spans: [number, number][] = [];
  let state = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (state !== 0 && !(next[state] as Map<number, number>).has(c)) state = fail[state] as number;
    state = (next[state] as Map<number, number>).get(c) ?? 0;
    const length = longest[state] as number;
    if (length === 0) continue;
    let start = i + 1 - length;
    // A longer match may begin before spans already found: it swallows them.
    while (spans.length > 0 && (spans[spans.length - 1] as [number, number])[1] >= start) start = Math.min(start, (spans.pop() as [number, number])[0]);
    spans.push([start, i + 1]);
  }
  return spans;
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

/**
 * What `error` says — an `Error`'s message, anything else as a string — or, when reading it
 * throws (a `message` getter that throws, an object without `toString`), a sentence saying so:
 * reporting a failure must never fail itself.
 */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return `(a thrown ${describeKind(error)} whose text cannot be read)`;
  }
}

/** An `Error`'s stack, or null when it has none or reading it throws. */
export function errorStack(error: unknown): string | null {
  try {
    return error instanceof Error && error.stack !== undefined ? String(error.stack) : null;
  } catch {
    return null;
  }
}

function describeKind(error: unknown): string {
  try {
    return error instanceof Error ? "error" : typeof error;
  } catch {
    return "value";
  }
}

/** An error's message (`errorText`), with `values` masked. */
export function maskedMessage(error: unknown, values: readonly string[]): string {
  const message = errorText(error);
  return values.length === 0 ? message : maskValues(message, values);
}

/** How deep a cause chain is copied (a cyclic chain ends there too). */
const MAX_CAUSES = 4;

/**
 * `error`, or — when its message, stack or cause quotes one of `values` — a copy with them
 * masked: of the same class (`instanceof` and `isDeserializeError` still tell it; a circuit's
 * `retryAt`, `code`, `permanent` and a `DeserializeError`'s `reason` are kept, as are its other
 * own fields), its cause masked in turn. Something thrown that is not an `Error` comes back as
 * its masked text when it quotes one. Never throws.
 */
export function maskedError(error: unknown, values: readonly string[], depth = 0): unknown {
  if (values.length === 0) return error;
  if (!(error instanceof Error)) {
    const text = errorText(error);
    const masked = maskValues(text, values);
    return masked === text ? error : masked;
  }
  const text = errorText(error);
  const message = maskValues(text, values);
  const stack = errorStack(error);
  const maskedStack = stack === null ? null : maskValues(stack, values);
  const cause = causeOf(error);
  const copiedCause = cause === undefined || depth >= MAX_CAUSES ? undefined : maskedError(cause, values, depth + 1);
  if (message === text && maskedStack === stack && copiedCause === cause) return error;
  const copy = new Error(message, copiedCause === undefined ? undefined : { cause: copiedCause });
  try {
    Object.setPrototypeOf(copy, Object.getPrototypeOf(error) as object | null);
    for (const key of Object.keys(error)) if (key !== "message" && key !== "stack" && key !== "cause") copyField(copy, key, (error as unknown as Record<string, unknown>)[key], values);
  } catch {
    // A hostile prototype or field: the plain copy, with its masked text, still goes on.
  }
  Object.defineProperty(copy, "message", { value: message, writable: true, configurable: true });
  Object.defineProperty(copy, "stack", { value: maskedStack ?? `${safeName(error)}: ${message}`, writable: true, configurable: true });
  if (copy.name !== safeName(error)) Object.defineProperty(copy, "name", { value: safeName(error), writable: true, configurable: true });
  return copy;
}

function causeOf(error: Error): unknown {
  try {
    return error.cause;
  } catch {
    return undefined;
  }
}

function safeName(error: Error): string {
  try {
    return String(error.name);
  } catch {
    return "Error";
  }
}

/** An own field of an error onto its copy: a string masked, anything else as it is (`readonly` class fields are defined, not assigned). */
function copyField(copy: Error, key: string, value: unknown, values: readonly string[]): void {
  Object.defineProperty(copy, key, { value: typeof value === "string" ? maskValues(value, values) : value, writable: true, enumerable: true, configurable: true });
}
