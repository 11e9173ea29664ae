import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { compile } from "@eda/language";
import { scaffold, type ScaffoldContainer } from "@eda/generator";
import { describe, expect, it } from "vitest";
import { insertMissingMembers } from "../src/generate/insert-members.js";
import { completeFileStale } from "../src/generate/scan-members.js";

const SHOP = join(import.meta.dirname, "../../../examples/shop");

/** The shop's handler files, each with the containers its scaffold must hold. */
function shopHandlers(): { path: string; text: string; containers: readonly ScaffoldContainer[] }[] {
  const files = readdirSync(SHOP)
    .filter((f) => f.endsWith(".eda"))
    .map((f) => ({ path: f, text: readFileSync(join(SHOP, f), "utf8") }));
  const { model } = compile(files);
  return scaffold(model, { generatedFromHandlers: "../generated" })
    .filter((s) => s.containers.some((c) => c.members.length > 0))
    .map((s) => ({ path: s.path, text: readFileSync(join(SHOP, "handlers", s.path), "utf8"), containers: s.containers }));
}

/** The light scan is either unsure or says what ts-morph says: nothing to add, these members stale. */
function expectAgreement(text: string, containers: readonly ScaffoldContainer[]): string[] | undefined {
  const scanned = completeFileStale(text, containers);
  if (scanned === undefined) return undefined;
  const edit = insertMissingMembers(text, containers);
  expect({ added: edit.added, unplaced: edit.unplaced, stale: scanned }).toEqual({ added: [], unplaced: [], stale: edit.stale });
  return scanned;
}

/**
 * Whether TypeScript parses the text without a syntax error. Where it does not, its recovery
 * decides what ts-morph sees, which no light scan can follow (the user's tsc reports the error).
 */
function parses(text: string): boolean {
  const file = ts.createSourceFile("h.ts", text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS) as ts.SourceFile & { parseDiagnostics: unknown[] };
  return file.parseDiagnostics.length === 0;
}

const decide = (keys: string[]): ScaffoldContainer => ({ variable: "order", path: ["decide"], members: keys.map((key) => ({ key, text: `${key}() {}` })) });

describe("the light scan of handler files", () => {
  it("settles every shop handler file without TypeScript, as ts-morph would", () => {
    const handlers = shopHandlers();
    expect(handlers.length).toBeGreaterThan(3);
    for (const h of handlers) expect(expectAgreement(h.text, h.containers), h.path).toEqual([]);
  });

  it("is never sure of a file that lacks a member", () => {
    for (const h of shopHandlers()) {
      for (const [i, c] of h.containers.entries()) {
        for (const m of c.members) {
          const more = h.containers.map((x, j) => (j === i ? { ...x, members: [...x.members, { key: `${m.key}Again`, text: "" }] } : x));
          expect(completeFileStale(h.text, more), `${h.path} ${m.key}Again`).toBeUndefined();
        }
      }
    }
  });

  it("reads past strings, comments, templates and regular expressions that hold braces and keys", () => {
    const text = [
      "const s = '}'; // decide: { Fake() {} }",
      "/* export const order = defineOrder({ decide: {} }) */",
      "export const order = defineOrder<Reason>({",
      "  decide: {",
      '    Place(c) { const t = `a ${ { "}": 1 }["}"] } ${`b${"`"}`} }`; return /[}{]\\//.test(t) ? [] : []; },',
      "    'Cancel': (c) => [],",
      "    async Amend(c) { return [] },",
      "    Stale: () => [],",
      "  },",
      "});",
      "",
    ].join("\n");
    expect(expectAgreement(text, [decide(["Place", "Cancel", "Amend"])])).toEqual(["decide.Stale"]);
  });

  it("leaves to ts-morph what it cannot read plainly", () => {
    const unsure = [
      "export const order: Handlers = defineOrder({ decide: { Place() {} } });",
      "export const order = defineOrder({ decide: { ...base, Place() {} } });",
      "export const order = defineOrder({ decide: { [key]: 1, Place() {} } });",
      'export const order = defineOrder({ decide: { "Pl\\u0061ce"() {} } });',
      "export const order = defineOrder({ decide: base });",
      "export const order = defineOrder(({ decide: { Place() {} } }));",
      "export const order = defineOrder(base, { decide: { Place() {} } });",
      "export const order = defineOrder({ decide: { Place() {} } }",
      "const a = 1, order = defineOrder({ decide: { Place() {} } });",
    ];
    for (const text of unsure) expect(completeFileStale(text, [decide(["Place"])]), text).toBeUndefined();
  });

  it("agrees with ts-morph on shop handler files cut and spliced at random", () => {
    const handlers = shopHandlers();
    const noise = ["}", "{", "'}'", '"{"', "`${", "`}`", "/}/", "// }\n", "/* { */", "(", ")", ",", "x: 1,", "\n"];
    fc.assert(
      fc.property(fc.nat(handlers.length - 1), fc.nat(), fc.nat(), fc.constantFrom(...noise), (which, from, to, piece) => {
        const h = handlers[which] as (typeof handlers)[number];
        const [a, b] = [from % h.text.length, to % h.text.length].sort((x, y) => x - y) as [number, number];
        for (const text of [h.text.slice(0, a) + h.text.slice(b), h.text.slice(0, a) + piece + h.text.slice(a)]) {
          if (parses(text)) expectAgreement(text, h.containers);
        }
      }),
      { numRuns: 1000, seed: 18 },
    );
  });
});
