/**
 * grammar/language-configuration.json: what VS Code does on comment toggling, brackets, typing
 * and Enter, checked against the lexer where the lexer has a say.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lex, repoRoot } from "./support.js";

interface OnEnterRule {
  readonly beforeText: string;
  readonly afterText?: string;
  readonly action: { readonly indent: string; readonly appendText?: string };
}
interface LanguageConfiguration {
  readonly comments: { readonly lineComment: string; readonly blockComment: readonly [string, string] };
  readonly brackets: readonly (readonly [string, string])[];
  readonly autoClosingPairs: readonly { readonly open: string; readonly close: string; readonly notIn?: readonly string[] }[];
  readonly surroundingPairs: readonly (readonly [string, string])[];
  readonly folding: { readonly markers: { readonly start: string; readonly end: string } };
  readonly wordPattern: string;
  readonly indentationRules: { readonly increaseIndentPattern: string; readonly decreaseIndentPattern: string };
  readonly onEnterRules: readonly OnEnterRule[];
}

const config = JSON.parse(readFileSync(join(repoRoot, "grammar/language-configuration.json"), "utf8")) as LanguageConfiguration;
const lexedAs = (text: string): string[] => lex(text).tokens.map((t) => t.tokenType.name);

/** The action VS Code takes on Enter between `before` and `after`: the first rule that matches. */
function onEnter(before: string, after = ""): OnEnterRule["action"] | undefined {
  return config.onEnterRules.find((r) => new RegExp(r.beforeText).test(before) && (r.afterText === undefined || new RegExp(r.afterText).test(after)))?.action;
}

describe("language-configuration.json", () => {
  it("toggles comments the lexer reads as comments", () => {
    expect(lexedAs(`${config.comments.lineComment} orderId: uuid`)).toEqual(["LineComment"]);
    const [open, close] = config.comments.blockComment;
    expect(lexedAs(`${open} orderId: uuid ${close}`)).toEqual(["BlockComment"]);
  });

  it("matches, auto-closes and surrounds the lexer's brackets", () => {
    const names: Record<string, string> = { "{": "LCurly", "}": "RCurly", "[": "LBracket", "]": "RBracket", "(": "LParen", ")": "RParen" };
    for (const [open, close] of config.brackets) {
      expect(lexedAs(open)).toEqual([names[open]]);
      expect(lexedAs(close)).toEqual([names[close]]);
      expect(config.autoClosingPairs).toContainEqual({ open, close });
      expect(config.surroundingPairs).toContainEqual([open, close]);
    }
    expect(config.brackets.map(([open]) => open).sort()).toEqual(["(", "[", "{"]);
    // `<` `>` are no bracket pair: the `>` of `->` would read as an unmatched bracket.
    expect(config.brackets).not.toContainEqual(["<", ">"]);
    expect(lexedAs("->")).toEqual(["Arrow"]);
  });

  it("auto-closes strings outside strings and comments, and block comments", () => {
    expect(config.autoClosingPairs).toContainEqual({ open: '"', close: '"', notIn: ["string", "comment"] });
    expect(config.autoClosingPairs.find((p) => p.open === "/*")?.close.trim()).toBe("*/");
  });

  it("folds `// #region` … `// #endregion` (and blocks by indentation)", () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    expect(start.test("  // #region Orders")).toBe(true);
    expect(start.test("//region")).toBe(true);
    expect(end.test("  // #endregion")).toBe(true);
    expect(start.test("  // #endregion")).toBe(false);
    expect(start.test("type T { // #region }")).toBe(false);
    expect(lexedAs("// #region Orders")).toEqual(["LineComment"]);
  });

  it("indents after `{` and outdents at `}`", () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const line of ["aggregate Order {", "  state {", "  step chargePayment {", "type T { // money", "  send C {"]) {
      expect(increase.test(line), line).toBe(true);
    }
    for (const line of ["  orderId: uuid", "enum Currency { EUR, USD, GBP }", "// {", '  reason: string = "{"', "}"]) {
      expect(increase.test(line), line).toBe(false);
    }
    for (const line of ["}", "  }", "  } // end"]) expect(decrease.test(line), line).toBe(true);
    for (const line of ["  orderId: uuid", "aggregate Order {"]) expect(decrease.test(line), line).toBe(false);
  });

  it("on Enter: indents inside braces and continues doc and block comments", () => {
    expect(onEnter("aggregate Order {", "}")).toEqual({ indent: "indentOutdent" });
    expect(onEnter("  state {")).toEqual({ indent: "indent" });
    expect(onEnter("/// An order was accepted.")).toEqual({ indent: "none", appendText: "/// " });
    expect(onEnter("  /// Ask to place an order.")?.appendText).toBe("/// ");
    expect(onEnter("//// a plain comment")).toBeUndefined();
    expect(onEnter("// a plain comment")).toBeUndefined();
    expect(onEnter("/* Parcels", "*/")).toEqual({ indent: "indentOutdent", appendText: " * " });
    expect(onEnter("  orderId: uuid")).toBeUndefined();
  });

  it("selects whole names, numbers and durations as words", () => {
    const word = new RegExp(`^(?:${config.wordPattern})$`);
    for (const w of ["orderId", "OrderPlaced", "_x1", "30m", "500ms", "-0.5", "1e6"]) expect(word.test(w), w).toBe(true);
    for (const w of ["order-id", "a.b", "@pii"]) expect(word.test(w), w).toBe(false);
  });
});
