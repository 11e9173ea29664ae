/**
 * Measuring helpers shared by the benchmark suites: medians, in-process timing with warm-up,
 * timed child processes, and number formatting. Benchmarks report; they never assert on time.
 */
import { spawnSync } from "node:child_process";

/** The median of a non-empty list of numbers. @param {readonly number[]} xs */
export function median(xs) {
  if (xs.length === 0) throw new Error("median of no numbers");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times functions in-process, interleaved (a, b, a, b, …) so that they share the machine's noise:
 * `warmup` untimed rounds first, then at least `minRuns` timed rounds and more while the timed
 * total is under `budgetMs`, at most `maxRuns`. No collection is forced between runs: that would
 * shrink the heap and make each run pay for growing it again, which a long-running process (watch
 * mode, an editor) does not; each run collects garbage as it goes, as in steady use. Beside wall
 * time it records the process's CPU time (all threads, so the GC's helpers count), which a loaded
 * machine inflates less than wall time.
 * @template {string} K
 * @param {Record<K, () => unknown>} fns
 * @param {{ warmup?: number, minRuns?: number, maxRuns?: number, budgetMs?: number }} [options]
 * @returns {Record<K, { medianMs: number, bestMs: number, medianCpuMs: number, runs: number, samplesMs: number[] }>}
 */
export function timeInProcess(fns, { warmup = 1, minRuns = 5, maxRuns = 100, budgetMs = 2000 } = {}) {
  const entries = Object.entries(fns);
  for (let i = 0; i < warmup; i++) for (const [, fn] of entries) fn();
  const wall = Object.fromEntries(entries.map(([k]) => [k, []]));
  const cpu = Object.fromEntries(entries.map(([k]) => [k, []]));
  let total = 0;
  for (let round = 0; round < minRuns || (total < budgetMs && round < maxRuns); round++) {
    for (const [k, fn] of entries) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      fn();
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      wall[k].push(ms);
      cpu[k].push((used.user + used.system) / 1000);
      total += ms;
    }
  }
  return Object.fromEntries(entries.map(([k]) => [k, { medianMs: median(wall[k]), bestMs: Math.min(...wall[k]), medianCpuMs: median(cpu[k]), runs: wall[k].length, samplesMs: wall[k] }]));
}

/**
 * Runs a command once and times it from spawn to exit (wall clock).
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {{ ms: number, status: number | null, stdout: string, stderr: string }}
 */
export function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Times several commands over the same number of runs, interleaved (a, b, a, b, …) so that they
 * share the machine's noise, after one untimed warm-up run of each (it fills the file cache).
 * @param {Record<string, { command: string, args: readonly string[], cwd?: string }>} commands
 * @param {number} runs
 * @returns {Record<string, { medianMs: number, samplesMs: number[] }>}
 */
export function timeInterleaved(commands, runs) {
  const entries = Object.entries(commands);
  for (const [, c] of entries) timeProcess(c.command, c.args, c);
  const samples = Object.fromEntries(entries.map(([k]) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of entries) samples[k].push(timeProcess(c.command, c.args, c).ms);
  }
  return Object.fromEntries(entries.map(([k]) => [k, { medianMs: median(samples[k]), samplesMs: samples[k] }]));
}

/** `1234.5` → `"1.23 s"`, `12.3` → `"12.3 ms"`. @param {number} ms */
export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Bytes in decimal megabytes (10^6), as the MB/s figures use. @param {number} bytes */
export function formatMB(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** MB/s (10^6 bytes per second) of `bytes` handled in `ms`. */
export function megabytesPerSecond(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}
