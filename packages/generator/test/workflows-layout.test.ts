/**
 * `workflows.ts` and `app.ts` are already formatted whatever the lengths of the names in the
 * model: for random models with names from 1 to 90 characters — an orchestrated workflow with
 * hooks in a send, a compensation and `on complete`, a long string literal, and a choreography
 * with a hook — Prettier changes nothing.
 */
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { createParser, compile } from "@eda/language";
import { generate } from "../src/index.js";

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
const lengths = fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 20, maxLength: 20 });

function model(seed: string, len: readonly number[]): string {
  const at = (i: number): number => len[i] ?? 1;
  const P = (i: number): string => name(seed, at(i), i, true);
  const c = (i: number): string => name(seed, at(i), i, false);
  const [ctx, agg, startCmd, started, doCmd, done, failed, undo, undone, finish, finished, wf, rules] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(P);
  const [id, f1, f2, hooked, reason, summary, s1, s2] = [13, 14, 15, 16, 17, 18, 19, 0].map(c);
  const literal = "x".repeat(at(1) + at(2));
  return [
    `context ${ctx}`,
    `command ${startCmd} { ${id}: uuid, ${f1}: string }`,
    `event ${started} { ${id}: uuid, ${f1}: string }`,
    `command ${doCmd} { ${id}: uuid, ${f2}: string, ${hooked}: string }`,
    `event ${done} { ${id}: uuid, ${f2}: string }`,
    `event ${failed} { ${id}: uuid }`,
    `command ${undo} { ${id}: uuid, ${reason}: string }`,
    `event ${undone} { ${id}: uuid }`,
    `command ${finish} { ${id}: uuid, ${f2}: string, ${summary}: string }`,
    `event ${finished} { ${id}: uuid }`,
    `aggregate ${agg} {`,
    `  stream ${id}`,
    `  on ${startCmd} emits ${started}`,
    `  on ${doCmd} emits ${done} | ${failed}`,
    `  on ${undo} emits ${undone}`,
    `  on ${finish} emits ${finished}`,
    `}`,
    `workflow ${wf} orchestrated {`,
    `  start on ${started}`,
    `  correlate ${id}`,
    `  timeout 5m`,
    `  step ${s1} {`,
    `    send ${doCmd} { ${f2} = ${f1}, ${hooked} = compute }`,
    `    await ${done}`,
    `    fail on ${failed}`,
    `    compensate ${undo} { ${reason} = compute }`,
    `    retry 2 every 3s`,
    `  }`,
    `  step ${s2}x {`,
    `    send ${finish} { ${f2} = ${done}.${f2}, ${summary} = compute }`,
    `    await ${finished}`,
    `  }`,
    `  on complete send ${finish} { ${f2} = ${done}.${f2}, ${summary} = "${literal}" }`,
    `  on fail send ${undo} { ${reason} = "${literal}" }`,
    `}`,
    `workflow ${rules} choreographed {`,
    `  on ${started} send ${doCmd} { ${f2} = ${f1}, ${hooked} = compute }`,
    `}`,
  ].join("\n");
}

describe("workflow modules are formatted for any name length", () => {
  it("Prettier changes nothing in workflows.ts and app.ts", async () => {
    await fc.assert(
      fc.asyncProperty(seeds, lengths, async (seed, len) => {
        const text = model(seed, len);
        const { model: m, diagnostics } = compile([{ path: "probe.eda", text }], { parser });
        expect(diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
        const files = generate(m).filter((f) => /(^|\/)(workflows|app)\.ts$/.test(f.path));
        expect(files.length).toBe(2);
        expect(files.find((f) => f.path.endsWith("workflows.ts"))?.content).toMatch(/hooks\.compensate\./);
        for (const f of files) expect(await prettier.format(f.content, { filepath: f.path }), `${f.path}\n${text}`).toBe(f.content);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
