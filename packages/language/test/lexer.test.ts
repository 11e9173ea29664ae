import { describe, expect, it } from "vitest";
import { Lexer } from "chevrotain";
import { allTokens, Unknown } from "../src/syntax/tokens.js";
import { createParser } from "../src/syntax/parse-file.js";

describe("the lexer", () => {
  // `Unknown` names one code unit per bucket of Chevrotain's first-character table (tokens.ts):
  // if Chevrotain's buckets change, some code unit falls through to the lexer's error path.
  it("lexes every UTF-16 code unit as a token, never as a lexing error", () => {
    const lexer = new Lexer(allTokens, { positionTracking: "onlyOffset", skipValidations: true });
    const lone: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      // Whitespace is skipped (no token); everything else is some token.
      if (lexer.tokenize(`${String.fromCharCode(c)} `).errors.length > 0) lone.push(c);
    }
    expect(lone).toEqual([]);
  });

  it("reads a character no token takes as one Unknown token, a surrogate pair as one", () => {
    const lexer = new Lexer(allTokens, { positionTracking: "onlyOffset", skipValidations: true });
    for (const text of ["#", "\u00e9", "\u20ac", "\uffff", "\ud83d\ude00", "\ud800"]) {
      const { tokens, errors } = lexer.tokenize(text);
      expect(errors).toEqual([]);
      expect(tokens.map((t) => [t.tokenType, t.image])).toEqual([[Unknown, text]]);
    }
  });

  it("reports stray characters as EDA1001 with their place", () => {
    const parsed = createParser().parse({ path: "a.eda", text: "context A\ntype T { a: int \u20ac }\n" });
    const d = parsed.diagnostics.find((x) => x.code === "EDA1001");
    expect(d?.span.start).toBe("context A\ntype T { a: int ".length);
  });

  it("reads a string in single quotes as the string, with one EDA1001 and its fix", () => {
    const text = "context A\ntype T { a: string = 'web', b: int }\n";
    const parsed = createParser().parse({ path: "a.eda", text });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["EDA1001"]);
    const start = text.indexOf("'");
    expect(parsed.diagnostics[0]?.fix).toEqual({ span: { file: "a.eda", start, end: start + 5 }, replacement: '"web"' });
    const [type] = parsed.ast.declarations;
    expect(type?.kind === "TypeDecl" && type.fields.map((f) => f.name.name)).toEqual(["a", "b"]);
  });

  it("reads a word with letters beyond ASCII as one name, with one EDA1001", () => {
    const text = "context A\ntype T { größe: int, b: int }\n";
    const parsed = createParser().parse({ path: "a.eda", text });
    expect(parsed.diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)])).toEqual([["EDA1001", "größe"]]);
    const [type] = parsed.ast.declarations;
    expect(type?.kind === "TypeDecl" && type.fields.map((f) => f.name.name)).toEqual(["größe", "b"]);
  });
});
