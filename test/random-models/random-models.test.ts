/**
 * For random valid models the generated code compiles: models drawn by fast-check (seed and size
 * of the synthetic generator of `bench/synthetic.mjs`, which uses the whole language, and half of
 * them with its small shapes: empty, types only, no commands, only a choreography), generated
 * with their handler scaffolds and compiled by tsc under the strictest settings.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { createParser, compile } from "@eda/language";
import { generate, scaffold } from "@eda/generator";
import { describe, expect, it } from "vitest";
import { asCompiled } from "../generated/helpers.js";
import { generateModel, shapeModels } from "../../bench/synthetic.mjs";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const run = promisify(execFile);
const here = import.meta.dirname;
const out = join(here, "out");
const tsc = join(here, "../../node_modules/typescript/bin/tsc");

function write(dir: string, files: readonly { path: string; content: string }[]): void {
  for (const f of asCompiled(files)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

describe("random valid models", () => {
  it("generate code that compiles strict", async () => {
    // Every other model also has the small shapes: an empty context, one of only types, one of
    // events without commands, one of only a choreography.
    const drawn = fc
      .sample(fc.record({ contexts: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: 1, max: 1_000_000 }) }), { numRuns: 4, seed: Date.now() % 100_000 })
      .map((d, i) => ({ ...d, shapes: i % 2 === 0 }));
    rmSync(out, { recursive: true, force: true });
    for (const [i, { contexts, seed, shapes }] of drawn.entries()) {
      const { files } = generateModel(contexts, seed, { shapes }) as { files: { path: string; text: string }[] };
      const { model, diagnostics } = compile(files, { parser });
      expect(diagnostics.filter((d) => d.severity === "error"), `model ${contexts}/${seed}${shapes ? " with shapes" : ""}`).toEqual([]);
      const dir = join(out, `m${i}`);
      write(join(dir, "generated"), generate(model));
      write(join(dir, "handlers"), scaffold(model, { generatedFromHandlers: "../generated" }));
    }
    // Models with no events or no commands at all.
    for (const { name, files } of shapeModels() as { name: string; files: { path: string; text: string }[] }[]) {
      const { model, diagnostics } = compile(files, { parser });
      expect(diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
      write(join(out, name, "generated"), generate(model));
      write(join(out, name, "handlers"), scaffold(model, { generatedFromHandlers: "../generated" }));
    }
    const result = await run(process.execPath, [tsc, "-p", here], { maxBuffer: 16 << 20 }).catch((e: { stdout: string }) => e);
    expect("stdout" in result ? result.stdout : "", `models ${JSON.stringify(drawn)}`).toBe("");
  }, 180_000);
});
