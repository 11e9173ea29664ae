/**
 * `eda generate`, in the same run as the figures it is held against.
 *
 * In-process, on the synthetic 1/50/500-context models, each as a ratio to `compile()` (what
 * `eda check` spends on the model, start-up removed) timed here beside it:
 *   - `compile()` + `generate()` — the generation pipeline without I/O (the target, on the big model);
 *   - the `eda generate` command itself (the CLI bundle's `main`, in this process): reading the
 *     model files, compiling, generating, and writing a fresh output folder (temp folder, swap);
 *   - the same command when the output is already up to date (it reads and compares, writes nothing);
 *   - and, for reference, the `eda check` command in-process.
 * Cold: `eda generate --out <fresh folder>` in a copy of examples/shop, whose eda.config.json names
 * its (complete) handlers, as a new process against `node -e 0`, interleaved, medians.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatMB, formatMs, median, timeInProcess, timeProcess } from "../lib/measure.mjs";
import { generateModel } from "../synthetic.mjs";
import { SIZES } from "./check-throughput.mjs";

const SEED = 1;
const TARGET_RATIO = 2.5;
const COLD_TARGET_RATIO = 3.5;
const BIN = "packages/cli/bin/eda.js";
const BUNDLE = "packages/cli/dist/eda.cjs";

/** @type {import("../run.mjs").Suite} */
export const generateSuite = {
  id: "generate",
  title: "`eda generate`: against `compile()` in-process, and cold against `node -e 0`",
  async run(env) {
    const problem = [BIN, BUNDLE, "packages/generator/dist/index.js"].find((p) => !existsSync(path.join(env.root, p)));
    if (problem) {
      const missing = `not measured: \`${problem}\` does not exist yet`;
      return { rows: [{ benchmark: "`eda generate`", figure: missing, target: `≤ ${TARGET_RATIO}× compile`, pass: null }], data: { missing: problem } };
    }
    const language = await env.language();
    // One parser for every run, as an editor or a watch keeps one.
    const parser = language.createParser();
    const compile = (files) => language.compile(files, { parser });
    const { generate } = await import(pathToFileURL(path.join(env.root, "packages/generator/dist/index.js")).href);
    const { main } = createRequire(import.meta.url)(path.join(env.root, BUNDLE));
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-generate-"));
    try {
      const rows = [];
      const data = { seed: SEED, targetRatio: TARGET_RATIO, coldTargetRatio: COLD_TARGET_RATIO, models: [] };
      for (const contexts of SIZES) {
        const measured = await measureModel(env, { compile, generate, main }, contexts, path.join(tmp, `m${contexts}`));
        rows.push(...measured.rows);
        data.models.push(measured.data);
      }
      const cold = measureCold(env, path.join(tmp, "cold"));
      rows.push(cold.row);
      data.cold = cold.data;
      const notes = [
        "The ratios divide by `compile()` of the same model timed in the same run (parse, resolve, check: what `eda check` spends on it). `generate()` is pure; the command adds reading the model, writing every file into a temporary folder and swapping it in (or, when up to date, reading the output back and comparing).",
        "The in-process command runs the CLI bundle's `main` with a silent terminal; a fresh output folder each run, so every file is written.",
      ];
      return { rows, notes, data };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

async function measureModel(env, { compile, generate, main }, contexts, dir) {
  const model = generateModel(contexts, SEED);
  for (const f of model.files) {
    mkdirSync(path.dirname(path.join(dir, "model", f.path)), { recursive: true });
    writeFileSync(path.join(dir, "model", f.path), f.text);
  }
  const big = contexts === SIZES[SIZES.length - 1];
  const options = big ? { warmup: 1, minRuns: env.quick ? 2 : 5, maxRuns: 5, budgetMs: 0 } : { warmup: 2, minRuns: 5, maxRuns: 100, budgetMs: env.quick ? 500 : 1500 };
  env.log(`generate: ${contexts} context(s), ${formatMB(model.bytes)} …`);
  const compiled = compile(model.files);
  if (compiled.diagnostics.length > 0) throw new Error(`the ${contexts}-context model has ${compiled.diagnostics.length} diagnostics`);
  const output = generate(compiled.model);
  const outBytes = output.reduce((n, f) => n + Buffer.byteLength(f.content), 0);

  const pure = timeInProcess(
    { compile: () => compile(model.files), pipeline: () => generate(compile(model.files).model), generate: () => generate(compiled.model) },
    options,
  );

  // The commands, interleaved with compile() again so that their ratios share its noise.
  const term = silentTerminal(dir);
  await main(["generate", "model", "--out", "out"], term);
  expectOk(term, "eda generate");
  let fresh = 0;
  const commands = await timeAsyncInterleaved(
    {
      compile: () => compile(model.files),
      fresh: () => main(["generate", "model", "--out", `out-${fresh++}`], term),
      upToDate: () => main(["generate", "model", "--out", "out"], term),
      check: () => main(["check", "model"], term),
    },
    big ? (env.quick ? 1 : 3) : env.quick ? 3 : 7,
    // Outside the timing: the fresh run's folder goes, so that the next one writes everything again.
    (key) => key === "fresh" && rmSync(path.join(dir, `out-${fresh - 1}`), { recursive: true, force: true }),
  );
  expectOk(term, "eda generate / eda check");

  const ratio = (t, base) => t.medianMs / base.medianMs;
  const cpuRatio = (t, base) => t.medianCpuMs / base.medianCpuMs;
  const figure = (t, base) => `${ratio(t, base).toFixed(2)}× compile (${formatMs(t.medianMs)} vs ${formatMs(base.medianMs)}; by CPU time ${cpuRatio(t, base).toFixed(2)}×)`;
  const label = `${contexts} context${contexts === 1 ? "" : "s"} (${formatMB(model.bytes)} in, ${output.length} files, ${formatMB(outBytes)} out)`;
  const rows = [
    {
      benchmark: `compile + generate(), ${label}`,
      figure: `${figure(pure.pipeline, pure.compile)}; generate() alone ${formatMs(pure.generate.medianMs)}`,
      ...(big ? { target: `≤ ${TARGET_RATIO}× compile`, pass: ratio(pure.pipeline, pure.compile) <= TARGET_RATIO } : {}),
    },
    { benchmark: `\`eda generate\` in-process, fresh output, ${contexts} contexts`, figure: figure(commands.fresh, commands.compile) },
    {
      benchmark: `\`eda generate\` in-process, up to date, ${contexts} contexts`,
      figure: `${figure(commands.upToDate, commands.compile)}; \`eda check\` in-process ${ratio(commands.check, commands.compile).toFixed(2)}×`,
    },
  ];
  const summary = (t, base) => ({ medianMs: t.medianMs, medianCpuMs: t.medianCpuMs, runs: t.runs, ...(base ? { ratio: ratio(t, base), cpuRatio: cpuRatio(t, base) } : {}) });
  return {
    rows,
    data: {
      contexts,
      files: model.files.length,
      bytes: model.bytes,
      outputFiles: output.length,
      outputBytes: outBytes,
      compile: summary(pure.compile),
      compileAndGenerate: summary(pure.pipeline, pure.compile),
      generateOnly: summary(pure.generate, pure.compile),
      compileBesideCommands: summary(commands.compile),
      commandFresh: summary(commands.fresh, commands.compile),
      commandUpToDate: summary(commands.upToDate, commands.compile),
      checkCommand: summary(commands.check, commands.compile),
    },
  };
}

/**
 * Times async functions interleaved (a, b, a, b, …) after one untimed round, as `timeInProcess`
 * does for synchronous ones; `after(key)` runs after each call, outside the timing.
 */
async function timeAsyncInterleaved(fns, runs, after = () => {}) {
  const entries = Object.entries(fns);
  for (const [key, fn] of entries) {
    await fn();
    after(key);
  }
  const wall = Object.fromEntries(entries.map(([k]) => [k, []]));
  const cpu = Object.fromEntries(entries.map(([k]) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [key, fn] of entries) {
      const startCpu = process.cpuUsage();
      const start = performance.now();
      await fn();
      wall[key].push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpu[key].push((used.user + used.system) / 1000);
      after(key);
    }
  }
  return Object.fromEntries(entries.map(([k]) => [k, { medianMs: median(wall[k]), medianCpuMs: median(cpu[k]), runs }]));
}

/** A terminal that keeps what the command printed (for a failure's message) and the last exit code. */
function silentTerminal(cwd) {
  const id = (text) => text;
  const colors = { red: id, yellow: id, blue: id, cyan: id, bold: id, dim: id };
  const term = { cwd, printed: "", out: (t) => (term.printed += t), err: (t) => (term.printed += t), outColors: colors, errColors: colors };
  return term;
}

function expectOk(term, what) {
  if (/error|eda: /.test(term.printed)) throw new Error(`${what} failed: ${term.printed.slice(0, 400)}`);
  term.printed = "";
}

function measureCold(env, dir) {
  const target = `≤ ${COLD_TARGET_RATIO}× \`node -e 0\``;
  const runs = env.quick ? 8 : 30;
  env.log(`timing ${runs} interleaved runs of \`eda generate --out <fresh>\` in a copy of examples/shop (with its handlers) and \`node -e 0\` …`);
  // The path users take: a project whose eda.config.json names `handlers`, all of them written.
  const project = path.join(dir, "shop");
  cpSync(path.join(env.root, "examples/shop"), project, { recursive: true, filter: (from) => !/[/\\](generated|node_modules)$/.test(from) });
  const bin = path.join(env.root, BIN);
  let n = 0;
  const generateOnce = () => timeProcess(process.execPath, [bin, "generate", "--out", path.join(dir, `out-${n++}`)], { cwd: project });
  const nodeOnce = () => timeProcess(process.execPath, ["-e", "0"], { cwd: env.root });
  const first = generateOnce();
  if (first.status !== 0) {
    const reason = (first.stderr || first.stdout).trim().split("\n")[0] ?? "";
    return { row: { benchmark: "cold `eda generate` in the shop", figure: `not measured: exits ${first.status}: ${reason.slice(0, 160)}`, target, pass: null }, data: { failed: first.status } };
  }
  nodeOnce();
  const gen = [];
  const node = [];
  for (let i = 0; i < runs; i++) {
    gen.push(generateOnce().ms);
    node.push(nodeOnce().ms);
  }
  const ratio = median(gen) / median(node);
  return {
    row: {
      benchmark: "cold `eda generate --out <fresh folder>` in the shop (config naming `handlers`)",
      figure: `${ratio.toFixed(2)}× \`node -e 0\` (${formatMs(median(gen))} vs ${formatMs(median(node))}, medians of ${runs})`,
      target,
      pass: ratio <= COLD_TARGET_RATIO,
    },
    data: { runs, ratio, generateMedianMs: median(gen), nodeMedianMs: median(node), generateSamplesMs: gen, nodeSamplesMs: node },
  };
}
