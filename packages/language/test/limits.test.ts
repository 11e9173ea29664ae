/**
 * Inputs built to exhaust the front end — deep nesting, long literals and comments, millions of
 * problems — are checked without throwing: deep types stop with EDA1013, and each file reports at
 * most `MAX_DIAGNOSTICS_PER_FILE` problems and one EDA1014 that counts the rest.
 */
import { describe, expect, it } from "vitest";
import { generateJunk } from "../../../bench/junk.mjs";
import { createParser, compile, MAX_DIAGNOSTICS_PER_FILE, type Diagnostic } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const MB = 1_000_000;
const repeat = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length));

function check(text: string): readonly Diagnostic[] {
  return compile([{ path: "big.eda", text }], { parser }).diagnostics;
}

describe("the front end on hostile input", () => {
  const cases: [string, () => string, string[]][] = [
    ["1,563 nested maps", () => `context A\ntype T { a: ${"map<string, ".repeat(1563)}int${">".repeat(1563)} }\n`, ["EDA1013"]],
    ["4,256 list suffixes", () => `context A\ntype T { a: int${"[]".repeat(4256)} }\n`, ["EDA1013"]],
    ["an 8.4 MB string", () => `context A\ntype T { a: string = "${"x".repeat(8.4 * MB)}" }\n`, []],
    ["a 2 MB string of escapes", () => `context A\ntype T { a: string = "${"\\u{41}\\n".repeat(MB / 4)}" }\n`, []],
    ["an 8 MB unterminated string", () => `context A\ntype T { a: string = "${"x".repeat(8 * MB)}`, ["EDA1002"]],
    ["an 8 MB block comment", () => `context A\n/* ${"x\n".repeat(4 * MB)} */\n`, []],
    ["an 8 MB doc comment", () => `context A\n/// ${"x".repeat(8 * MB)}\ntype T { a: int }\n`, []],
    ["a million unknown characters", () => `context A\n${repeat("# ", 2 * MB)}`, ["EDA1001"]],
    ["80,000 broken declarations", () => `context A\n${repeat("type\n", 0.4 * MB)}`, ["EDA1004"]],
    ["90,000 duplicate declarations on one line", () => `context A ${repeat("type T { } ", MB)}`, ["EDA2003"]],
    ["2 MB of random tokens", () => generateJunk(2 * MB, 11) as string, []],
    ["a chain of 20,000 required types, closed into a cycle", () => `context A\n${Array.from({ length: 20_000 }, (_, i) => `type T${i} { next: T${(i + 1) % 20_000} }`).join("\n")}\n`, ["EDA2011"]],
    [
      "a chain of 5,000 choreography rules, closed into a cycle",
      () => {
        const n = 5_000;
        const lines = ["context A", "service S {", ...Array.from({ length: n }, (_, i) => `  on C${i} emits E${i}`), "}"];
        for (let i = 0; i < n; i++) lines.push(`command C${i} { id: uuid }`, `event E${i} { id: uuid }`);
        lines.push("workflow W choreographed {", ...Array.from({ length: n }, (_, i) => `  on E${i} send C${(i + 1) % n}`), "}");
        return lines.join("\n");
      },
      ["EDA5014"],
    ],
  ];
  for (const [name, make, codes] of cases) {
    it(`does not throw on ${name}`, () => {
      const diagnostics = check(make());
      for (const code of codes) expect(diagnostics.map((d) => d.code)).toContain(code);
      expect(diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS_PER_FILE + 1);
    });
  }

  it("counts the problems it does not show, by severity, in one closing EDA1014", () => {
    const text = `context A\n${Array.from({ length: 150 }, (_, i) => `type T${i} { a: # }`).join("\n")}\n/// orphan\n`;
    const diagnostics = check(text);
    expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    const last = diagnostics[diagnostics.length - 1] as Diagnostic;
    expect(last.code).toBe("EDA1014");
    expect(last.severity).toBe("error");
    // 150 unknown characters, then 150 syntax errors, then one orphan doc warning.
    expect(last.message).toContain("200 more errors and 1 more warning");
    expect(last.span.start).toBeGreaterThanOrEqual((diagnostics[MAX_DIAGNOSTICS_PER_FILE - 1] as Diagnostic).span.end);
  });

  it("shows errors before warnings when it must choose", () => {
    const warnings = Array.from({ length: 150 }, (_, i) => `event PlaceOrder${i} { id: uuid }`);
    const diagnostics = check(`context A\n${warnings.join("\n")}\ntype T { a: # }\n`);
    expect(diagnostics.some((d) => d.code === "EDA1001")).toBe(true);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["EDA1001", "EDA1004"]);
    expect(diagnostics[diagnostics.length - 1]?.code).toBe("EDA1014");
  });

  it("shows the first problems of the file, whichever stage found them", () => {
    const lines = Array.from({ length: 300 }, (_, i) => (i === 5 ? "type Dup { a: int }\ntype Dup { a: int }" : `type T${i} { a: int b: # }`));
    const diagnostics = check(`context A\n${lines.join("\n")}\n`);
    expect(diagnostics.some((d) => d.code === "EDA2003")).toBe(true);
    const starts = diagnostics.map((d) => d.span.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });
});
