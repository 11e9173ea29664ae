/**
 * `pnpm bench` — builds the workspace, runs every benchmark suite in one process (so all figures
 * share one machine state), prints a markdown report and writes it to `bench/RESULTS.md`, with
 * the raw figures in `bench/results.json`.
 *
 *   node bench/run.mjs [suite-id …] [--quick] [--no-build]
 *
 * When the build fails (another package mid-edit), it measures each package's last successful
 * build and says so in the report. Naming suites runs only those, and `--quick` cuts the
 * repetitions; both print the report but leave RESULTS.md and results.json alone, which always
 * hold a full run. Targets are reported as pass or MISS; the exit code says only whether every
 * suite ran.
 *
 * A suite is `{ id, title, run(env) }`; `run` returns (or resolves to) `{ rows?, notes?, markdown?,
 * data }`, where a row is `{ benchmark, figure, target?, pass? }` (`pass: null`: not measured).
 * Suites are listed in `bench/suites/index.mjs`.
 *
 * @typedef {{ benchmark: string, figure: string, target?: string, pass?: boolean | null }} Row
 * @typedef {{ rows?: Row[], notes?: string[], markdown?: string, data: unknown }} SuiteResult
 * @typedef {{ root: string, quick: boolean, log: (message: string) => void, language: () => Promise<typeof import("../packages/language/dist/index.js")> }} BenchEnv
 * @typedef {{ id: string, title: string, run: (env: BenchEnv) => SuiteResult | Promise<SuiteResult> }} Suite
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SUITES } from "./suites/index.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((id) => !SUITES.some((s) => s.id === id));
if (args.includes("--help") || unknown.length > 0) {
  if (unknown.length > 0) process.stderr.write(`unknown suite: ${unknown.join(", ")}\n`);
  process.stderr.write(`usage: node bench/run.mjs [${SUITES.map((s) => s.id).join("|")} …] [--quick] [--no-build]\n`);
  process.exit(unknown.length > 0 ? 2 : 0);
}
const suites = wanted.length > 0 ? SUITES.filter((s) => wanted.includes(s.id)) : SUITES;
const full = wanted.length === 0 && !quick;

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** Set when the build failed and the figures are of the packages' last built output. */
let buildProblem;
if (!args.includes("--no-build")) {
  log("pnpm run build …");
  const built = spawnSync("pnpm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) {
    buildProblem = `\`pnpm run build\` failed (exit ${built.status}), so these figures are of each package's last successful build.`;
    log(`${buildProblem} Carrying on.`);
  }
}
const languageEntry = path.join(root, "packages/language/dist/index.js");
if (!existsSync(languageEntry)) {
  log("packages/language/dist is missing: run `pnpm build` first.");
  process.exit(1);
}

/** @type {BenchEnv} */
const env = { root, quick, log, language: () => import(pathToFileURL(languageEntry).href) };
const started = Date.now();
const loadAtStart = Math.round(os.loadavg()[0] * 100) / 100;
const results = [];
let broken = false;
for (const suite of suites) {
  log(`— ${suite.title}`);
  try {
    results.push({ suite, result: await suite.run(env) });
  } catch (error) {
    broken = true;
    log(`suite ${suite.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    results.push({ suite, result: { rows: [{ benchmark: suite.title, figure: `error: ${error instanceof Error ? error.message : String(error)}` }], data: { error: String(error) } } });
  }
}

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${os.platform()} ${os.arch()} ${os.release()}`,
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? "unknown",
  memoryBytes: os.totalmem(),
  /** 1-minute load average when the run started: above the core count, figures are inflated. */
  loadAverage: loadAtStart,
  ...(buildProblem ? { buildProblem } : {}),
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
const report = render(machine, results);
process.stdout.write(report);
if (full) {
  writeFileSync(path.join(root, "bench/RESULTS.md"), report);
  const json = { ...machine, suites: Object.fromEntries(results.map(({ suite, result }) => [suite.id, { title: suite.title, ...result }])) };
  writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(json, null, 2)}\n`);
  log("wrote bench/RESULTS.md and bench/results.json");
} else {
  log("partial or quick run: bench/RESULTS.md and bench/results.json left as they were");
}
process.exitCode = broken ? 1 : 0;

function render(m, results) {
  const out = [
    "# Benchmark results",
    "",
    `Measured by \`pnpm bench\` on ${m.date.slice(0, 16).replace("T", " ")} UTC: Node ${m.node}, ${m.platform}, ${m.cores} cores (${m.cpu}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM; load average ${m.loadAverage} at the start; the whole run took ${m.seconds} s.`,
    "Figures are medians; MB = 10^6 bytes. Machines are noisy: compare figures from the same run, not across runs.",
    "",
    ...(m.buildProblem ? [`**Note:** ${m.buildProblem}`, ""] : []),
  ];
  const targets = results.flatMap(({ result }) => (result.rows ?? []).filter((r) => r.target));
  if (targets.length > 0) out.push("## Targets", "", ...table(targets, true), "");
  for (const { suite, result } of results) {
    out.push(`## ${suite.title}`, "");
    if (result.rows?.length) out.push(...table(result.rows, result.rows.some((r) => r.target)), "");
    if (result.markdown) out.push(result.markdown, "");
    for (const note of result.notes ?? []) out.push(`- ${note}`);
    if (result.notes?.length) out.push("");
  }
  return out.join("\n");
}

function table(rows, withTargets) {
  const cell = (s) => String(s).replace(/\|/g, "\\|");
  const verdict = (r) => (!r.target ? "" : r.pass === true ? "pass" : r.pass === false ? "**MISS**" : "not measured");
  return withTargets
    ? ["| Benchmark | Figure | Target | Result |", "| --- | --- | --- | --- |", ...rows.map((r) => `| ${cell(r.benchmark)} | ${cell(r.figure)} | ${cell(r.target ?? "")} | ${verdict(r)} |`)]
    : ["| Benchmark | Figure |", "| --- | --- |", ...rows.map((r) => `| ${cell(r.benchmark)} | ${cell(r.figure)} |`)];
}
