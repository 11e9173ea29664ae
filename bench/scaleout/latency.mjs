/**
 * Append-to-read-model latency on PostgreSQL: one store appends an event at a time (as another
 * process would: its own pool), a projection runner on a second store instance applies it; the
 * latency is from just before the append to the commit of the batch that holds it. The runner's
 * store is woken by LISTEN/NOTIFY (the default), or only polls (`listen: false`) every 100 ms
 * and every 500 ms (the store's default interval). Appends are 20–80 ms apart at random.
 */
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function measure(runtime, url, storeOptions, samples) {
  const writer = await runtime.openStore(url);
  const reader = await runtime.openStore(url, storeOptions);
  const waiting = new Map();
  const runner = new runtime.ProjectionRunner(reader, { deserialize: (e) => ({ type: e.type, ...e.payload }) }, {
    name: `latency_${Math.random().toString(36).slice(2)}`, events: ["Ticked"], keyOf: () => "all",
    initialRow: () => ({ n: 0 }), apply: (row) => ({ n: row.n + 1 }),
  }, {
    onBatch: (report) => {
      const now = performance.now();
      for (const [position, started] of waiting) if (position <= report.checkpoint) {
        waiting.delete(position);
        latencies.push(now - started);
      }
    },
  });
  const latencies = [];
  const stop = new AbortController();
  await runner.catchUp();
  const running = runner.run(stop.signal);
  try {
    for (let i = 0; i < samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
      const started = performance.now();
      const event = { messageId: `tick-${i}-${Math.random()}`, type: "Ticked", version: 1, correlationId: "bench", causationId: null, payload: { i } };
      const { lastGlobalPosition } = await writer.append(`ticks-${i % 10}`, [event], { kind: "any" });
      // The batch may have committed before append resolved: then it counts from its own start.
      if (lastGlobalPosition <= (await runner.checkpoint()).position) latencies.push(performance.now() - started);
      else waiting.set(lastGlobalPosition, started);
    }
    const end = Date.now() + 5_000;
    while (waiting.size > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    stop.abort();
    await running;
    await writer.close();
    await reader.close();
  }
  return { samples: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Rows `{ mode, samples, p50, p99 }` in ms. */
export async function appendToReadModel(runtime, url, { quick }) {
  const samples = quick ? 60 : 300;
  return [
    { mode: "wake-ups (LISTEN/NOTIFY)", ...(await measure(runtime, url, {}, samples)) },
    { mode: "polling every 100 ms", ...(await measure(runtime, url, { listen: false, pollIntervalMs: 100 }, samples)) },
    { mode: "polling every 500 ms (default interval)", ...(await measure(runtime, url, { listen: false }, samples)) },
  ];
}

export function latencyTable(rows) {
  const lines = [
    "### Append to read model on PostgreSQL (a projection on another store instance)",
    "",
    "| runner woken by | samples | p50 | p99 | p50 vs wake-ups |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const base = rows[0].p50;
  for (const r of rows) lines.push(`| ${r.mode} | ${r.samples} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${(r.p50 / base).toFixed(1)}× |`);
  return lines.join("\n");
}
