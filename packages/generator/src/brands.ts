/** The branded scalars (`GenerateOptions.brandedScalars`): each scalar's brand and its constructor in `support.ts`. */

/** The brand of each branded scalar, and the name of its constructor in `support.ts`. */
export const BRANDS: Readonly<Record<string, { readonly brand: string; readonly constructor: string }>> = {
  uuid: { brand: "Uuid", constructor: "uuid" },
  timestamp: { brand: "Timestamp", constructor: "timestamp" },
  date: { brand: "CalendarDate", constructor: "calendarDate" },
  email: { brand: "Email", constructor: "email" },
  decimal: { brand: "Decimal", constructor: "decimal" },
};
