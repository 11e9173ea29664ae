/** Text from outside (a store, a broker) made safe to print to a terminal. */

/**
 * Text from a store or a broker, made safe for a terminal: C0 and C1 controls, DEL, line and
 * paragraph separators and bidirectional overrides become `\uXXXX`, so a hostile message id or
 * error cannot move the cursor, recolour the screen or hide text; then cut at `max` characters.
 * `lines`: line breaks (`\n`) stay, for a text shown whole on lines of its own (a stack).
 */
export function printable(text: string, options: { readonly max?: number; readonly lines?: boolean } = {}): string {
  const unsafe = options.lines === true ? UNSAFE_BUT_LINES : UNSAFE;
  const safe = text.replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const max = options.max ?? Number.POSITIVE_INFINITY;
  return safe.length > max ? `${safe.slice(0, max)}… (${safe.length} characters)` : safe;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
