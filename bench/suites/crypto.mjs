/**
 * Crypto-shredding's cost (`encryptedStore`): events carrying two `@pii(subject)` fields
 * (an e-mail and a phone, sealed together with ChaCha20-Poly1305 under a key per customer, keys in the store's
 * own `eda_subject_keys` table), appended in batches of 100 and replayed through `readAll` +
 * `deserialize`, on SQLite and PostgreSQL, as a ratio of the encrypted path's throughput to the
 * same store without encryption. One customer per 10 events, so a replay looks up one key per
 * 10 events (each once, then cached). Rounds alternate plain and encrypted on fresh stores,
 * after a round of each that is not counted; medians. Goal ≥ 0.7×. On SQLite, whose work is all
 * in this process, the figure also gives the ratio of CPU time (process.cpuUsage, all threads),
 * which a loaded machine blurs less.
 *
 * Beside it, the path users take: the shop's `PlaceOrder` commands through `createApp` (its
 * `OrderPlaced` carries `contactEmail @pii(customerId)`; one customer per 10 orders), with
 * encryption on (the default: keys in the store's own database) against `encryption: false`, on
 * one store per engine, alternating rounds, medians.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "../lib/measure.mjs";
import { placeOrder, shopModules, withPgDatabase } from "../runtime-app.mjs";

const ADMIN_URL = process.env.EDA_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GOAL = 0.7;

/** @type {import("../run.mjs").Suite} */
export const cryptoSuite = { id: "crypto", title: "Runtime: crypto-shredding of @pii(subject) fields (`bench/suites/crypto.mjs`)", run };

async function run(env) {
  const runtime = await import(pathToFileURL(path.join(env.root, "packages/runtime/dist/index.js")).href);
  const { z } = await import(pathToFileURL(createRequire(path.join(env.root, "package.json")).resolve("zod")).href);
  const table = {
    events: {
      CustomerOrdered: {
        current: 1,
        versions: {
          1: {
            schema: z.object({
              orderId: z.string(),
              customerId: z.string(),
              lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
              email: z.string().or(z.literal("[forgotten]")),
              phone: z.string().optional(),
            }),
            encrypt: { subject: "customerId", fields: { email: "placeholder", phone: "absent" } },
          },
        },
      },
    },
    commands: {},
  };
  const codec = runtime.createCodec(table, {});
  const events = env.quick ? 2_000 : 10_000;
  const rounds = env.quick ? 3 : 7;
  const rows = [];
  const data = { events, rounds };
  for (const engine of ["sqlite", "postgres"]) {
    env.log(`crypto: ${engine}, ${events} events × ${rounds} rounds`);
    const times = { plainAppend: [], sealedAppend: [], plainReplay: [], sealedReplay: [] };
    const cpu = { plainAppend: [], sealedAppend: [], plainReplay: [], sealedReplay: [] };
    // Round -1 warms both paths up (the JIT, the driver's statements, sodium-native's loading) and is not counted.
    for (let r = -1; r < rounds; r++) {
      for (const sealed of r % 2 === 0 ? [false, true] : [true, false]) {
        const place = await freshPlace(engine);
        try {
          const inner = await runtime.openStore(place.url);
          const store = sealed ? runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner)) : inner;
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < events; i += 100) {
            const batch = [];
            for (let j = i; j < i + 100; j++) batch.push(event(j));
            await store.append(`Order-${i}`, batch, { kind: "no-stream" });
          }
          const t1 = performance.now();
          const c1 = process.cpuUsage();
          // Replay as a restarted process would: a new store, no key cached.
          const reader = sealed ? runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner)) : inner;
          let read = 0;
          for (let from = 1; ; ) {
            const batch = await reader.readAll(from, 1_000);
            if (batch.length === 0) break;
            for (const e of batch) codec.deserialize(e);
            read += batch.length;
            from = batch.at(-1).globalPosition + 1;
          }
          const t2 = performance.now();
          const c2 = process.cpuUsage();
          if (read !== events) throw new Error(`replayed ${read} of ${events} events`);
          await inner.close();
          if (r < 0) continue;
          times[sealed ? "sealedAppend" : "plainAppend"].push(t1 - t0);
          times[sealed ? "sealedReplay" : "plainReplay"].push(t2 - t1);
          cpu[sealed ? "sealedAppend" : "plainAppend"].push(cpuMs(c0, c1));
          cpu[sealed ? "sealedReplay" : "plainReplay"].push(cpuMs(c1, c2));
        } finally {
          await place.drop();
        }
      }
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const c = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
    data[engine] = { ...m, cpuMs: c };
    for (const [what, key] of [["append (batches of 100)", "Append"], ["replay (readAll + deserialize)", "Replay"]]) {
      const [plain, sealedMs] = [m[`plain${key}`], m[`sealed${key}`]];
      const ratio = plain / sealedMs;
      // SQLite works in this process: its CPU time is the cost, less blurred by a loaded machine
      // than wall time. PostgreSQL's work is mostly the server's, so wall time only.
      const cpuRatio = engine === "sqlite" ? `; CPU time ${(c[`plain${key}`] / c[`sealed${key}`]).toFixed(2)}×` : "";
      rows.push({
        benchmark: `${engine}: ${what}, encrypted vs plain`,
        figure: `${ratio.toFixed(2)}× (${Math.round((events / sealedMs) * 1000).toLocaleString("en")} vs ${Math.round((events / plain) * 1000).toLocaleString("en")} events/s${cpuRatio})`,
        target: `≥ ${GOAL}×`,
        pass: ratio >= GOAL,
      });
    }
  }
  const shop = await shopModules();
  const perRound = env.quick ? 200 : 1_000;
  for (const engine of ["sqlite", "postgres"]) {
    env.log(`crypto: commands through createApp on ${engine}`);
    const measure = (url) => commandRates(runtime, shop, url, engine === "sqlite" ? perRound : perRound / 4, rounds);
    const rates = engine === "sqlite" ? await inTempDir((dir) => measure(`sqlite:${path.join(dir, "app.db")}`)) : await withPgDatabase(measure);
    data[`${engine}App`] = rates;
    const ratio = rates.sealed / rates.plain;
    rows.push({
      benchmark: `${engine}: PlaceOrder through createApp, encrypted vs plain`,
      figure: `${ratio.toFixed(2)}× (${Math.round(rates.sealed).toLocaleString("en")} vs ${Math.round(rates.plain).toLocaleString("en")} commands/s${engine === "sqlite" ? `; CPU time ${(rates.cpuMsPerCommand.plain / rates.cpuMsPerCommand.sealed).toFixed(2)}×` : ""})`,
      target: `≥ ${GOAL}×`,
      pass: ratio >= GOAL,
    });
  }
  return { rows, data, notes: ["Each stored event carries two encrypted fields; one customer (one key) per 10 events. Each PlaceOrder stores one OrderPlaced with one encrypted field; one customer per 10 orders."] };
}

