/**
 * Single commands on PostgreSQL, eda beside Emmett's PostgreSQL event store
 * (`@event-driven-io/emmett-postgresql`), on the same database, with the same decider (the shop's
 * `Order`: its `decide` and `evolve` are called by both) and so the same events.
 *
 * - eda: `handleCommand` — the command parsed by its schema, the stream (and snapshot) read, the
 *   decision's events validated, then one append that also writes the outbox rows and the command
 *   record (idempotency), in one transaction.
 * - Emmett: `CommandHandler` — read the stream, decide, `appendToStream` (its stored procedure).
 *
 * Two commands: `PlaceOrder` on a new stream, and `ConfirmOrder` on a stream placed beforehand
 * (untimed, before the timed blocks). Latency: one sender, commands one after another. Load:
 * eight senders at once.
 *
 * The machine is shared, and its load moves on a scale of seconds: medians of long rounds moved
 * 0.6–2.7× from run to run. So the two stores take turns in short blocks (a few commands, tens of
 * ms) in one process with pools of one size, the order inside each pair of blocks alternating; each
 * pair gives one ratio, eda's block time over its adjacent Emmett block's, which the load changes
 * little. The figure is the median of those paired ratios, with its 95 % confidence interval and
 * the interquartile range of the pairs; the absolute medians are kept beside it.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { placeOrder } from "../runtime-app.mjs";
import { pairedSummary } from "./paired.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const confirmOrder = (n) => ({ type: "ConfirmOrder", data: { orderId: placeOrder(n).data.orderId } });

/** Commands per block and pairs of blocks, per sender count; the first `WARMUP` pairs are not counted. */
const PLAN = {
  full: { 1: { block: 10, pairs: 300 }, 8: { block: 64, pairs: 100 } },
  quick: { 1: { block: 10, pairs: 50 }, 8: { block: 64, pairs: 20 } },
};
const WARMUP = 5;

/** The two contestants, each `send(command)` resolving once the command is appended. */
async function contestants(runtime, shop, url) {
  const { getPostgreSQLEventStore } = await import("@event-driven-io/emmett-postgresql");
  const { CommandHandler } = await import("@event-driven-io/emmett");
  const store = await runtime.openStore(url);
  const codec = shop.createCodec({ Ordering: shop.orderingUpcasts });
  // Emmett gets a pool like eda's (pg, 10 connections), ended here before the database is dropped.
  const pg = (await import("pg")).default;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => undefined);
  const emmettStore = getPostgreSQLEventStore(url, { connectionOptions: { pool, pooled: true } });
  const decider = shop.order;
  const handle = CommandHandler({ evolve: (state, event) => decider.evolve(state, event), initialState: () => decider.initialState });
  return {
    eda: async (command) => {
      const outcome = await runtime.handleCommand(store, decider, codec, { messageId: randomUUID(), payload: command });
      if (outcome.status !== "accepted") throw new Error(`eda: ${command.type} ${outcome.status}`);
    },
    emmett: async (command) => {
      await handle(emmettStore, decider.streamOf(command), (state) => {
        const decision = decider.decide(command, state);
        if (!Array.isArray(decision)) throw new Error(`emmett: ${command.type} rejected`);
        return decision;
      });
    },
    close: async () => {
      await store.close();
      await emmettStore.close();
      await pool.end();
    },
  };
}

/** Sends `commands` with `senders` at once; resolves to per-command latencies (ms) and the wall time (ms). */
async function drive(send, commands, senders) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: senders }, async () => {
    while (next < commands.length) {
      const command = commands[next++];
      const t = performance.now();
      await send(command);
      latencies.push(performance.now() - t);
    }
  }));
  return { latencies, ms: performance.now() - started };
}

/** Order numbers for every block of one store: `pairs` blocks of `block` commands. */
function numberBlocks(first, pairs, block) {
  return Array.from({ length: pairs }, (_, p) => Array.from({ length: block }, (_, i) => first + p * block + i));
}

/**
 * One case: `pairs` pairs of blocks, eda and Emmett in turns. Resolves to the paired ratios (eda's
 * block time over Emmett's) and, per store, the per-command latencies and per-block throughputs.
 */
