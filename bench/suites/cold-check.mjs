/**
 * The cold `eda check examples/shop` — a fresh process each time, as a user or CI runs it — as a
 * ratio to `node -e 0`, the floor any Node program pays. Both are timed over the same number of
 * runs, interleaved so that they share the machine's noise, and compared by their medians.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { formatMs, timeInterleaved, timeProcess } from "../lib/measure.mjs";

const TARGET_RATIO = 3;
const BIN = "packages/cli/bin/eda.js";

/** @type {import("../run.mjs").Suite} */
export const coldCheck = {
  id: "cold",
  title: "Cold `eda check examples/shop` against `node -e 0`",
  run(env) {
    const target = `≤ ${TARGET_RATIO}× \`node -e 0\``;
    const problem = cliProblem(env.root);
    if (problem) {
      return { rows: [{ benchmark: "cold `eda check examples/shop`", figure: `not measured: ${problem}`, target, pass: null }], data: { missing: problem } };
    }
    const runs = env.quick ? 8 : 30;
    env.log(`timing ${runs} interleaved runs of \`eda check examples/shop\` and \`node -e 0\` …`);
    const t = timeInterleaved(
      {
        check: { command: process.execPath, args: [BIN, "check", "examples/shop"], cwd: env.root },
        node: { command: process.execPath, args: ["-e", "0"], cwd: env.root },
      },
      runs,
    );
    const ratio = t.check.medianMs / t.node.medianMs;
    return {
      rows: [
        { benchmark: "cold `eda check examples/shop`", figure: `${ratio.toFixed(2)}× \`node -e 0\` (${formatMs(t.check.medianMs)} vs ${formatMs(t.node.medianMs)}, medians of ${runs})`, target, pass: ratio <= TARGET_RATIO },
      ],
      data: { runs, targetRatio: TARGET_RATIO, ratio, checkMedianMs: t.check.medianMs, nodeMedianMs: t.node.medianMs, checkSamplesMs: t.check.samplesMs, nodeSamplesMs: t.node.samplesMs },
    };
  },
};

/** Why the CLI cannot be timed (not built, or failing on the shop), or undefined when it can. */
export function cliProblem(root) {
  if (!existsSync(path.join(root, BIN))) return `\`${BIN}\` does not exist yet`;
  const r = timeProcess(process.execPath, [BIN, "check", "examples/shop"], { cwd: root });
  if (r.status !== 0) {
    const reason = (r.stderr || r.stdout).trim().split("\n")[0] ?? "";
    return `\`eda check examples/shop\` exits ${r.status}${reason ? `: ${reason.slice(0, 160)}` : ""}`;
  }
  return undefined;
}
