/**
 * The options of one `generate` call. Emitters read them through `generatorOptions()` while
 * `withOptions` runs (synchronously), so the emitters keep their signatures and `generate`
 * stays a pure function of its arguments.
 */
import type { GenerateOptions } from "./generate.js";
let current: GenerateOptions = {};

/** The options of the `generate` call under way. */
export function generatorOptions(): GenerateOptions {
  return current;
}

/** Runs `fn` with `options` as the current options, and restores the previous ones. */
export function withOptions<T>(options: GenerateOptions, fn: () => T): T {
  const before = current;
  current = options;
  try {
    return fn();
  } finally {
    current = before;
  }
}

/** The brand of each branded scalar, and the name of its constructor in `support.ts`. */
export const BRANDS: Readonly<Record<string, { readonly brand: string; readonly constructor: string }>> = {
  uuid: { brand: "Uuid", constructor: "uuid" },
  timestamp: { brand: "Timestamp", constructor: "timestamp" },
  date: { brand: "CalendarDate", constructor: "calendarDate" },
  email: { brand: "Email", constructor: "email" },
  decimal: { brand: "Decimal", constructor: "decimal" },
};
