/**
 * Throughput with 1, 2 and 4 app instances (processes) on one PostgreSQL database, each with four
 * senders, over the same time window; scaling efficiency = rate(N) / (N × rate(1)). On this
 * 2-core machine the instances, PostgreSQL and the rest of the system share two cores, so more
 * instances add CPU contention rather than capacity (appends of different instances no longer
 * wait for each other, but the cores are the limit): the figure is reported as measured.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Starts one instance; `ready` resolves once it has started, `commands` with its count. */
function runInstance(url, durationMs, first) {
  const child = spawn(process.execPath, [path.join(here, "instance.mjs"), url, String(durationMs), "4", String(first)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  let readied;
  const ready = new Promise((resolve) => (readied = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    out += chunk;
    if (out.startsWith("ready\n")) readied();
  });
  const commands = new Promise((resolve, reject) => {
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.slice("ready\n".length).trim()).commands) : reject(new Error(`instance exited ${code}`))));
  });
  return { ready, commands, go: (startAt) => child.stdin.end(`${startAt}\n`) };
}

/** Rows `{ instances, rate, efficiency }`; rounds of 1, 2, 4 interleaved, medians. */
export async function instancesThroughput(url, { quick }) {
  const durationMs = quick ? 3_000 : 8_000;
  const rounds = quick ? 1 : 3;
  const rates = { 1: [], 2: [], 4: [] };
  let first = 10_000_000;
  for (let round = 0; round < rounds; round++) {
    for (const n of round % 2 === 0 ? [1, 2, 4] : [4, 2, 1]) {
      // The window opens once every process has started (a loaded machine takes seconds).
      const instances = Array.from({ length: n }, (_, i) => runInstance(url, durationMs, (first += 1_000_000) + i));
      await Promise.all(instances.map((i) => i.ready));
      const startAt = Date.now() + 200;
      for (const i of instances) i.go(startAt);
      const counts = await Promise.all(instances.map((i) => i.commands));
      rates[n].push(counts.reduce((a, b) => a + b, 0) / (durationMs / 1000));
    }
  }
  const one = median(rates[1]);
  return [1, 2, 4].map((n) => ({ instances: n, rate: median(rates[n]), efficiency: median(rates[n]) / (n * one) }));
}

export function instancesTable(rows) {
  const lines = [
    "### Throughput with several app instances on one PostgreSQL database (`PlaceOrder` through `createApp`, 4 senders per instance)",
    "",
    "| instances | commands/s | vs 1 instance | scaling efficiency |",
    "| ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) lines.push(`| ${r.instances} | ${Math.round(r.rate)} | ${(r.rate / rows[0].rate).toFixed(2)}× | ${(r.efficiency * 100).toFixed(0)} % |`);
  return lines.join("\n");
}
