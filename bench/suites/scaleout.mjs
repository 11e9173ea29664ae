/**
 * The scale-out suite: `bench/scaleout.mjs` as a process (single commands beside Emmett's
 * PostgreSQL store, throughput with 1, 2 and 4 instances, append-to-read-model latency).
 * Skipped, with the reason, until `packages/runtime/dist` is built.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SCRIPT = "bench/scaleout.mjs";

/** @type {import("../run.mjs").Suite} */
export const scaleoutSuite = {
  id: "scaleout",
  title: "Scale-out on PostgreSQL (`bench/scaleout.mjs`)",
  run(env) {
    if (!existsSync(path.join(env.root, "packages/runtime/dist"))) {
      return { rows: [{ benchmark: SCRIPT, figure: "not run: `packages/runtime/dist` is not built" }], data: { skipped: "no dist" } };
    }
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-scaleout-"));
    try {
      const jsonPath = path.join(tmp, "result.json");
      env.log(`running ${SCRIPT} …`);
      const args = [SCRIPT, jsonPath, ...(env.quick ? ["--quick"] : [])];
      const r = spawnSync(process.execPath, args, { cwd: env.root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
      if (r.error || r.status !== 0) {
        const why = r.error ? r.error.message : `exit ${r.status}`;
        return { rows: [{ benchmark: SCRIPT, figure: `failed: ${why}` }], markdown: r.stdout.trim() || undefined, data: { failed: why } };
      }
      const data = JSON.parse(readFileSync(jsonPath, "utf8"));
      return { markdown: r.stdout.trim().replace(/^(#{1,5}) /gm, "#$1 "), data };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
