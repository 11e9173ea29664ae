/**
 * The runtime's benchmarks, `bench/runtime-store.mjs` (stores, replay, `eda store verify`) and
 * `bench/runtime-app.mjs` (commands through `createApp` with and without validation, `close()`),
 * each run as a sub-benchmark process: it prints its own markdown tables and writes JSON to the
 * path given as its first argument. Skipped, with the reason, until the script exists and
 * `packages/runtime/dist` is built.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** @type {import("../run.mjs").Suite} */
export const runtimeStore = scriptSuite("runtime", "Runtime: event stores and replay (`bench/runtime-store.mjs`)", "bench/runtime-store.mjs");

/** @type {import("../run.mjs").Suite} */
export const runtimeApp = scriptSuite("app", "Runtime: commands through createApp and lifecycle (`bench/runtime-app.mjs`)", "bench/runtime-app.mjs");

export const runtimeOperations = scriptSuite("operations", "Operations: the command path with metrics on vs off (`bench/runtime-operations.mjs`)", "bench/runtime-operations.mjs");

/** A suite that runs `script` as a process. @returns {import("../run.mjs").Suite} */
function scriptSuite(id, title, script) {
  return { id, title, run: (env) => runScript(env, script) };
}

function runScript(env, SCRIPT) {
  const missing = !existsSync(path.join(env.root, SCRIPT)) ? `\`${SCRIPT}\` does not exist yet` : !existsSync(path.join(env.root, "packages/runtime/dist")) ? "`packages/runtime/dist` is not built" : undefined;
  if (missing) return { rows: [{ benchmark: SCRIPT, figure: `not run: ${missing}` }], data: { skipped: missing } };
  const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-runtime-"));
  try {
    const jsonPath = path.join(tmp, "result.json");
    env.log(`running ${SCRIPT} …`);
    const r = spawnSync(process.execPath, [SCRIPT, jsonPath], { cwd: env.root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : `exit ${r.status}`;
      return { rows: [{ benchmark: SCRIPT, figure: `failed: ${why}` }], markdown: r.stdout.trim() || undefined, data: { failed: why } };
    }
    const data = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, "utf8")) : { missingJson: true };
    // Its headings go one level below this suite's.
    return { markdown: r.stdout.trim().replace(/^(#{1,5}) /gm, "#$1 "), data };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