async function pairedCase(c, name, senders, { block, pairs }, first) {
  const numbers = { eda: numberBlocks(first, pairs, block), emmett: numberBlocks(first + pairs * block, pairs, block) };
  if (name === "ConfirmOrder") {
    // Every order is placed before the timed blocks, by the store that confirms it.
    for (const who of ["eda", "emmett"]) await drive(c[who], numbers[who].flat().map(placeOrder), 8);
  }
  const toCommand = name === "PlaceOrder" ? placeOrder : confirmOrder;
  const ratios = [];
  const figures = { eda: { latencies: [], rates: [] }, emmett: { latencies: [], rates: [] } };
  for (let p = 0; p < pairs; p++) {
    const ms = {};
    for (const who of p % 2 === 0 ? ["eda", "emmett"] : ["emmett", "eda"]) {
      const run = await drive(c[who], numbers[who][p].map(toCommand), senders);
      ms[who] = run.ms;
      if (p < WARMUP) continue;
      figures[who].latencies.push(...run.latencies);
      figures[who].rates.push((block / run.ms) * 1000);
    }
    if (p >= WARMUP) ratios.push(ms.eda / ms.emmett);
  }
  return { ratios, figures, next: first + 2 * pairs * block };
}

/**
 * Runs every case; resolves to rows `{ command, senders, eda, emmett, ratio, q1, q3, low, high,
 * pairs, block, load }`: eda and emmett are the median ms per command (one sender) or the median
 * commands/s of the blocks (eight senders); ratio is the median paired ratio of eda's time over
 * Emmett's (≤ 1: eda is as fast or faster), q1–q3 its interquartile range, low–high the 95 %
 * confidence interval of the median; load the 1-minute load average at the case's start and end.
 */
export async function commandsVsEmmett(runtime, shop, url, { quick }) {
  const c = await contestants(runtime, shop, url);
  const plan = quick ? PLAN.quick : PLAN.full;
  let first = 1;
  const rows = [];
  try {
    // Both paths of both stores warmed up (JIT, prepared statements, pools) before any case:
    // otherwise the first case's first pairs measure eda's larger body of code still compiling.
    for (const name of ["PlaceOrder", "ConfirmOrder"]) first = (await pairedCase(c, name, 1, { block: 10, pairs: 15 }, first)).next;
    for (const [name, senders] of [["PlaceOrder", 1], ["ConfirmOrder", 1], ["PlaceOrder", 8], ["ConfirmOrder", 8]]) {
      const loadBefore = os.loadavg()[0];
      const { ratios, figures, next } = await pairedCase(c, name, senders, plan[senders], first);
      first = next;
      const absolute = (who) => (senders === 1 ? median(figures[who].latencies) : median(figures[who].rates));
      rows.push({
        command: name, senders, eda: absolute("eda"), emmett: absolute("emmett"),
        ...pairedSummary(ratios), block: plan[senders].block, load: [loadBefore, os.loadavg()[0]],
      });
    }
  } finally {
    await c.close();
  }
  return rows;
}

/** Pass when the confidence interval lies at or under the target, miss when above it. */
function verdict(r) {
  if (r.high <= 1) return "pass";
  if (r.low > 1) return "MISS";
  return "undecided (interval spans 1.0×)";
}

/** The markdown table of `commandsVsEmmett`'s rows. */
export function commandsTable(rows) {
  const x = (v) => `${v.toFixed(2)}×`;
  const lines = [
    "### Single commands on PostgreSQL: eda (`handleCommand`) beside Emmett's PostgreSQL store",
    "",
    "Same database, same decider, same events; eda also validates, writes the outbox rows and the command record.",
    "Blocks of commands alternate between the two stores; each pair of adjacent blocks gives one ratio of eda's time over Emmett's.",
    "",
    "| command | senders | eda | Emmett | median paired ratio (95 % CI) | IQR | pairs × block | load | target ≤ 1.0× |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    const unit = r.senders === 1 ? (v) => `${v.toFixed(2)} ms` : (v) => `${Math.round(v)}/s`;
    const load = r.load.map((l) => l.toFixed(1)).join("→");
    lines.push(`| ${r.command} | ${r.senders} | ${unit(r.eda)} | ${unit(r.emmett)} | ${x(r.ratio)} (${x(r.low)}–${x(r.high)}) | ${x(r.q1)}–${x(r.q3)} | ${r.pairs} × ${r.block} | ${load} | ${verdict(r)} |`);
  }
  return lines.join("\n");
}
