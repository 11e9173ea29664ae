/** The paired-ratio summary of the scale-out benchmark (`bench/scaleout/paired.mjs`). */
import { describe, expect, it } from "vitest";
import { medianInterval, pairedSummary, quantile } from "../../bench/scaleout/paired.mjs";

describe("paired ratios", () => {
  it("interpolates quantiles between ranks", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10], 0.75)).toBe(10);
  });

  it("gives the median's interval from order statistics, clamped to the sample", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    // n = 100: ranks floor(50 - 9.8) = 40 and ceil(51 + 9.8) = 61.
    expect(medianInterval(sorted)).toEqual({ low: 40, high: 61 });
    expect(medianInterval([3])).toEqual({ low: 3, high: 3 });
  });

  it("summarises unsorted ratios, an outlier moving neither the median nor the quartiles much", () => {
    const ratios = [0.9, 1.1, 0.95, 1.05, 1.0, 0.97, 1.03, 25];
    const s = pairedSummary(ratios);
    expect(s.pairs).toBe(8);
    expect(s.ratio).toBeCloseTo(1.015, 6);
    expect(s.q1).toBeCloseTo(0.965, 6);
    expect(s.q3).toBeCloseTo(1.0625, 6);
    expect(s.low).toBe(0.9);
    expect(s.high).toBe(25);
    expect(() => pairedSummary([])).toThrow("no pairs");
  });
});
