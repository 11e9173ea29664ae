/**
 * The runtime's event-store benchmark, against the built `packages/runtime/dist`:
 *
 * 1. Append throughput (events/s), batched (100 events per append) and single (1 per append),
 *    on SQLite (a temp file, WAL) and PostgreSQL (a database of its own, dropped afterwards).
 *    Appends use exact expected versions over 100 streams, as the command pipeline does.
 * 2. Replay on SQLite: 1,000,000 stored events of mixed versions (v1 and v2 of `OrderPlaced`)
 *    read in batches through `readAll`, `deserialize` (validate, upcast v1 → v2) and a
 *    projection's `apply`, as a ratio to a hand-written loop that only `JSON.parse`s the same
 *    rows, in the same run. Then the `ProjectionRunner` itself (rows and checkpoint committed
 *    per batch) over the first 250,000. The codec is the generator's own output for
 *    `bench/models/replay.eda` (Zod validation of the stored version, upcast, validation again).
 *    Beside it, `eda store verify` on the same file as a process, as a ratio to that replay path
 *    (target ≤ 2×); and `eda corpus check` of 100,000 fixtures synthesized from the same model
 *    (`eda corpus synth`, untimed), as a process, in the same ratio (target ≤ 2×).
 *
 *   node bench/runtime-store.mjs [results.json] [--quick]
 *
 * Prints markdown tables; writes the figures as JSON to the path given. Each append measurement
 * stops at its event count or its time budget, whichever comes first (about 1.5 minutes in all).
 * EDA_BENCH_POSTGRES names another server (default: local, user postgres).
 * Importable: `runStoreBench({ quick })` resolves to `{ rows, replay, markdown }`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runtimeRequire = createRequire(path.join(root, "packages/runtime/package.json"));
const ADMIN_URL = process.env.EDA_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const STREAMS = 100;
const TARGET_SQLITE_BATCHED = 50_000;
const TARGET_REPLAY_RATIO = 3;
const TARGET_VERIFY_RATIO = 2;
const TARGET_CORPUS_RATIO = 2;
const RUN = randomBytes(4).toString("hex");

/** A realistic event of about 200 bytes; every other one is the old version 1 (no currency). */
function event(n) {
  const v1 = n % 2 === 1;
  const payload = { orderId: `o-${n}`, customerId: `c-${n % 997}`, lines: [{ sku: "sku-1", qty: 2, price: 12.5 }], total: n % 100 };
  return {
    messageId: `${RUN}-${n}`,
    type: "OrderPlaced",
    version: v1 ? 1 : 2,
    correlationId: "bench-correlation",
    causationId: "bench-command",
    metadata: { user: "bench" },
    payload: v1 ? payload : { ...payload, currency: "EUR" },
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

async function withPgDatabase(fn) {
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

async function benchAppends(runtime, engine, url, quick) {
  const scale = quick ? 0.2 : 1;
  const plans = engine === "sqlite"
    ? [{ mode: "batched (100/append)", per: 100, max: 300_000 * scale, budget: 8_000 * scale },
       { mode: "single (1/append)", per: 1, max: 50_000 * scale, budget: 8_000 * scale }]
    : [{ mode: "batched (100/append)", per: 100, max: 100_000 * scale, budget: 10_000 * scale },
       { mode: "single (1/append)", per: 1, max: 10_000 * scale, budget: 8_000 * scale }];
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

/**
 * The real generated codec: `bench/models/replay.eda` (OrderPlaced v1 and v2, an upcast) is
 * compiled and generated, and its `codec.ts` bundled with esbuild so that plain Node can load it.
 */
async function generatedCodec() {
  const language = await import(pathToFileURL(path.join(root, "packages/language/dist/index.js")).href);
  const generator = await import(pathToFileURL(path.join(root, "packages/generator/dist/index.js")).href);
  const { build } = await import("esbuild");
  const source = readFileSync(path.join(root, "bench/models/replay.eda"), "utf8");
  const { model, diagnostics } = language.compile([{ path: "replay.eda", text: source }]);
  if (diagnostics.length > 0) throw new Error(`bench/models/replay.eda: ${diagnostics.map((d) => d.message).join("; ")}`);
  const dir = path.join(root, "bench/.out/replay");
  rmSync(dir, { recursive: true, force: true });
  for (const f of generator.generate(model)) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  const outfile = path.join(dir, "codec.bundle.mjs");
  await build({ entryPoints: [path.join(dir, "codec.ts")], bundle: true, format: "esm", platform: "node", outfile, logLevel: "warning" });
  const { createCodec } = await import(pathToFileURL(outfile).href);
  return createCodec();
}

/**
 * `eda store verify` on the replay file, as a process (start-up, tsx loading the generated codec,
 * then readAll + deserialize of every event); resolves with the events it verified.
 */
async function verifyProcess(file) {
  const { spawnSync } = await import("node:child_process");
  const bin = path.join(root, "packages/cli/bin/eda.js");
  const codec = path.join(root, "bench/.out/replay/codec.ts");
  const r = spawnSync(process.execPath, [bin, "store", "verify", "--store", `sqlite:${file}`, "--codec", codec], { cwd: root, encoding: "utf8" });
  const m = /^verified ([\d,]+) events?: every one reads$/m.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`eda store verify: exit ${r.status}: ${r.stdout}${r.stderr}`);
  return Number(m[1].replaceAll(",", ""));
}

/**
 * `eda corpus check` of `samples` fixtures of the replay model, as a process; the fixtures are
 * made first with `eda corpus synth` (untimed). Resolves with the time of the check and the
 * samples it read.
 */
async function corpusProcess(samples) {
  const { spawnSync } = await import("node:child_process");
  const bin = path.join(root, "packages/cli/bin/eda.js");
  const out = path.join(root, "bench/.out/replay-corpus");
  rmSync(out, { recursive: true, force: true });
  const synth = spawnSync(process.execPath, [bin, "corpus", "synth", "bench/models/replay.eda", "--out", out, "--count", String(samples / 2)], { cwd: root, encoding: "utf8" });
  if (synth.status !== 0) throw new Error(`eda corpus synth: exit ${synth.status}: ${synth.stdout}${synth.stderr}`);
  const codec = path.join(root, "bench/.out/replay/codec.ts");
  const timed = await seconds(() => spawnSync(process.execPath, [bin, "corpus", "check", out, "--codec", codec], { cwd: root, encoding: "utf8" }));
  const m = /^checked ([\d,]+) samples? in [\d,]+ fixtures?: every one reads$/m.exec(timed.result.stdout);
  if (timed.result.status !== 0 || !m) throw new Error(`eda corpus check: exit ${timed.result.status}: ${timed.result.stdout.slice(0, 300)}${timed.result.stderr}`);
  rmSync(out, { recursive: true, force: true });
  return { events: Number(m[1].replaceAll(",", "")), seconds: timed.seconds };
}

/** Orders and revenue per customer, as a generated projection's `apply` would fold them. */
const projection = {
  name: "CustomerRevenue",
  events: ["OrderPlaced"],
  keyOf: (e) => e.data.customerId,
  initialRow: (customerId) => ({ customerId, orders: 0, revenue: 0 }),
  apply: (row, e) => ({ ...row, orders: row.orders + 1, revenue: row.revenue + e.data.total }),
};

async function seconds(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Replays `total` events of the SQLite file: hand loop, runtime path, then the runner. */
async function benchReplay(runtime, file, total, runnerEvents) {
  const codec = await generatedCodec();
  const store = await runtime.openStore(`sqlite:${file}`);
  try {
    let head = await store.headPosition();
    while (head < total) {
      const size = Math.min(1000, total - head);
      await store.append(`fill-${head}`, Array.from({ length: size }, (_, i) => event(head + i)), { kind: "no-stream" });
      head += size;
    }
    const Sqlite = runtimeRequire("better-sqlite3");
    const db = new Sqlite(file, { readonly: true });
    const select = db.prepare("SELECT global_position, payload FROM eda_events WHERE global_position >= ? ORDER BY global_position LIMIT ?");
    const hand = await seconds(() => {
      let from = 1;
      let parsed = 0;
      for (let rows = select.all(from, 1000); rows.length > 0; rows = select.all(from, 1000)) {
        for (const row of rows) if (JSON.parse(row.payload) !== null) parsed += 1;
        from = rows[rows.length - 1].global_position + 1;
      }
      return parsed;
    });
    db.close();
    const runtimePath = await seconds(async () => {
      const rows = new Map();
      let from = 1;
      for (let batch = await store.readAll(from, 1000); batch.length > 0; batch = await store.readAll(from, 1000)) {
        for (const stored of batch) {
          const e = codec.deserialize(stored);
          const key = projection.keyOf(e);
          rows.set(key, projection.apply(rows.get(key) ?? projection.initialRow(key), e));
        }
        from = batch[batch.length - 1].globalPosition + 1;
      }
      return rows.size;
    });
    const controller = new AbortController();
    const runner = new runtime.ProjectionRunner(store, codec, projection, {
      batchSize: 1000,
      onBatch: (report) => report.checkpoint >= runnerEvents && controller.abort(),
    });
    const persisted = await seconds(() => runner.catchUp(controller.signal));
    const verify = await seconds(() => verifyProcess(file));
    const corpus = await corpusProcess(total / 10);
    return { hand: { events: hand.result, seconds: hand.seconds }, runtime: { events: head, seconds: runtimePath.seconds },
      runner: { events: persisted.result, seconds: persisted.seconds }, verify: { events: verify.result, seconds: verify.seconds }, corpus };
  } finally {
    await store.close();
  }
}

/** Runs every measurement; resolves to `{ rows, replay, markdown }`. */
export async function runStoreBench({ quick = false } = {}) {
  const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
  const dir = mkdtempSync(path.join(tmpdir(), "eda-bench-"));
  const file = path.join(dir, "bench.db");
  const rows = [];
  let replay;
  try {
    rows.push(...(await benchAppends(runtime, "sqlite", `sqlite:${file}`, quick)));
    replay = await benchReplay(runtime, file, quick ? 200_000 : 1_000_000, quick ? 50_000 : 250_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    rows.push(...(await withPgDatabase((url) => benchAppends(runtime, "postgres", url, quick))));
  } catch (error) {
    rows.push({ engine: "postgres", mode: "—", error: error instanceof Error ? error.message : String(error) });
  }
  return { rows, replay, markdown: `${appendTable(rows)}\n\n${replayTable(replay)}` };
}

const fmt = (n) => Math.round(n).toLocaleString("en");

function appendTable(rows) {
  const lines = ["### Append throughput", "", "| engine | appends | events | seconds | events/s | target |", "| --- | --- | ---: | ---: | ---: | --- |"];
  for (const r of rows) {
    if (r.error !== undefined) {
      lines.push(`| ${r.engine} | not measured: ${r.error} | | | | |`);
      continue;
    }
    const target = r.engine === "sqlite" && r.mode.startsWith("batched")
      ? `> ${fmt(TARGET_SQLITE_BATCHED)}: ${r.eventsPerSecond > TARGET_SQLITE_BATCHED ? "pass" : "MISS"}`
      : "";
    lines.push(`| ${r.engine} | ${r.mode} | ${fmt(r.events)} | ${r.seconds.toFixed(2)} | ${fmt(r.eventsPerSecond)} | ${target} |`);
  }
  return lines.join("\n");
}

function replayTable(replay) {
  const rate = (m) => m.events / m.seconds;
  const handRate = rate(replay.hand);
  const ratio = (m) => handRate / rate(m);
  const runtimeRatio = ratio(replay.runtime);
  const target = `≤ ${TARGET_REPLAY_RATIO}×: ${runtimeRatio <= TARGET_REPLAY_RATIO ? "pass" : "MISS"}`;
  return [
    "### Replay on SQLite (mixed v1/v2 events)",
    "",
    "| path | events | seconds | events/s | time vs hand loop | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    `| hand loop: SELECT payload + JSON.parse | ${fmt(replay.hand.events)} | ${replay.hand.seconds.toFixed(2)} | ${fmt(handRate)} | 1.00× | |`,
    `| readAll + deserialize (upcast) + apply | ${fmt(replay.runtime.events)} | ${replay.runtime.seconds.toFixed(2)} | ${fmt(rate(replay.runtime))} | ${runtimeRatio.toFixed(2)}× | ${target} |`,
    `| ProjectionRunner (rows + checkpoint per 1,000) | ${fmt(replay.runner.events)} | ${replay.runner.seconds.toFixed(2)} | ${fmt(rate(replay.runner))} | ${ratio(replay.runner).toFixed(2)}× | |`,
    `| \`eda store verify\` (a process: start-up, tsx, readAll + deserialize) | ${fmt(replay.verify.events)} | ${replay.verify.seconds.toFixed(2)} | ${fmt(rate(replay.verify))} | ${ratio(replay.verify).toFixed(2)}× | ${verifyTarget(replay)} |`,
    `| \`eda corpus check\` of synthesized fixtures (a process: start-up, tsx, read + deserialize) | ${fmt(replay.corpus.events)} | ${replay.corpus.seconds.toFixed(2)} | ${fmt(rate(replay.corpus))} | ${ratio(replay.corpus).toFixed(2)}× | ${corpusTarget(replay)} |`,
  ].join("\n");
}

/** \`eda store verify\` within 2× the time of the runtime's replay path (readAll + deserialize + apply). */
function verifyTarget(replay) {
  const times = replay.verify.seconds / replay.verify.events / (replay.runtime.seconds / replay.runtime.events);
  return `≤ ${TARGET_VERIFY_RATIO}× the replay row: ${times.toFixed(2)}×, ${times <= TARGET_VERIFY_RATIO ? "pass" : "MISS"}`;
}

/** \`eda corpus check\` within 2× the time per event of the runtime's replay path. */
function corpusTarget(replay) {
  const times = replay.corpus.seconds / replay.corpus.events / (replay.runtime.seconds / replay.runtime.events);
  return `≤ ${TARGET_CORPUS_RATIO}× the replay row: ${times.toFixed(2)}×, ${times <= TARGET_CORPUS_RATIO ? "pass" : "MISS"}`;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith("--"));
  const { rows, replay, markdown } = await runStoreBench({ quick: args.includes("--quick") });
  process.stdout.write(`## Runtime: event stores and replay\n\n${markdown}\n`);
  if (out !== undefined) {
    const targets = { sqliteBatchedEventsPerSecond: TARGET_SQLITE_BATCHED, replayRatio: TARGET_REPLAY_RATIO, verifyRatio: TARGET_VERIFY_RATIO, corpusRatio: TARGET_CORPUS_RATIO };
    const data = { benchmark: "runtime-store", date: new Date().toISOString(), node: process.version, targets, rows, replay };
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  }
}
