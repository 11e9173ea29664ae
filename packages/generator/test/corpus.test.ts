/**
 * The corpus synthesizer: sampled strings match their patterns, and samples of random models
 * meet their fields' constraints (the process tests replay them through the generated codec).
 */
import { describe, expect, it } from "vitest";
import { compile } from "@eda/language";
import { synthesizeCorpus } from "../src/corpus/synth.js";
import { samplePattern } from "../src/corpus/regex-sample.js";

function counter(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

describe("samplePattern", () => {
  const patterns = ["^[A-Z0-9 -]{3,10}$", "^[A-Z]{2}$", "^[a-z]+$", "^(?:EU|US)-\\d{4}$", "^[^@\\s]+@[a-z]+\\.(com|org)$", "^a.c?d*$", "^\\w{2,}[-_]x$", "^[\\]a-]+$"];
  for (const pattern of patterns) {
    it(`makes strings that /${pattern}/ matches`, () => {
      const re = new RegExp(pattern, "u");
      for (let seed = 1; seed <= 50; seed++) {
        const text = samplePattern(pattern, counter(seed));
        expect(text, `seed ${seed}`).toBeDefined();
        expect(re.test(text as string), `${JSON.stringify(text)} for seed ${seed}`).toBe(true);
      }
    });
  }

  it("keeps within the length bounds, and gives up on what it cannot make", () => {
    expect(samplePattern("^[a-z]{3,40}$", counter(3), 5)?.length ?? 0).toBeLessThanOrEqual(5);
    expect(samplePattern("^(a)\\1$", counter(1))).toBeUndefined();
    expect(samplePattern("^(?=x)x$", counter(1))).toBeUndefined();
    expect(samplePattern("^[a-z]{10}$", counter(1), 5)).toBeUndefined();
  });
});

describe("synthesizeCorpus", () => {
  const source = `context Shop
enum Size { S, M, L }
type Line { sku: string @pattern("^[A-Z]{3}-\\\\d{2}$"), qty: int @min(1) @max(9) }
event Placed v1 { id: uuid, lines: Line[] @minItems(1) @maxItems(3), note?: string @maxLength(4), size: Size, at: timestamp, day: date, price: decimal @min(1), tags: map<string, int> }
event Placed v2 { id: uuid, total: float @min(0) @max(1), hold: duration = 72h }
upcast Placed v1 -> v2 { total = compute }
`;

  it("is deterministic for a seed, and meets the constraints", () => {
    const { model, diagnostics } = compile([{ path: "shop.eda", text: source }]);
    expect(diagnostics).toEqual([]);
    const a = synthesizeCorpus(model, { seed: 3, count: 30 });
    expect(a.problems).toEqual([]);
    expect(synthesizeCorpus(model, { seed: 3, count: 30 })).toEqual(a);
    expect(synthesizeCorpus(model, { seed: 4, count: 30 })).not.toEqual(a);
    const v1 = a.fixtures.find((f) => f.version === 1)?.samples as { lines: { sku: string; qty: number }[]; note?: string; size: string; at: string; day: string; price: string }[];
    for (const s of v1) {
      expect(s.lines.length).toBeGreaterThanOrEqual(1);
      expect(s.lines.length).toBeLessThanOrEqual(3);
      for (const l of s.lines) {
        expect(l.sku).toMatch(/^[A-Z]{3}-\d{2}$/);
        expect(l.qty).toBeGreaterThanOrEqual(1);
        expect(l.qty).toBeLessThanOrEqual(9);
      }
      expect((s.note ?? "").length).toBeLessThanOrEqual(4);
      expect(["S", "M", "L"]).toContain(s.size);
      expect(s.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(s.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number(s.price)).toBeGreaterThanOrEqual(1);
    }
    // Optional fields come and go across samples.
    expect(new Set(v1.map((s) => "note" in s)).size).toBe(2);
  });

  it("names a field whose pattern it cannot sample, and leaves that version out", () => {
    const { model } = compile([{ path: "x.eda", text: `context X\nevent Noted { code: string @pattern("^(a)\\\\1$") }\n` }]);
    const { fixtures, problems } = synthesizeCorpus(model, { seed: 1, count: 2 });
    expect(fixtures).toEqual([]);
    expect(problems).toEqual([{ type: "Noted", version: 1, field: "code", reason: "no string of 1–12 characters matching /^(a)\\1$/ could be made" }]);
  });
});
