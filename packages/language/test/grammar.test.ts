/** The lexer and parser definitions pass Chevrotain's own validations (skipped at run time). */
import { Lexer } from "chevrotain";
import { describe, expect, it } from "vitest";
import { EdaParser } from "../src/syntax/parser.js";
import { allTokens } from "../src/syntax/tokens.js";

describe("the grammar", () => {
  it("builds an optimised lexer with validations on", () => {
    expect(() => new Lexer(allTokens, { positionTracking: "onlyOffset", ensureOptimizations: true })).not.toThrow();
  });

  it("builds the parser with validations on", () => {
    expect(() => new EdaParser({ validate: true })).not.toThrow();
  });
});
