/**
 * The summary of paired ratios (`commands.mjs`): each ratio compares two blocks run next to each
 * other, so the load of the moment divides out; their median is the figure.
 */

/** The q-quantile (0–1) of sorted values, interpolated between the two nearest ranks. */
export function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * A 95 % confidence interval of the median without assuming a distribution: the order statistics
 * whose ranks lie 1.96 standard deviations of a Binomial(n, ½) count either side of n/2.
 */
export function medianInterval(sorted) {
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lowRank = Math.max(1, Math.floor(n / 2 - half));
  const highRank = Math.min(n, Math.ceil(1 + n / 2 + half));
  return { low: sorted[lowRank - 1], high: sorted[highRank - 1] };
}

/** `{ ratio, q1, q3, low, high, pairs }`: median, interquartile range and the median's 95 % interval. */
export function pairedSummary(ratios) {
  if (ratios.length === 0) throw new Error("pairedSummary: no pairs");
  const sorted = [...ratios].sort((a, b) => a - b);
  return {
    ratio: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    ...medianInterval(sorted),
    pairs: sorted.length,
  };
}
