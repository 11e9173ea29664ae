/**
 * `eda check` of the 500-context model as a process: wall time and peak RSS (from a preloaded
 * module that reports `process.resourceUsage().maxRSS` at exit), beside the peak RSS of
 * `node -e 0`. Uses the library through `bench/lib/compile-folder.mjs` when the CLI is missing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatMB, formatMs, median, timeProcess } from "../lib/measure.mjs";
import { generateModel } from "../synthetic.mjs";
import { cliProblem } from "./cold-check.mjs";

const CONTEXTS = 500;

/** @type {import("../run.mjs").Suite} */
export const checkMemory = {
  id: "memory",
  title: `\`eda check\` of the ${CONTEXTS}-context model as a process: time and peak memory`,
  run(env) {
    const model = generateModel(CONTEXTS, 1);
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-"));
    try {
      const modelDir = path.join(tmp, "model");
      for (const f of model.files) {
        mkdirSync(path.dirname(path.join(modelDir, f.path)), { recursive: true });
        writeFileSync(path.join(modelDir, f.path), f.text);
      }
      const problem = cliProblem(env.root);
      const runner = problem ? ["bench/lib/compile-folder.mjs", modelDir] : ["packages/cli/bin/eda.js", "check", modelDir];
      const what = problem ? "library `compile()` in a process (the CLI is missing)" : "`eda check`";
      const runs = env.quick ? 1 : 3;
      env.log(`running ${what} on ${formatMB(model.bytes)} ${runs}× …`);
      const measured = Array.from({ length: runs }, () => measure(env.root, runner, tmp));
      const baseline = measure(env.root, ["-e", "0"], tmp);
      const failed = measured.find((m) => m.status !== 0);
      const ms = median(measured.map((m) => m.ms));
      const rss = median(measured.map((m) => m.peakRss));
      const label = `${what}, ${CONTEXTS} contexts, ${model.files.length} files, ${formatMB(model.bytes)}`;
      const rows = failed
        ? [{ benchmark: label, figure: `failed: exit ${failed.status}: ${failed.output.slice(0, 160)}` }]
        : [
            { benchmark: `${label}: wall time`, figure: `${formatMs(ms)} (median of ${runs}; ${(model.bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s with start-up and file reading)` },
            { benchmark: `${label}: peak RSS`, figure: `${formatMB(rss)} (\`node -e 0\`: ${formatMB(baseline.peakRss)})` },
          ];
      return { rows, data: { contexts: CONTEXTS, bytes: model.bytes, files: model.files.length, via: problem ? "library" : "cli", runs, medianMs: ms, peakRssBytes: rss, nodeBaselinePeakRssBytes: baseline.peakRss, failed: failed ? failed.status : null } };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

function measure(root, args, tmp) {
  const rssFile = path.join(tmp, "rss");
  const preload = pathToFileURL(path.join(root, "bench/lib/peak-rss.mjs")).href;
  const r = timeProcess(process.execPath, ["--import", preload, ...args], { cwd: root, env: { ...process.env, EDA_BENCH_RSS_FILE: rssFile, NO_COLOR: "1" } });
  return { ms: r.ms, status: r.status, output: (r.stderr || r.stdout).trim(), peakRss: Number(readFileSync(rssFile, "utf8")) };
}
