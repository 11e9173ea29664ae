/**
 * The runtime's app benchmark, against the built `packages/runtime/dist` and the shop example
 * (generated into `bench/.out/shop`, with the example's handlers, bundled with esbuild):
 *
 * 1. Command throughput through `createApp` (`PlaceOrder`, a new stream each), on SQLite and
 *    PostgreSQL, with validation (every command parsed by its schema, every event by its current
 *    version's, sizes and U+0000 checked) as a ratio to the same path with validation switched off.
 *    The switch exists only here: the app gets the generated codec with its two validate functions
 *    replaced by identity. Rounds alternate the two, on one store; medians. Target ≥ 0.85×.
 * 2. `close()` of a started app with nothing in flight, per engine (memory, SQLite, PostgreSQL),
 *    median of five. Target ≤ 1 s.
 *
 *   node bench/runtime-app.mjs [results.json] [--quick]
 *
 * EDA_BENCH_POSTGRES names another server (default: local, user postgres).
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runtimeRequire = createRequire(path.join(root, "packages/runtime/package.json"));
const ADMIN_URL = process.env.EDA_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGET_RATIO = 0.85;
const TARGET_CLOSE_MS = 1_000;

/** The shop's generated codec and Order decider, bundled so that plain Node can load them. */
export async function shopModules() {
  const language = await import(pathToFileURL(path.join(root, "packages/language/dist/index.js")).href);
  const generator = await import(pathToFileURL(path.join(root, "packages/generator/dist/index.js")).href);
  const { build } = await import("esbuild");
  const shop = path.join(root, "examples/shop");
  const files = readdirSync(shop).filter((f) => f.endsWith(".eda")).map((f) => ({ path: f, text: readFileSync(path.join(shop, f), "utf8") }));
  const { model } = language.compile(files);
  const dir = path.join(root, "bench/.out/shop");
  rmSync(dir, { recursive: true, force: true });
  for (const f of generator.generate(model)) {
    mkdirSync(path.dirname(path.join(dir, "generated", f.path)), { recursive: true });
    writeFileSync(path.join(dir, "generated", f.path), f.content);
  }
  // The example's handlers import "../../generated/…": the same layout here.
  cpSync(path.join(shop, "handlers"), path.join(dir, "handlers"), { recursive: true });
  writeFileSync(path.join(dir, "entry.ts"), [
    'export { createCodec } from "./generated/codec.js";',
    'export { order } from "./handlers/ordering/order.js";',
    'export { orderingUpcasts } from "./handlers/ordering/upcasts.js";',
  ].join("\n"));
  const outfile = path.join(dir, "entry.bundle.mjs");
  await build({ entryPoints: [path.join(dir, "entry.ts")], bundle: true, format: "esm", platform: "node", outfile, external: ["@eda/runtime", "@eda/runtime/codec"], logLevel: "warning" });
  return import(pathToFileURL(outfile).href);
}

