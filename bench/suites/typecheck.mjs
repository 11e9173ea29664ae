/**
 * What users pay to type-check the generated code: `tsc --noEmit --extendedDiagnostics` over the
 * generated code of the synthetic 50- and 500-context models (the strict settings of
 * test/generated/tsconfig.json), as a fresh process: types and instantiations (deterministic,
 * unlike times) per context, check time, and peak RSS (the preload of bench/lib/peak-rss.mjs).
 * Linear growth means types per context stay the same from 50 to 500. `--quick` skips the
 * 500-context run (minutes and gigabytes).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatMB, formatMs, timeProcess } from "../lib/measure.mjs";
import { generateModel } from "../synthetic.mjs";

const SEED = 1;
const TARGET_TYPES_PER_CONTEXT = 3000;
const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2023"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noEmit: true,
  skipLibCheck: true,
};

/** @type {import("../run.mjs").Suite} */
export const typecheckSuite = {
  id: "typecheck",
  title: "`tsc` over the generated code: types, instantiations and peak memory",
  async run(env) {
    const { compile } = await env.language();
    const { generate } = await import(pathToFileURL(path.join(env.root, "packages/generator/dist/index.js")).href);
    // Inside the repository, so that zod and @eda/runtime resolve from its node_modules.
    const base = path.join(env.root, "bench/.out/typecheck");
    const sizes = env.quick ? [50] : [50, 500];
    const rows = [];
    const data = { seed: SEED, targetTypesPerContext: TARGET_TYPES_PER_CONTEXT, models: [] };
    try {
      for (const contexts of sizes) {
        const dir = path.join(base, `m${contexts}`);
        rmSync(dir, { recursive: true, force: true });
        const { files } = generateModel(contexts, SEED);
        const { model } = compile(files);
        for (const f of generate(model)) {
          mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
          writeFileSync(path.join(dir, f.path), f.content);
        }
        writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ["**/*.ts"] }));
        env.log(`tsc --extendedDiagnostics over the generated code of ${contexts} contexts …`);
        const m = measureTsc(env.root, dir);
        data.models.push({ contexts, ...m });
        const perContext = m.types / contexts;
        rows.push({
          benchmark: `tsc over the generated code, ${contexts} contexts`,
          figure: `${m.errors === 0 ? "type-checks" : `**${m.errors} errors**${m.firstError ? ` (${m.firstError})` : ""}`}; ${Math.round(perContext).toLocaleString("en")} types and ${Math.round(m.instantiations / contexts).toLocaleString("en")} instantiations per context (${m.types.toLocaleString("en")} / ${m.instantiations.toLocaleString("en")}); check ${formatMs(m.checkMs)}, total ${formatMs(m.ms)}; peak RSS ${formatMB(m.peakRss)}`,
          target: `type-checks, ≤ ${TARGET_TYPES_PER_CONTEXT.toLocaleString("en")} types per context`,
          pass: m.errors === 0 && perContext <= TARGET_TYPES_PER_CONTEXT,
        });
      }
      const [small, big] = data.models;
      const notes = ["Types and instantiations are tsc's own counts (`--extendedDiagnostics`); they do not depend on the machine. The code is what `generate()` writes for the synthetic model of `bench/synthetic.mjs` (seed 1), without handlers."];
      if (small && big) notes.push(`Growth from ${small.contexts} to ${big.contexts} contexts: types per context ×${(big.types / big.contexts / (small.types / small.contexts)).toFixed(2)}, instantiations per context ×${(big.instantiations / big.contexts / (small.instantiations / small.contexts)).toFixed(2)} (1.00 is linear).`);
      return { rows, notes, data };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};

/** Runs tsc once over `dir` with its extended diagnostics and peak RSS. */
function measureTsc(root, dir) {
  const rssFile = path.join(dir, ".peak-rss");
  const preload = pathToFileURL(path.join(root, "bench/lib/peak-rss.mjs")).href;
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  const r = timeProcess(process.execPath, ["--max-old-space-size=12288", "--import", preload, tsc, "-p", dir, "--extendedDiagnostics"], { cwd: root, env: { ...process.env, EDA_BENCH_RSS_FILE: rssFile } });
  const count = (label) => Number((new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(r.stdout) ?? [])[1] ?? NaN);
  const errors = r.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  return {
    status: r.status,
    ms: r.ms,
    types: count("Types"),
    instantiations: count("Instantiations"),
    checkMs: count("Check time") * 1000,
    peakRss: Number(readFileSync(rssFile, "utf8")),
    errors: errors.length,
    firstError: errors[0]?.replace(/^.*?(error TS\d+)/, "$1").slice(0, 160),
  };
}
