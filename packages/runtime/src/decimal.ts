/**
 * Exact arithmetic on `decimal` values, which travel as plain-notation strings (`"-12.50"`) so
 * that no digit is lost. Each function takes and returns such strings: a value is parsed into
 * an integer (a BigInt) and a scale, worked on exactly, and written back in its shortest form
 * (`"12.5"`, never `"12.50"` nor `"-0"`). Addition, subtraction and multiplication are exact;
 * division and rounding take a number of places and a rounding mode.
 *
 * Value equality is numeric: `equals("9.9", "9.90")` is true, and `normalize` gives the one
 * spelling to use as a map key or in a projection row. See the runtime README for why this is a
 * small BigInt implementation rather than decimal.js or big.js (`pnpm bench decimal`).
 */

/** A value of `decimal`: plain notation, an optional `-`, digits, an optional fraction. */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** How `round` and `div` drop digits. */
export type Rounding = "half-even" | "half-up" | "down" | "up" | "floor" | "ceiling";

/** An integer and how many of its digits are decimals: `{ units: 1250n, scale: 2 }` is 12.50. */
interface Parts {
  readonly units: bigint;
  readonly scale: number;
}

/** Thrown for a string that is not a plain-notation decimal, and for a division by zero. */
export class DecimalError extends Error {
  override readonly name = "DecimalError";
}

const TEN = 10n;
const POW = [1n];

function pow10(n: number): bigint {
  for (let i = POW.length; i <= n; i++) POW.push((POW[i - 1] as bigint) * TEN);
  return POW[n] as bigint;
}

function parse(value: string): Parts {
  if (typeof value !== "string" || !DECIMAL_PATTERN.test(value)) throw new DecimalError(`Not a decimal in plain notation: ${JSON.stringify(value)}.`);
  const dot = value.indexOf(".");
  if (dot < 0) return { units: BigInt(value), scale: 0 };
  return { units: BigInt(value.slice(0, dot) + value.slice(dot + 1)), scale: value.length - dot - 1 };
}

function format({ units, scale }: Parts): string {
  let u = units;
  let s = scale;
  while (s > 0 && u % TEN === 0n) {
    u /= TEN;
    s--;
  }
  const negative = u < 0n;
  const digits = (negative ? -u : u).toString();
  if (s === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(s + 1, "0");
  const text = `${padded.slice(0, padded.length - s)}.${padded.slice(padded.length - s)}`;
  return negative ? `-${text}` : text;
}

/** Both values at the larger scale. */
function aligned(a: Parts, b: Parts): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.units, b.units, a.scale];
  if (a.scale > b.scale) return [a.units, b.units * pow10(a.scale - b.scale), a.scale];
  return [a.units * pow10(b.scale - a.scale), b.units, b.scale];
}

/** `n / d` as a whole number, rounded by `mode` (d > 0). */
function divide(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case "down":
      return q;
    case "up":
      return away;
    case "floor":
      return n < 0n ? away : q;
    case "ceiling":
      return n < 0n ? q : away;
    case "half-up":
      return twice >= d ? away : q;
    case "half-even":
      return twice > d || (twice === d && q % 2n !== 0n) ? away : q;
  }
}

function checkPlaces(places: number): void {
  if (!Number.isInteger(places) || places < 0 || places > 1000) throw new DecimalError(`Places must be a whole number from 0 to 1000, not ${places}.`);
}

/** The shortest spelling of a decimal: `"09.90"` → `"9.9"`, `"-0.0"` → `"0"`. */
export function normalize(value: string): string {
  return format(parse(value));
}

/** Whether a string is a decimal in plain notation. */
export function isDecimal(value: unknown): value is string {
  return typeof value === "string" && DECIMAL_PATTERN.test(value);
}

/** -1, 0 or 1, by value: `compare("9.90", "9.9")` is 0. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = aligned(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Equal by value: `"9.9"` equals `"9.90"`. */
export function equals(a: string, b: string): boolean {
  return compare(a, b) === 0;
}

export function add(a: string, b: string): string {
  const [x, y, scale] = aligned(parse(a), parse(b));
  return format({ units: x + y, scale });
}

export function sub(a: string, b: string): string {
  const [x, y, scale] = aligned(parse(a), parse(b));
  return format({ units: x - y, scale });
}

export function mul(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format({ units: x.units * y.units, scale: x.scale + y.scale });
}

/** The sum of a list, exactly (`"0"` for none). */
export function sum(values: Iterable<string>): string {
  let total: Parts = { units: 0n, scale: 0 };
  for (const v of values) {
    const [x, y, scale] = aligned(total, parse(v));
    total = { units: x + y, scale };
  }
  return format(total);
}

export function neg(a: string): string {
  const x = parse(a);
  return format({ units: -x.units, scale: x.scale });
}

export function abs(a: string): string {
  const x = parse(a);
  return format({ units: x.units < 0n ? -x.units : x.units, scale: x.scale });
}

/** `a` rounded to `places` decimals (default half-even, the banker's rounding). */
export function round(a: string, places: number, mode: Rounding = "half-even"): string {
  checkPlaces(places);
  const x = parse(a);
  if (x.scale <= places) return format(x);
  return format({ units: divide(x.units, pow10(x.scale - places), mode), scale: places });
}

/** `a / b` to `places` decimals, rounded by `mode` (default half-even). */
export function div(a: string, b: string, places: number, mode: Rounding = "half-even"): string {
  checkPlaces(places);
  const x = parse(a);
  const y = parse(b);
  if (y.units === 0n) throw new DecimalError(`Division of ${a} by zero.`);
  // a/b = (xu / 10^xs) / (yu / 10^ys); scaled by 10^places: xu * 10^(places + ys) / (yu * 10^xs).
  let n = x.units * pow10(places + y.scale);
  let d = y.units * pow10(x.scale);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  return format({ units: divide(n, d, mode), scale: places });
}

/** A fixed number of decimals for display, padding with zeros: `toFixed("9.9", 2)` is `"9.90"`. */
export function toFixed(a: string, places: number, mode: Rounding = "half-even"): string {
  const r = round(a, places, mode);
  if (places === 0) return r;
  const dot = r.indexOf(".");
  const have = dot < 0 ? 0 : r.length - dot - 1;
  return `${r}${dot < 0 ? "." : ""}${"0".repeat(places - have)}`;
}