/** Commands per second through `createApp`, encryption on and off, alternating rounds on one store. */
async function commandRates(runtime, shop, url, perRound, rounds) {
  const store = await runtime.openStore(url);
  const rates = { plain: [], sealed: [] };
  const cpu = { plain: [], sealed: [] };
  let next = 1;
  try {
    for (let round = -1; round < rounds; round++) {
      for (const sealed of round % 2 === 0 ? [false, true] : [true, false]) {
        const codec = shop.createCodec({ Ordering: shop.orderingUpcasts });
        const app = await runtime.createApp(
          { codec, routes: { PlaceOrder: { kind: "aggregate", decider: shop.order } }, projections: [] },
          { store, bus: "memory:", ...(sealed ? {} : { encryption: false }) },
        );
        const c0 = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < perRound; i++) {
          const command = placeOrder(next);
          const customerId = `7d0e8f6a-1c2b-4d3e-8f4a-${Math.floor(next++ / 10).toString(16).padStart(12, "0")}`;
          const outcome = await app.send({ ...command, data: { ...command.data, customerId } });
          if (outcome.status !== "accepted") throw new Error(`PlaceOrder ${outcome.status}`);
        }
        const seconds = (performance.now() - started) / 1000;
        const used = cpuMs(c0, process.cpuUsage());
        await app.close();
        if (round >= 0) {
          // round -1 warms up
          rates[sealed ? "sealed" : "plain"].push(perRound / seconds);
          cpu[sealed ? "sealed" : "plain"].push(used / perRound);
        }
      }
    }
    // Honest figures only: the encrypted rounds stored ciphertext, the plain ones did not.
    const stored = (await store.readAll(1, next + 10)).filter((e) => e.type === "OrderPlaced").map((e) => JSON.stringify(e.payload).includes('"eda:enc"'));
    if (!stored.includes(true) || !stored.includes(false)) throw new Error("the encrypted and plain rounds did not store what they should");
  } finally {
    await store.close();
  }
  return { plain: median(rates.plain), sealed: median(rates.sealed), cpuMsPerCommand: { plain: median(cpu.plain), sealed: median(cpu.sealed) }, commands: perRound * rounds };
}

/** CPU time (all threads) between two `process.cpuUsage()` readings, in ms. */
function cpuMs(from, to) {
  return (to.user - from.user + to.system - from.system) / 1000;
}

async function inTempDir(fn) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "eda-bench-crypto-app-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function event(n) {
  const customerId = `customer-${Math.floor(n / 10)}`;
  return {
    messageId: `m-${n}`,
    type: "CustomerOrdered",
    version: 1,
    correlationId: `c-${n}`,
    causationId: null,
    payload: { orderId: `order-${n}`, customerId, lines: [{ sku: "MUG-BLUE", quantity: 2 }, { sku: "TEA-GREEN", quantity: 1 }], email: `person${n}@example.com`, phone: `+44 20 7946 ${String(n % 10_000).padStart(4, "0")}` },
  };
}

async function freshPlace(engine) {
  if (engine === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "eda-bench-crypto-"));
    return { url: `sqlite:${path.join(dir, "events.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const { default: pg } = await import(pathToFileURL(createRequire(path.resolve("packages/runtime/package.json")).resolve("pg")).href);
  const name = `eda_bench_crypto_${randomBytes(5).toString("hex")}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
