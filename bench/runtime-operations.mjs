/**
 * The operations benchmark: the command path of a started app (relay running, so every event is
 * published and counted) with metrics on — `metricsEndpoint` serving `/metrics` through
 * OpenTelemetry, lag and parked counts sampled — against the same app with metrics off, on
 * SQLite and PostgreSQL. `PlaceOrder` commands, then `settle()` so the publications are inside
 * the timing; rounds alternate the two variants on one store; medians. Target ≥ 0.9×. The
 * metrics page is scraped once per metrics-on round, to be sure it is served.
 *
 *   node bench/runtime-operations.mjs [results.json] [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, placeOrder, shopModules, withPgDatabase } from "./runtime-app.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_RATIO = 0.9;

/** Commands per second (sent and published) with metrics on and off, alternating rounds on one store. */
async function throughput(runtime, shop, url, perRound, rounds) {
  const codec = shop.createCodec({ Ordering: shop.orderingUpcasts });
  const model = { codec, routes: { PlaceOrder: { kind: "aggregate", decider: shop.order } }, projections: [] };
  const store = await runtime.openStore(url);
  let next = 1;
  const rates = { on: [], off: [] };
  try {
    for (let round = -1; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? ["on", "off"] : ["off", "on"]) {
        const options = variant === "on" ? { store, bus: "memory:", metricsEndpoint: { port: 0 } } : { store, bus: "memory:" };
        const app = await runtime.createApp(model, options);
        app.start();
        const started = process.hrtime.bigint();
        for (let i = 0; i < perRound; i++) {
          const outcome = await app.send(placeOrder(next++));
          if (outcome.status !== "accepted") throw new Error(`PlaceOrder ${outcome.status}`);
        }
        await app.settle();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (variant === "on") {
          const page = await (await fetch(app.metricsUrl)).text();
          if (!page.includes("messaging_client_sent_messages_total")) throw new Error("the metrics page lacks the publications");
        }
        await app.close();
        if (round >= 0) rates[variant].push(perRound / seconds); // round -1 warms up
      }
    }
  } finally {
    await store.close();
  }
  return { on: median(rates.on), off: median(rates.off), commands: perRound * rounds };
}

/** Runs both engines; resolves to `{ commands, markdown }`. */
export async function runOperationsBench({ quick = false } = {}) {
  const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
  const shop = await shopModules();
  const dir = mkdtempSync(path.join(tmpdir(), "eda-bench-operations-"));
  const commands = [];
  try {
    commands.push({ engine: "sqlite", ...(await throughput(runtime, shop, `sqlite:${path.join(dir, "t.db")}`, quick ? 300 : 2_000, quick ? 3 : 7)) });
    commands.push({ engine: "postgres", ...(await withPgDatabase((url) => throughput(runtime, shop, url, quick ? 60 : 300, quick ? 3 : 7))) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { commands, markdown: table(commands) };
}

const fmt = (n) => Math.round(n).toLocaleString("en");

function table(rows) {
  const lines = [
    "### The command path of a started app, metrics on (`metricsEndpoint`) vs off",
    "",
    "| engine | commands per variant | metrics on: commands/s | metrics off: commands/s | ratio | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    const ratio = r.on / r.off;
    lines.push(`| ${r.engine} | ${fmt(r.commands)} | ${fmt(r.on)} | ${fmt(r.off)} | ${ratio.toFixed(2)}× | ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? "pass" : "MISS"} |`);
  }
  return lines.join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith("--"));
  const { commands, markdown } = await runOperationsBench({ quick: args.includes("--quick") });
  process.stdout.write(`## Operations: metrics on the command path\n\n${markdown}\n`);
  if (out !== undefined) {
    const data = { benchmark: "runtime-operations", date: new Date().toISOString(), node: process.version, targets: { metricsRatio: TARGET_RATIO }, commands };
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  }
}
