/**
 * Append throughput of the runtime's event stores (events/s), batched (100 events per append)
 * and single (1 event per append), on SQLite (a temp file, WAL) and PostgreSQL (a database of
 * its own, dropped afterwards). Imports the built `packages/runtime/dist`.
 *
 *   node bench/runtime-store.mjs [results.json] [--quick]
 *
 * Prints a markdown table; writes the figures as JSON to the path given. Each measurement stops
 * at its event count or its time budget, whichever comes first, so a whole run stays within
 * about a minute. Appends use exact expected versions over 100 streams, as the command
 * pipeline does. Set EDA_BENCH_POSTGRES to another server URL (default: local, user postgres).
 * Importable: `runStoreBench({ quick })` resolves to `{ rows, markdown }`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN_URL = process.env.EDA_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const STREAMS = 100;
const TARGET_SQLITE_BATCHED = 50_000;

const RUN = randomBytes(4).toString("hex");

/** A realistic event: about 200 bytes of JSON (ids are cheap so that the store is what is measured). */
function event(n) {
  return {
    messageId: `${RUN}-${n}`,
    type: "OrderPlaced",
    version: 2,
    correlationId: "bench-correlation",
    causationId: "bench-command",
    metadata: { user: "bench" },
    payload: { orderId: `o-${n}`, customerId: `c-${n % 997}`, lines: [{ sku: "sku-1", qty: 2, price: 12.5 }], note: "bench" },
  };
}

/** Appends `perAppend` events at a time until `maxEvents` or `budgetMs`; returns events and seconds. */
async function measure(store, prefix, perAppend, maxEvents, budgetMs) {
  const positions = new Array(STREAMS).fill(null);
  let written = 0;
  let appends = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + budgetMs;
  while (written < maxEvents && Date.now() < deadline) {
    const s = appends % STREAMS;
    const batch = Array.from({ length: perAppend }, (_, i) => event(written + i));
    const current = positions[s];
    const expected = current === null ? { kind: "no-stream" } : { kind: "exact", position: current };
    const result = await store.append(`${prefix}-${s}`, batch, expected);
    positions[s] = result.lastPosition;
    written += perAppend;
    appends += 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events: written, appends, seconds, eventsPerSecond: written / seconds };
}

async function withPgDatabase(pg, fn) {
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

async function benchEngine(runtime, engine, url, quick) {
  const scale = quick ? 0.2 : 1;
  const plans = engine === "sqlite"
    ? [{ mode: "batched (100/append)", per: 100, max: 300_000 * scale, budget: 10_000 * scale },
       { mode: "single (1/append)", per: 1, max: 50_000 * scale, budget: 10_000 * scale }]
    : [{ mode: "batched (100/append)", per: 100, max: 100_000 * scale, budget: 12_000 * scale },
       { mode: "single (1/append)", per: 1, max: 10_000 * scale, budget: 12_000 * scale }];
  const rows = [];
  for (const plan of plans) {
    const store = await runtime.openStore(url);
    try {
      await measure(store, `warm-${plan.per}`, plan.per, plan.per * 20, 2_000); // statements, caches
      rows.push({ engine, mode: plan.mode, ...(await measure(store, `bench-${plan.per}`, plan.per, plan.max, plan.budget)) });
    } finally {
      await store.close();
    }
  }
  return rows;
}

/** Runs every measurement; resolves to `{ rows, markdown }`. */
export async function runStoreBench({ quick = false } = {}) {
  const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
  const pg = createRequire(path.join(root, "packages/runtime/package.json"))("pg");
  const dir = mkdtempSync(path.join(tmpdir(), "eda-bench-"));
  const rows = [];
  try {
    rows.push(...(await benchEngine(runtime, "sqlite", `sqlite:${path.join(dir, "bench.db")}`, quick)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    rows.push(...(await withPgDatabase(pg, (url) => benchEngine(runtime, "postgres", url, quick))));
  } catch (error) {
    rows.push({ engine: "postgres", mode: "—", error: error instanceof Error ? error.message : String(error) });
  }
  return { rows, markdown: toMarkdown(rows) };
}

function toMarkdown(rows) {
  const lines = ["| engine | appends | events | seconds | events/s | target |", "| --- | --- | ---: | ---: | ---: | --- |"];
  for (const r of rows) {
    if (r.error !== undefined) {
      lines.push(`| ${r.engine} | not measured: ${r.error} | | | | |`);
      continue;
    }
    const target = r.engine === "sqlite" && r.mode.startsWith("batched")
      ? `> ${TARGET_SQLITE_BATCHED.toLocaleString("en")}: ${r.eventsPerSecond > TARGET_SQLITE_BATCHED ? "pass" : "MISS"}`
      : "";
    lines.push(`| ${r.engine} | ${r.mode} | ${r.events.toLocaleString("en")} | ${r.seconds.toFixed(2)} | ${Math.round(r.eventsPerSecond).toLocaleString("en")} | ${target} |`);
  }
  return lines.join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith("--"));
  const { rows, markdown } = await runStoreBench({ quick: args.includes("--quick") });
  process.stdout.write(`## Runtime store: append throughput\n\n${markdown}\n`);
  if (out !== undefined) {
    const data = { benchmark: "runtime-store", date: new Date().toISOString(), node: process.version, targets: { sqliteBatchedEventsPerSecond: TARGET_SQLITE_BATCHED }, rows };
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  }
}