export function placeOrder(n) {
  const id = `3f1c2a9e-4b7d-4c1e-9a2b-${n.toString(16).padStart(12, "0")}`;
  return {
    type: "PlaceOrder",
    data: {
      orderId: id,
      customerId: "7d0e8f6a-1c2b-4d3e-8f4a-000000000001",
      lines: [{ sku: "MUG-BLUE", quantity: 2, unitPrice: { amountMinor: 1_250, currency: "EUR" } }, { sku: "TEA-EARL", quantity: 1, unitPrice: { amountMinor: 899, currency: "EUR" } }],
      shipTo: { line1: "1 Rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" },
      contactEmail: "ada@example.com",
    },
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Commands per second through createApp, validated and not, in alternating rounds on one store. */
async function throughput(runtime, shop, url, perRound, rounds) {
  const validated = shop.createCodec({ Ordering: shop.orderingUpcasts });
  const unvalidated = { ...validated, validateCommand: (c) => ({ ok: true, value: c }), validateEvent: (e) => ({ ok: true, value: e }) };
  const store = await runtime.openStore(url);
  let next = 1;
  const rates = { on: [], off: [] };
  try {
    for (let round = -1; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? ["on", "off"] : ["off", "on"]) {
        const codec = variant === "on" ? validated : unvalidated;
        const app = await runtime.createApp({ codec, routes: { PlaceOrder: { kind: "aggregate", decider: shop.order } }, projections: [] }, { store, bus: "memory:" });
        const started = process.hrtime.bigint();
        for (let i = 0; i < perRound; i++) {
          const outcome = await app.send(placeOrder(next++));
          if (outcome.status !== "accepted") throw new Error(`PlaceOrder ${outcome.status}`);
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        await app.close();
        if (round >= 0) rates[variant].push(perRound / seconds); // round -1 warms up
      }
    }
  } finally {
    await store.close();
  }
  return { on: median(rates.on), off: median(rates.off), commands: perRound * rounds };
}

/** Milliseconds `close()` takes on a started app with nothing in flight; median of `times`. */
async function closeTime(runtime, shop, url, times) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const app = await runtime.createApp({ codec: shop.createCodec({ Ordering: shop.orderingUpcasts }), routes: { PlaceOrder: { kind: "aggregate", decider: shop.order } }, projections: [] }, { store: url, bus: "memory:" });
    app.start();
    await app.send(placeOrder(1_000_000 + i));
    await app.settle();
    const started = performance.now();
    await app.close();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function withPgDatabase(fn) {
  const pg = runtimeRequire("pg");
  const name = `eda_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    try {
      return await fn(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/** Runs every measurement; resolves to `{ commands, close, markdown }`. */
export async function runAppBench({ quick = false } = {}) {
  const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
  const shop = await shopModules();
  const dir = mkdtempSync(path.join(tmpdir(), "eda-bench-app-"));
  const commands = [];
  const close = [];
  try {
    commands.push({ engine: "sqlite", ...(await throughput(runtime, shop, `sqlite:${path.join(dir, "t.db")}`, quick ? 300 : 2_000, quick ? 3 : 7)) });
    commands.push({ engine: "postgres", ...(await withPgDatabase((url) => throughput(runtime, shop, url, quick ? 60 : 300, quick ? 3 : 7))) });
    close.push({ engine: "memory", ms: await closeTime(runtime, shop, "memory:", 5) });
    close.push({ engine: "sqlite", ms: await closeTime(runtime, shop, `sqlite:${path.join(dir, "c.db")}`, 5) });
    close.push({ engine: "postgres", ms: await withPgDatabase((url) => closeTime(runtime, shop, url, 5)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { commands, close, markdown: `${commandTable(commands)}\n\n${closeTable(close)}` };
}

const fmt = (n) => Math.round(n).toLocaleString("en");

function commandTable(rows) {
  const lines = [
    "### Commands through `createApp` (`PlaceOrder`, validated vs validation off)",
    "",
    "| engine | commands per variant | validated: commands/s | validation off: commands/s | ratio | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    const ratio = r.on / r.off;
    lines.push(`| ${r.engine} | ${fmt(r.commands)} | ${fmt(r.on)} | ${fmt(r.off)} | ${ratio.toFixed(2)}× | ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? "pass" : "MISS"} |`);
  }
  return lines.join("\n");
}

function closeTable(rows) {
  const lines = ["### `close()` of a started app, nothing in flight (median of 5)", "", "| engine | ms | target |", "| --- | ---: | --- |"];
  for (const r of rows) lines.push(`| ${r.engine} | ${r.ms.toFixed(1)} | ≤ ${fmt(TARGET_CLOSE_MS)} ms: ${r.ms <= TARGET_CLOSE_MS ? "pass" : "MISS"} |`);
  return lines.join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith("--"));
  const { commands, close, markdown } = await runAppBench({ quick: args.includes("--quick") });
  process.stdout.write(`## Runtime: commands and lifecycle\n\n${markdown}\n`);
  if (out !== undefined) {
    const data = { benchmark: "runtime-app", date: new Date().toISOString(), node: process.version, targets: { validationRatio: TARGET_RATIO, closeMs: TARGET_CLOSE_MS }, commands, close };
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  }
}
