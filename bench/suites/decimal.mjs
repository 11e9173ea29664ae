/**
 * Decimal arithmetic for `decimal` values (strings on the wire): the runtime's BigInt module
 * (`@eda/runtime/decimal`) against decimal.js and big.js, on
 * - speed: a cart total (1,000 lines of quantity × unit price, summed, compared with the
 *   expected total), strings in and strings out as handlers use them, in-process medians, as a
 *   ratio to the same loop in floating-point numbers (inexact, the baseline) timed beside them;
 * - size: each bundled by esbuild (minified, gzip) with only the functions the loop uses;
 * - exactness: cases a money domain meets (sums of cents, products of long values, division
 *   to places, equality of `9.9` and `9.90`), each checked against decimal.js at 1,000 digits.
 * decimal.js and big.js are used with their default settings, as a user would start.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { timeInProcess } from "../lib/measure.mjs";

const LINES = 1_000;

/** @type {import("../run.mjs").Suite} */
export const decimalSuite = {
  id: "decimal",
  title: "Decimals: the runtime's BigInt module against decimal.js and big.js (speed, size, exactness)",
  async run(env) {
    const require = createRequire(path.join(env.root, "package.json"));
    const eda = await import(pathToFileURL(path.join(env.root, "packages/runtime/dist/decimal.js")).href);
    const Decimal = require("decimal.js");
    const Big = require("big.js");
    const Exact = Decimal.clone({ precision: 1000, toExpNeg: -9e15, toExpPos: 9e15 });
    const impls = implementations(eda, Decimal, Big);
    const lines = Array.from({ length: LINES }, (_, i) => ({ quantity: String(1 + (i % 7)), unitPrice: `${(i * 37) % 500}.${String((i * 13) % 100).padStart(2, "0")}` }));
    const expected = lines.reduce((t, l) => t.plus(new Exact(l.unitPrice).times(l.quantity)), new Exact(0)).toFixed();
    env.log("decimal: timing cart totals …");
    const fns = Object.fromEntries(Object.entries(impls).map(([id, impl]) => [id, () => cartTotal(impl, lines, expected)]));
    const times = timeInProcess(fns, env.quick ? { minRuns: 5, budgetMs: 500 } : { minRuns: 15, budgetMs: 4000 });
    env.log("decimal: bundling …");
    const sizes = await bundleSizes(env.root);
    const cases = exactnessCases(Exact);
    const rows = [];
    const data = {};
    for (const [id, impl] of Object.entries(impls)) {
      const correct = cases.filter((c) => safely(() => c.run(impl)) === c.expected).length;
      const ratio = times[id].medianMs / times.number.medianMs;
      data[id] = { medianMs: times[id].medianMs, ratioToNumber: ratio, gzipBytes: sizes[id] ?? 0, exact: correct, cases: cases.length };
      rows.push({ benchmark: `${impl.label}: ${LINES}-line cart total`, figure: `${times[id].medianMs.toFixed(3)} ms (${ratio.toFixed(1)}× numbers)` });
      if (id !== "number") rows.push({ benchmark: `${impl.label}: bundle, minified + gzip`, figure: `${((sizes[id] ?? 0) / 1024).toFixed(1)} kB` });
      rows.push({ benchmark: `${impl.label}: exact cases`, figure: `${correct} / ${cases.length}`, ...(id === "eda" ? { target: `${cases.length} / ${cases.length}`, pass: correct === cases.length } : {}) });
    }
    const wrong = Object.fromEntries(Object.entries(impls).map(([id, impl]) => [id, cases.filter((c) => safely(() => c.run(impl)) !== c.expected).map((c) => c.name)]));
    const notes = Object.entries(wrong)
      .filter(([, names]) => names.length > 0)
      .map(([id, names]) => `${impls[id].label} misses: ${names.join("; ")}.`);
    return { rows, notes, data };
  },
};

