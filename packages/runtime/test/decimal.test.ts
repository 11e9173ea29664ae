/** `@eda/runtime/decimal` against decimal.js at a precision where it is exact, and by hand. */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abs, add, compare, DecimalError, div, equals, mul, neg, normalize, round, sub, sum, toFixed, type Rounding } from "../src/decimal.js";

const Exact = Decimal.clone({ precision: 1000, toExpNeg: -9e15, toExpPos: 9e15 });
const MODES: Record<Rounding, Decimal.Rounding> = { "half-even": Decimal.ROUND_HALF_EVEN, "half-up": Decimal.ROUND_HALF_UP, down: Decimal.ROUND_DOWN, up: Decimal.ROUND_UP, floor: Decimal.ROUND_FLOOR, ceiling: Decimal.ROUND_CEIL };

/** Plain-notation decimals, with leading and trailing zeros, up to 40 digits a side. */
const decimalText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,40}$/), fc.option(fc.stringMatching(/^\d{1,40}$/), { nil: undefined }))
  .map(([minus, whole, fraction]) => `${minus ? "-" : ""}${whole}${fraction === undefined ? "" : `.${fraction}`}`);

const ref = (s: string): string => new Exact(s).toFixed();

describe("decimal arithmetic is exact", () => {
  it("add, sub, mul, compare, normalize agree with decimal.js at 1000 digits", () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(add(a, b)).toBe(ref(new Exact(a).plus(b).toFixed()));
        expect(sub(a, b)).toBe(ref(new Exact(a).minus(b).toFixed()));
        expect(mul(a, b)).toBe(ref(new Exact(a).times(b).toFixed()));
        expect(compare(a, b)).toBe(new Exact(a).comparedTo(b));
        expect(normalize(a)).toBe(ref(a));
      }),
      { numRuns: 500 },
    );
  });

  it("div and round agree with decimal.js in every rounding mode", () => {
    const mode = fc.constantFrom(...(Object.keys(MODES) as Rounding[]));
    fc.assert(
      fc.property(decimalText, decimalText, fc.integer({ min: 0, max: 30 }), mode, (a, b, places, m) => {
        expect(round(a, places, m)).toBe(ref(new Exact(a).toDecimalPlaces(places, MODES[m]).toFixed()));
        if (new Exact(b).isZero()) return;
        expect(div(a, b, places, m)).toBe(ref(new Exact(a).div(b).toDecimalPlaces(places, MODES[m]).toFixed()));
      }),
      { numRuns: 500 },
    );
  });

  it("has value equality and one spelling", () => {
    expect(equals("9.9", "9.90")).toBe(true);
    expect(equals("-0", "0.000")).toBe(true);
    expect(equals("9.9", "9.91")).toBe(false);
    expect(normalize("0009.900")).toBe("9.9");
    expect(normalize("-0.00")).toBe("0");
    expect(add("0.1", "0.2")).toBe("0.3");
    expect(sum(["19.99", "0.01", "5.10"])).toBe("25.1");
    expect(sum([])).toBe("0");
    expect(mul("19.99", "3")).toBe("59.97");
    expect(neg("1.50")).toBe("-1.5");
    expect(abs("-0.5")).toBe("0.5");
    expect(div("10", "3", 2)).toBe("3.33");
    expect(round("2.345", 2)).toBe("2.34");
    expect(round("2.345", 2, "half-up")).toBe("2.35");
    expect(toFixed("9.9", 2)).toBe("9.90");
    expect(toFixed("-1", 2)).toBe("-1.00");
    expect(toFixed("1.005", 0)).toBe("1");
  });

  it("refuses what is not a plain-notation decimal, and division by zero", () => {
    for (const bad of ["", "1e3", "1.", ".5", "+1", " 1", "NaN", "Infinity", "1,5", "0x10"]) expect(() => add(bad, "1"), bad).toThrow(DecimalError);
    expect(() => add(12 as unknown as string, "1")).toThrow(DecimalError);
    expect(() => div("1", "0.00", 2)).toThrow(DecimalError);
    expect(() => round("1", -1)).toThrow(DecimalError);
  });
});
