/**
 * `eda check --against HEAD` on the 500-context model as a process, beside plain `eda check` of
 * the same files in the same run (interleaved runs, medians). The model sits in a fresh git
 * repository with one commit, and the work tree changes one event version in place, so the
 * baseline is read from git (ls-tree + one cat-file --batch), compiled, and compared.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatMB, formatMs, timeInterleaved } from "../lib/measure.mjs";
import { generateModel } from "../synthetic.mjs";
import { cliProblem } from "./cold-check.mjs";

const CONTEXTS = 500;
const TARGET_RATIO = 2.5;
const BIN = "packages/cli/bin/eda.js";

/** @type {import("../run.mjs").Suite} */
export const evolutionSuite = {
  id: "evolution",
  title: `\`eda check --against HEAD\` on the ${CONTEXTS}-context model against plain \`eda check\``,
  run(env) {
    const target = `≤ ${TARGET_RATIO}× \`eda check\``;
    const problem = cliProblem(env.root);
    if (problem) return { rows: [{ benchmark: "`eda check --against HEAD`", figure: `not measured: ${problem}`, target, pass: null }], data: { missing: problem } };
    const model = generateModel(CONTEXTS, 1);
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-evolution-"));
    try {
      for (const f of model.files) {
        mkdirSync(path.dirname(path.join(tmp, "model", f.path)), { recursive: true });
        writeFileSync(path.join(tmp, "model", f.path), f.text);
      }
      const git = (...args) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: tmp, stdio: "ignore" });
      git("init", "-q");
      git("add", ".");
      git("commit", "-q", "-m", "model");
      const edited = editOneEvent(tmp, model.files);
      const bin = path.join(env.root, BIN);
      // Exit 1: the edit is an error, reported as EDA7003.
      const reported = /EDA7003/.test(spawnSync(process.execPath, [bin, "check", "model", "--against", "HEAD"], { cwd: tmp, encoding: "utf8" }).stdout);
      const runs = env.quick ? 3 : 7;
      env.log(`timing ${runs} interleaved runs of \`eda check\` and \`eda check --against HEAD\` on ${formatMB(model.bytes)} …`);
      const t = timeInterleaved(
        {
          plain: { command: process.execPath, args: [bin, "check", "model"], cwd: tmp },
          against: { command: process.execPath, args: [bin, "check", "model", "--against", "HEAD"], cwd: tmp },
        },
        runs,
      );
      const ratio = t.against.medianMs / t.plain.medianMs;
      const label = `${CONTEXTS} contexts, ${model.files.length} files, ${formatMB(model.bytes)}`;
      return {
        rows: [
          { benchmark: `plain \`eda check\`, ${label}`, figure: `${formatMs(t.plain.medianMs)} (median of ${runs})` },
          {
            benchmark: `\`eda check --against HEAD\` (one event version edited in ${edited}${reported ? ", reported" : ", NOT reported"})`,
            figure: `${formatMs(t.against.medianMs)}, ${ratio.toFixed(2)}× plain`,
            target,
            pass: reported && ratio <= TARGET_RATIO,
          },
        ],
        data: { contexts: CONTEXTS, bytes: model.bytes, files: model.files.length, runs, plainMs: t.plain.medianMs, againstMs: t.against.medianMs, ratio, targetRatio: TARGET_RATIO, reported },
      };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

/** Retypes the first `int` field of the first event in the model, in the work tree only; returns the file. */
function editOneEvent(dir, files) {
  for (const f of files) {
    const file = path.join(dir, "model", f.path);
    const text = readFileSync(file, "utf8");
    const match = /event \w+[^{]*\{[^}]*?\b(\w+): int\b/.exec(text);
    if (!match) continue;
    const at = match.index + match[0].length - "int".length;
    writeFileSync(file, `${text.slice(0, at)}string${text.slice(at + "int".length)}`);
    return f.path;
  }
  throw new Error("no event with an int field in the synthetic model");
}
