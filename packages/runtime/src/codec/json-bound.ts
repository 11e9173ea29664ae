/**
 * What validation needs to know of a parsed message's JSON without writing it: an upper bound
 * of its size in UTF-8 bytes, and whether any string or key holds U+0000. One walk that
 * allocates nothing, where `JSON.stringify` would build the whole text only to measure it (the
 * store writes the text again when it appends).
 */

/** The walk met a value `JSON.stringify` treats specially (see `jsonBound`). */
export const UNUSUAL = -1;
/** The walk met U+0000 in a string or a key. */
export const HOLDS_NUL = -2;

/**
 * Bytes a number takes at most as JSON: `-0.0000012345678901234567` (17 digits after five zeros;
 * one more than `-1.2345678901234567e-308`); `NaN` and `Infinity` are `null`.
 */
const NUMBER_BYTES = 25;
/** Deeper than this, the walk leaves the value to `JSON.stringify` (which also finds a cycle). */
const MAX_DEPTH = 256;

/**
 * An upper bound of the UTF-8 bytes of `JSON.stringify(value)` for plain JSON data — strings,
 * finite or not numbers, booleans, null, arrays and objects whose prototype is `Object.prototype`
 * or null, `undefined` as an object's property — or `HOLDS_NUL` when a string or key holds
 * U+0000, or `UNUSUAL` for anything else (a bigint, a function, a `Date` or other class
 * instance, an object or array with a `toJSON` method, an array holding `undefined`, nesting
 * deeper than 256): the caller then writes the JSON to learn what it is. A UTF-16 unit takes at
 * most 6 bytes in a JSON string (`\u001f`).
 */
export function jsonBound(value: unknown, depth = 0): number {
  switch (typeof value) {
    case "string":
      return value.includes("\u0000") ? HOLDS_NUL : 2 + 6 * value.length;
    case "number":
      return NUMBER_BYTES;
    case "boolean":
      return 5;
    case "object":
      break;
    default:
      return UNUSUAL;
  }
  if (value === null) return 4;
  if (depth >= MAX_DEPTH) return UNUSUAL;
  // JSON.stringify writes what any readable toJSON returns: a hidden one, an array's, a Proxy's.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return UNUSUAL;
  if (Array.isArray(value)) {
    let bytes = 2 + value.length;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) return UNUSUAL;
      const child = jsonBound(item, depth + 1);
      if (child < 0) return child;
      bytes += child;
    }
    return bytes;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return UNUSUAL;
  let bytes = 2;
  // for…in on a plain object sees its own enumerable keys (Object.prototype's are not enumerable).
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    if (key.includes("\u0000")) return HOLDS_NUL;
    const child = jsonBound(item, depth + 1);
    if (child < 0) return child;
    bytes += 4 + 6 * key.length + child;
  }
  return bytes;
}
