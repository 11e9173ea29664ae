/**
 * Raw appends from several stores at once, as several processes would append (each store its own
 * pool): four stores with two senders each, over one store with one sender. The two take turns in
 * short windows (paired, as in `commands.mjs`, so that the load of the moment divides out); each
 * append writes one event to a new stream with a command record. The ratio shows whether appends
 * of different connections commit side by side, their WAL flushes shared, or one at a time.
 */
import { randomUUID } from "node:crypto";
import { pairedSummary } from "./paired.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Appends/s of `senders` senders on each of `stores` over `ms`. */
async function window(stores, senders, ms) {
  let count = 0;
  const until = performance.now() + ms;
  await Promise.all(stores.flatMap((store) => Array.from({ length: senders }, async () => {
    while (performance.now() < until) {
      const event = { messageId: randomUUID(), type: "Appended", version: 1, correlationId: "bench", causationId: null, payload: { count } };
      await store.append(`appenders-${randomUUID()}`, [event], { kind: "no-stream" }, { command: { id: randomUUID(), result: null } });
      count += 1;
    }
  })));
  return count / (ms / 1000);
}

/** `{ one, four, ratio, q1, q3, low, high, pairs }`: medians of appends/s, and the paired ratio four/one. */
export async function concurrentAppenders(runtime, url, { quick }) {
  const pairs = quick ? 8 : 30;
  const stores = [];
  for (let i = 0; i < 4; i++) stores.push(await runtime.openStore(url));
  const rates = { one: [], four: [] };
  const ratios = [];
  try {
    for (let p = -1; p < pairs; p++) {
      const rate = {};
      for (const who of p % 2 === 0 ? ["one", "four"] : ["four", "one"]) {
        rate[who] = who === "one" ? await window(stores.slice(0, 1), 1, 500) : await window(stores, 2, 500);
      }
      // The first pair warms the pools up.
      if (p < 0) continue;
      rates.one.push(rate.one);
      rates.four.push(rate.four);
      ratios.push(rate.four / rate.one);
    }
  } finally {
    for (const store of stores) await store.close();
  }
  return { one: median(rates.one), four: median(rates.four), ...pairedSummary(ratios) };
}

/** The markdown of `concurrentAppenders`' figure. */
export function appendersTable(r) {
  const x = (v) => `${v.toFixed(1)}×`;
  return [
    "### Raw appends from several stores at once (one event, command record, new streams; 0.5 s windows in turns)",
    "",
    "| 1 store × 1 sender | 4 stores × 2 senders | median paired ratio (95 % CI) | IQR |",
    "| ---: | ---: | ---: | ---: |",
    `| ${Math.round(r.one)}/s | ${Math.round(r.four)}/s | ${x(r.ratio)} (${x(r.low)}–${x(r.high)}) | ${x(r.q1)}–${x(r.q3)} |`,
  ].join("\n");
}