function safely(fn) {
  try {
    return fn();
  } catch (e) {
    return `throws ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** One interface over each library: strings in, strings out. */
function implementations(eda, Decimal, Big) {
  return {
    number: { label: "numbers (float, inexact)", add: (a, b) => String(Number(a) + Number(b)), mul: (a, b) => String(Number(a) * Number(b)), div: (a, b, p) => String(Number((Number(a) / Number(b)).toFixed(p))), equals: (a, b) => Number(a) === Number(b) },
    eda: { label: "@eda/runtime/decimal (BigInt)", add: eda.add, mul: eda.mul, div: (a, b, p) => eda.div(a, b, p), equals: eda.equals },
    decimaljs: { label: "decimal.js 10", add: (a, b) => new Decimal(a).plus(b).toFixed(), mul: (a, b) => new Decimal(a).times(b).toFixed(), div: (a, b, p) => new Decimal(a).div(b).toDecimalPlaces(p, Decimal.ROUND_HALF_EVEN).toFixed(), equals: (a, b) => new Decimal(a).eq(b) },
    bigjs: { label: "big.js 7", add: (a, b) => new Big(a).plus(b).toFixed(), mul: (a, b) => new Big(a).times(b).toFixed(), div: (a, b, p) => new Big(a).div(b).round(p, 2).toFixed(), equals: (a, b) => new Big(a).eq(b) },
  };
}

function cartTotal(impl, lines, expected) {
  let total = "0";
  for (const l of lines) total = impl.add(total, impl.mul(l.unitPrice, l.quantity));
  return impl.equals(total, expected);
}

/** Cases with their exact answers (decimal.js at 1,000 digits, half-even for divisions). */
function exactnessCases(Exact) {
  const sum = (...xs) => xs.reduce((t, x) => t.plus(x), new Exact(0)).toFixed();
  const big = "98765432109876543210.123456789";
  const other = "12345678901234567890.987654321";
  return [
    { name: "0.1 + 0.2", run: (i) => i.add("0.1", "0.2"), expected: "0.3" },
    { name: "19.99 × 3", run: (i) => i.mul("19.99", "3"), expected: "59.97" },
    { name: "a thousand 0.01 added", run: (i) => Array.from({ length: 1000 }, () => "0.01").reduce((t, x) => i.add(t, x), "0"), expected: "10" },
    { name: "9007199254740993 + 1 (beyond 2^53)", run: (i) => i.add("9007199254740993", "1"), expected: "9007199254740994" },
    { name: "a sum of 30-digit values", run: (i) => i.add(big, other), expected: sum(big, other) },
    { name: "a product of 30-digit values", run: (i) => i.mul(big, other), expected: new Exact(big).times(other).toFixed() },
    { name: "1 / 3 to 2 places", run: (i) => i.div("1", "3", 2), expected: "0.33" },
    { name: "2.5 / 1 to 0 places (half-even)", run: (i) => i.div("2.5", "1", 0), expected: "2" },
    { name: "1 / 7 to 30 places", run: (i) => i.div("1", "7", 30), expected: new Exact(1).div(7).toDecimalPlaces(30, Exact.ROUND_HALF_EVEN).toFixed() },
    { name: "9.9 equals 9.90", run: (i) => String(i.equals("9.9", "9.90")), expected: "true" },
    { name: "0.3 equals 0.1 + 0.2", run: (i) => String(i.equals(i.add("0.1", "0.2"), "0.3")), expected: "true" },
  ];
}

/** Each implementation bundled alone by esbuild, minified, then gzipped: bytes. */
async function bundleSizes(root) {
  const { build } = await import(pathToFileURL(createRequire(path.join(root, "package.json")).resolve("esbuild")).href);
  const entries = {
    eda: `export { add, mul, div, equals } from ${JSON.stringify(path.join(root, "packages/runtime/dist/decimal.js"))};`,
    decimaljs: 'export { default } from "decimal.js";',
    bigjs: 'export { default } from "big.js";',
  };
  const sizes = {};
  for (const [id, contents] of Object.entries(entries)) {
    const out = await build({ stdin: { contents, resolveDir: root, loader: "js" }, bundle: true, minify: true, format: "esm", write: false, platform: "neutral", mainFields: ["module", "main"] });
    sizes[id] = gzipSync(out.outputFiles[0].contents).length;
  }
  return sizes;
}
