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
 * (untimed). Latency: one sender, commands one after another, median ms per command. Load: eight
 * senders at once, commands per second. Rounds alternate the two stores; medians of the rounds.
 */
import { randomUUID } from "node:crypto";
import { placeOrder } from "../runtime-app.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const confirmOrder = (n) => ({ type: "ConfirmOrder", data: { orderId: placeOrder(n).data.orderId } });

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

/** Sends `commands` with `senders` at once; resolves to per-command latencies (ms) and the wall time (s). */
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
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/**
 * Runs every case; resolves to rows `{ command, senders, eda, emmett, ratio }` where eda and
 * emmett are ms per command (latency, one sender) or commands/s (load), and ratio is always
 * eda's time over Emmett's (≤ 1: eda is as fast or faster).
 */
export async function commandsVsEmmett(runtime, shop, url, { quick }) {
  const c = await contestants(runtime, shop, url);
  const perRound = quick ? 100 : 400;
  const rounds = quick ? 3 : 7;
  let n = 1;
  const rows = [];
  try {
    for (const [name, senders] of [["PlaceOrder", 1], ["ConfirmOrder", 1], ["PlaceOrder", 8], ["ConfirmOrder", 8]]) {
      const figures = { eda: [], emmett: [] };
      for (let round = -1; round < rounds; round++) {
        for (const who of round % 2 === 0 ? ["eda", "emmett"] : ["emmett", "eda"]) {
          const ids = Array.from({ length: perRound }, () => n++);
          // ConfirmOrder needs its order placed first, untimed, by the same store.
          if (name === "ConfirmOrder") await drive(c[who], ids.map(placeOrder), 8);
          const commands = ids.map(name === "PlaceOrder" ? placeOrder : confirmOrder);
          const { latencies, seconds } = await drive(c[who], commands, senders);
          if (round >= 0) figures[who].push(senders === 1 ? median(latencies) : perRound / seconds);
        }
      }
      const eda = median(figures.eda);
      const emmett = median(figures.emmett);
      rows.push({ command: name, senders, eda, emmett, ratio: senders === 1 ? eda / emmett : emmett / eda });
    }
  } finally {
    await c.close();
  }
  return rows;
}

/** The markdown table of `commandsVsEmmett`'s rows. */
export function commandsTable(rows) {
  const lines = [
    "### Single commands on PostgreSQL: eda (`handleCommand`) beside Emmett's PostgreSQL store",
    "",
    "Same database, same decider, same events; eda also validates, writes the outbox rows and the command record.",
    "",
    "| command | senders | eda | Emmett | eda's time / Emmett's | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    const unit = r.senders === 1 ? (x) => `${x.toFixed(2)} ms` : (x) => `${Math.round(x)}/s`;
    lines.push(`| ${r.command} | ${r.senders} | ${unit(r.eda)} | ${unit(r.emmett)} | ${r.ratio.toFixed(2)}× | ≤ 1.0×: ${r.ratio <= 1 ? "pass" : "MISS"} |`);
  }
  return lines.join("\n");
}
