/**
 * Parse+check throughput of `compile()` on the synthetic 1/50/500-context models, in-process,
 * with start-up removed: the language package is loaded and warmed up (parser built, code
 * optimised) before any timed run. Parsing alone is timed too, interleaved with the whole, so a shortfall can be placed.
 * Then 5 MB of random tokens (`bench/junk.mjs`), whose speed is compared with the valid 500-context
 * model's: junk must not be much slower than a model (about 1×, linear in size).
 */
import { formatMB, formatMs, megabytesPerSecond, timeInProcess } from "../lib/measure.mjs";
import { generateJunk } from "../junk.mjs";
import { generateModel } from "../synthetic.mjs";

/** Contexts per model; the target applies to the biggest. */
export const SIZES = [1, 50, 500];
const SEED = 1;
const TARGET_MB_S = 4;
const JUNK_MB = 5;
/** Junk may be at most this much slower per megabyte than the valid 500-context model. */
const JUNK_TARGET = 1.5;

/** @type {import("../run.mjs").Suite} */
export const checkThroughput = {
  id: "check",
  title: "Parse and check throughput (in-process, start-up removed)",
  async run(env) {
    const language = await env.language();
    // One parser for every run, as an editor or a watch keeps one.
    const parser = language.createParser();
    const compile = (files) => language.compile(files, { parser });
    const parseFile = (file) => parser.parse(file);
    const models = SIZES.map((contexts) => ({ contexts, ...generateModel(contexts, SEED) }));
    env.log("warming up compile() …");
    for (let i = 0; i < 30; i++) compile(models[0].files);
    for (let i = 0; i < (env.quick ? 1 : 3); i++) compile(models[1].files);

    const rows = [];
    const data = [];
    for (const m of models) {
      const diagnostics = compile(m.files).diagnostics.length;
      const big = m.contexts === SIZES[SIZES.length - 1];
      const options = big ? { warmup: 1, minRuns: env.quick ? 2 : 5, maxRuns: 5, budgetMs: 0 } : { warmup: 2, minRuns: 5, maxRuns: 200, budgetMs: env.quick ? 1000 : 4000 };
      env.log(`timing ${m.contexts} context(s), ${formatMB(m.bytes)} …`);
      const { full, parse } = timeInProcess({ full: () => compile(m.files), parse: () => m.files.map((f) => parseFile(f)) }, options);
      const mbs = megabytesPerSecond(m.bytes, full.medianMs);
      const cpuMbs = megabytesPerSecond(m.bytes, full.medianCpuMs);
      const parseMbs = megabytesPerSecond(m.bytes, parse.medianMs);
      const label = `${m.contexts} context${m.contexts === 1 ? "" : "s"}, ${m.files.length} files, ${formatMB(m.bytes)}`;
      rows.push({
        benchmark: `parse+check, ${label}`,
        figure: `${mbs.toFixed(2)} MB/s (${formatMs(full.medianMs)}, median of ${full.runs}; best run ${megabytesPerSecond(m.bytes, full.bestMs).toFixed(2)} MB/s; by CPU time ${cpuMbs.toFixed(2)} MB/s)`,
        ...(big ? { target: `≥ ${TARGET_MB_S} MB/s`, pass: mbs >= TARGET_MB_S && diagnostics === 0 } : {}),
      });
      rows.push({ benchmark: `parse only, ${label}`, figure: `${parseMbs.toFixed(2)} MB/s (${formatMs(parse.medianMs)}; by CPU time ${megabytesPerSecond(m.bytes, parse.medianCpuMs).toFixed(2)} MB/s), so resolve+check ≈ ${formatMs(Math.max(0, full.medianMs - parse.medianMs))}` });
      data.push({
        contexts: m.contexts,
        files: m.files.length,
        bytes: m.bytes,
        diagnostics,
        compile: { medianMs: full.medianMs, bestMs: full.bestMs, medianCpuMs: full.medianCpuMs, runs: full.runs, mbPerSecond: mbs, mbPerCpuSecond: cpuMbs },
        parse: { medianMs: parse.medianMs, bestMs: parse.bestMs, medianCpuMs: parse.medianCpuMs, runs: parse.runs, mbPerSecond: parseMbs },
      });
    }
    const junk = junkRow(compile, env, data[data.length - 1]);
    rows.push(junk.row);
    const dirty = data.filter((d) => d.diagnostics > 0);
    const notes = [
      `Synthetic models from \`bench/synthetic.mjs\` (seed ${SEED}); MB = 10^6 bytes of UTF-8 source. The target is judged on the median wall time; the best run and the CPU time (all threads) are shown because a loaded machine inflates them less.`,
      dirty.length === 0 ? "Every model checked clean (no errors, no warnings)." : `NOT CLEAN — the figures are not comparable: ${dirty.map((d) => `${d.contexts} contexts gave ${d.diagnostics} diagnostics`).join("; ")}.`,
    ];
    return { rows, notes, data: { seed: SEED, targetMbPerSecond: TARGET_MB_S, models: data, junk: junk.data } };
  },
};

/** Check of random tokens, MB/s, as a ratio of the valid model's time per megabyte. */
function junkRow(compile, env, valid) {
  const text = generateJunk(JUNK_MB * 1e6, SEED);
  const files = [{ path: "junk.eda", text }];
  const bytes = Buffer.byteLength(text, "utf8");
  env.log(`timing ${formatMB(bytes)} of random tokens …`);
  const { full } = timeInProcess({ full: () => compile(files) }, { warmup: 1, minRuns: env.quick ? 2 : 5, maxRuns: 5, budgetMs: 0 });
  const mbs = megabytesPerSecond(bytes, full.medianMs);
  const ratio = valid.compile.mbPerSecond / mbs;
  const diagnostics = compile(files).diagnostics.length;
  return {
    row: {
      benchmark: `check of ${formatMB(bytes)} of random tokens (junk)`,
      figure: `${mbs.toFixed(2)} MB/s (${formatMs(full.medianMs)}, ${diagnostics} diagnostics shown); ${ratio.toFixed(2)}× the valid model's time per MB`,
      target: `≤ ${JUNK_TARGET}× the valid model's time per MB`,
      pass: ratio <= JUNK_TARGET,
    },
    data: { bytes, medianMs: full.medianMs, mbPerSecond: mbs, diagnostics, ratioToValid: ratio },
  };
}
