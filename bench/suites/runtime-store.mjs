/**
 * The runtime's event-store benchmark, `bench/runtime-store.mjs`, run as a sub-benchmark: it
 * prints its own markdown table and writes JSON to the path given as its first argument. Skipped,
 * with the reason, until that file exists and `packages/runtime/dist` is built.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SCRIPT = "bench/runtime-store.mjs";

/** @type {import("../run.mjs").Suite} */
export const runtimeStore = {
  id: "runtime",
  title: "Runtime: event stores and replay (`bench/runtime-store.mjs`)",
  run(env) {
    const missing = !existsSync(path.join(env.root, SCRIPT)) ? `\`${SCRIPT}\` does not exist yet` : !existsSync(path.join(env.root, "packages/runtime/dist")) ? "`packages/runtime/dist` is not built" : undefined;
    if (missing) return { rows: [{ benchmark: "runtime event stores", figure: `not run: ${missing}` }], data: { skipped: missing } };
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-runtime-"));
    try {
      const jsonPath = path.join(tmp, "runtime-store.json");
      env.log(`running ${SCRIPT} …`);
      const r = spawnSync(process.execPath, [SCRIPT, jsonPath], { cwd: env.root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
      if (r.error || r.status !== 0) {
        const why = r.error ? r.error.message : `exit ${r.status}`;
        return { rows: [{ benchmark: "runtime event stores", figure: `failed: ${why}` }], markdown: r.stdout.trim() || undefined, data: { failed: why } };
      }
      const data = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, "utf8")) : { missingJson: true };
      // Its headings go one level below this suite's.
      return { markdown: r.stdout.trim().replace(/^(#{1,5}) /gm, "#$1 "), data };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
