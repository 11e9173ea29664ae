/**
 * Every generated TypeScript module is already formatted whatever the length of the names: for
 * random synthetic models (`bench/synthetic.mjs` with `longNames`: each context's names get a
 * prefix of 0 to 60 letters, so declarations run from short names to well past 60 characters),
 * generated with their handler scaffolds, Prettier with the project's settings changes nothing
 * in any `.ts` file. Layout is decided by the printer (`src/print/`) alone; this is its oracle.
 *
 * Seeded and bounded for CI (4 models); `EDA_PROPERTY_RUNS` and `EDA_PROPERTY_SEED` make longer
 * or other runs, e.g. `EDA_PROPERTY_RUNS=200 pnpm vitest run packages/generator/test/long-names.test.ts`.
 */
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { compile, createParser } from "@eda/language";
import { generateModel } from "../../../bench/synthetic.mjs";
import { generate, scaffold } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const RUNS = Number(process.env["EDA_PROPERTY_RUNS"] ?? 4);
const SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 42);

/** The kind of a generated module: `aggregates.ts`, `app.ts`, … or `scaffold` for a handler file. */
function kindOf(path: string, scaffolded: boolean): string {
  return scaffolded ? "scaffold" : (path.split("/").pop() as string);
}

/** The longest identifier-like run of letters in a text. */
function longestName(text: string): number {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = (ch >= "A" && ch <= "Z") || (ch >= "a" && ch <= "z") ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe("generated modules with long and short names", () => {
  it("are Prettier fixed points, in every module kind", async () => {
    const kinds = new Set<string>();
    let longest = 0;
    const model = fc.record({ contexts: fc.integer({ min: 1, max: 3 }), seed: fc.integer({ min: 1, max: 1_000_000 }), shapes: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(model, async ({ contexts, seed, shapes }) => {
        const { files } = generateModel(contexts, seed, { longNames: true, shapes }) as { files: { path: string; text: string }[] };
        const { model: m, diagnostics } = compile(files, { parser });
        expect(diagnostics.filter((d) => d.severity === "error"), `model ${contexts}/${seed}`).toEqual([]);
        const out = [...generate(m).map((f) => ({ ...f, scaffolded: false })), ...scaffold(m, { generatedFromHandlers: "../generated" }).map((f) => ({ ...f, scaffolded: true }))];
        for (const f of out.filter((x) => x.path.endsWith(".ts"))) {
          kinds.add(kindOf(f.path, f.scaffolded));
          longest = Math.max(longest, longestName(f.content));
          expect(await prettier.format(f.content, { filepath: f.path }), `${f.path} of model ${contexts}/${seed}`).toBe(f.content);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The run must have reached every kind of module, with names past 60 characters.
    for (const kind of ["schemas.ts", "upcasters.ts", "codec.ts", "aggregates.ts", "services.ts", "projections.ts", "testing.ts", "workflows.ts", "app.ts", "index.ts", "scaffold"]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(longest).toBeGreaterThan(60);
  }, 300_000);

  it("lay out default values with long field names as Prettier does", async () => {
    const f = (n: number): string => `f${"x".repeat(n)}`;
    const text = [
      "context C",
      `type T { ${f(40)}: int = 0, ${f(35)}: string = "abcdefghijkl", ${f(30)}: bool = true }`,
      "command Go { id: uuid }",
      "event Went { id: uuid, t: T = {} }",
      `aggregate A {\n  stream id\n  state {\n    t: T = {}\n    ${f(50)}: T = {}\n  }\n  on Go emits Went\n}`,
    ].join("\n");
    const { model, diagnostics } = compile([{ path: "m.eda", text }], { parser });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const file of generate(model).filter((x) => x.path.endsWith(".ts"))) expect(await prettier.format(file.content, { filepath: file.path }), file.path).toBe(file.content);
  });
});
