/**
 * The options of one `generate` call. Emitters read them through `generatorOptions()` while
 * `withOptions` runs (synchronously), so the emitters keep their signatures and `generate`
 * stays a pure function of its arguments.
 */

/** The options the emitters read while they run (the rest of `GenerateOptions` is passed to its emitters). */
export interface EmitOptions {
  /** See `GenerateOptions.brandedScalars` in generate.ts. */
  readonly brandedScalars?: boolean;
}

let current: EmitOptions = {};

/** The options of the `generate` call under way. */
export function generatorOptions(): EmitOptions {
  return current;
}

/** Runs `fn` with `options` as the current options, and restores the previous ones. */
export function withOptions<T>(options: EmitOptions, fn: () => T): T {
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
