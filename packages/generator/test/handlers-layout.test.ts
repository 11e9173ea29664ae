/**
 * The handler modules (aggregates, services, projections, test helpers) and the scaffolds are
 * already formatted whatever the lengths of the names in the model: for random models with
 * declaration names from 1 to 90 characters, Prettier changes nothing. Fields stay short and
 * scalar: the lines of a state's or row's schema come from the schema emitter's layout, which
 * the schema tests cover. The layout helpers alone are checked against Prettier in
 * behaviour.test.ts.
 */
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { createParser, compile } from "@eda/language";
import { generate, scaffold } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const letters = "abcdefghijklmnopqrstuvwxyz";

/** A name of `length` letters, PascalCase or camelCase, made unique by its index. */
function name(seed: string, length: number, index: number, pascal: boolean): string {
  const body = (seed.repeat(Math.ceil(length / Math.max(seed.length, 1))) || "x").slice(0, Math.max(length, 1));
  const word = `${body}Q${letters[index % 26]}`;
  return pascal ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

const seeds = fc.stringMatching(/^[a-z]{1,6}$/);
const lengths = fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 12, maxLength: 12 });

/** A model with one aggregate, one service and one projection, every name of the given length. */
function model(seed: string, len: readonly number[]): string {
  const at = (i: number): number => len[i] ?? 1;
  const P = (i: number): string => name(seed, at(i), i, true);
  const c = (i: number): string => name(seed, at(i), i, false);
  const [ctx, agg, place, change, placed, changed, svc, send, sent, proj] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(P);
  const [id, key] = [10, 11].map(c);
  const [note, count, flag, total] = ["note", "count", "flag", "total"];
  return [
    `context ${ctx}`,
    `command ${place} { ${id}: uuid, ${key}: uuid, ${note}: string @pattern("^[a-z]+$") }`,
    `command ${change} { ${id}: uuid }`,
    `event ${placed} { ${id}: uuid, ${key}: uuid, ${note}: string }`,
    `event ${changed} { ${id}: uuid, ${key}: uuid }`,
    `aggregate ${agg} {`,
    `  stream ${id}`,
    `  state {`,
    `    ${count}: int = 0`,
    `    ${flag}: bool = true`,
    `    ${total}?: decimal @min(0)`,
    `  }`,
    `  on ${place} emits ${placed} | ${changed}`,
    `  on ${change} emits ${changed}`,
    `  snapshot every 7`,
    `}`,
    `command ${send} { ${id}: uuid, ${note}: string }`,
    `event ${sent} { ${id}: uuid }`,
    `service ${svc} { on ${send} emits ${sent} }`,
    `projection ${proj} {`,
    `  key ${key}: uuid`,
    `  fields { ${count}: int = 0, ${note}?: string }`,
    `  from ${placed}, ${changed}`,
    `}`,
  ].join("\n");
}

const HANDLER_MODULES = /(^|\/)(aggregates|services|projections|testing|decisions)\.ts$/;

describe("handler modules and scaffolds are formatted for any name length", () => {
  it("Prettier changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(seeds, lengths, async (seed, len) => {
        const text = model(seed, len);
        const { model: m, diagnostics } = compile([{ path: "probe.eda", text }], { parser });
        expect(diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
        const files = [
          ...generate(m).filter((f) => HANDLER_MODULES.test(f.path)),
          ...scaffold(m, { generatedFromHandlers: "../generated" }),
        ];
        expect(files.length).toBe(9);
        for (const f of files) expect(await prettier.format(f.content, { filepath: f.path }), `${f.path}\n${text}`).toBe(f.content);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
