/**
 * The grammar may not drift from the lexer (packages/language/src/syntax/tokens.ts): same
 * keywords, same built-in types, same token shapes, same lexical errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { literalWords } from "./regex-words.js";
import {
  corpus,
  innermost,
  invalidDisagreements,
  isKeywordScope,
  keywordDisagreements,
  lex,
  lexicon,
  repoRoot,
  scopeAt,
  scopesOf,
  tokensOf,
} from "./support.js";

const grammarJson: unknown = JSON.parse(readFileSync(join(repoRoot, "grammar/eda.tmLanguage.json"), "utf8"));

interface Captures {
  readonly [group: string]: { readonly name?: string };
}
interface Rule {
  readonly name?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly while?: string;
  readonly captures?: Captures;
  readonly beginCaptures?: Captures;
  readonly endCaptures?: Captures;
  readonly whileCaptures?: Captures;
}

/** Every regular expression of the grammar with the scopes it assigns (its rule's and its captures'). */
function grammarRegexes(node: unknown, out: { regex: string; scopes: string[] }[] = []): { regex: string; scopes: string[] }[] {
  if (Array.isArray(node)) {
    for (const item of node) grammarRegexes(item, out);
  } else if (typeof node === "object" && node !== null) {
    const rule = node as Rule;
    const scopesOfCaptures = (c?: Captures) => Object.values(c ?? {}).flatMap((v) => v.name?.split(" ") ?? []);
    const own = rule.name?.split(" ") ?? [];
    const pairs: [string | undefined, Captures | undefined][] = [
      [rule.match, rule.captures],
      [rule.begin, rule.beginCaptures ?? rule.captures],
      [rule.end, rule.endCaptures ?? rule.captures],
      [rule.while, rule.whileCaptures ?? rule.captures],
    ];
    for (const [regex, captures] of pairs) {
      if (typeof regex === "string") out.push({ regex, scopes: [...own, ...scopesOfCaptures(captures)] });
    }
    for (const value of Object.values(node)) grammarRegexes(value, out);
  }
  return out;
}

interface TokenDefinition {
  readonly name: string;
  readonly PATTERN?: unknown;
}
const tokenDefinitions = lexicon.allTokens as unknown as TokenDefinition[];
const patternOf = (name: string): RegExp => {
  const pattern = tokenDefinitions.find((t) => t.name === name)?.PATTERN;
  if (!(pattern instanceof RegExp)) throw new Error(`the lexer has no token ${name} with a pattern`);
  return pattern;
};

/** The keywords, read from the lexer's keyword token definitions (`Kw_*`), not from a list. */
const lexerKeywords = tokenDefinitions
  .filter((t) => t.name.startsWith("Kw_"))
  .map((t) => {
    const words = literalWords((t.PATTERN as RegExp).source);
    expect(words, `the pattern of ${t.name}`).toHaveLength(1);
    return words[0] as string;
  });

/** Every word any lexer token pattern spells out (keywords, duration units, the `v` of versions). */
const lexerWords = new Set(tokenDefinitions.flatMap((t) => (t.PATTERN instanceof RegExp ? literalWords(t.PATTERN.source) : [])));
const builtinTypes: readonly string[] = lexicon.BUILTIN_TYPES;
const builtinGenerics: readonly string[] = lexicon.BUILTIN_GENERICS;
const decoratorNames = Object.keys(lexicon.DECORATORS);
const regexes = grammarRegexes(grammarJson);

describe("keywords: grammar and lexer know the same words", () => {
  it("reads the keywords from the lexer's token definitions", () => {
    expect([...lexerKeywords].sort()).toEqual([...lexicon.KEYWORDS].sort());
    expect(lexerKeywords.length).toBeGreaterThan(30);
  });

  it("gives a keyword colour to every lexer keyword, and to no other word", () => {
    const grammarKeywords = new Set(regexes.filter((r) => r.scopes.some(isKeywordScope)).flatMap((r) => literalWords(r.regex)));
    const missing = lexerKeywords.filter((k) => !grammarKeywords.has(k));
    const unknown = [...grammarKeywords].filter((w) => !lexerKeywords.includes(w));
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it("spells no word that the lexer, the built-in types or the decorators do not define", () => {
    const allowed = new Set([...lexerWords, ...builtinTypes, ...builtinGenerics, ...decoratorNames]);
    // Escapes (`\u00e9`) and invalid shapes (`v0`) are spelled letter by letter but are not words.
    const spellsWords = (r: { scopes: string[] }) => !r.scopes.every((s) => s.startsWith("constant.character.escape.") || s.startsWith("invalid."));
    const stray = [...new Set(regexes.filter(spellsWords).flatMap((r) => literalWords(r.regex)))].filter((w) => !allowed.has(w));
    expect(stray).toEqual([]);
  });

  it("colours each keyword as a keyword in some model of the repository", () => {
    const coloured = new Set<string>();
    for (const { text } of corpus()) {
      for (const t of tokensOf(text)) if (t.scopes.some(isKeywordScope)) coloured.add(t.text);
    }
    expect(lexerKeywords.filter((k) => !coloured.has(k))).toEqual([]);
  });

  it("colours a word as a keyword only where the lexer lexes a keyword token, in every model", () => {
    const problems = corpus().flatMap(({ path, text }) => keywordDisagreements(text).map((p) => `${path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("starts a declaration at each declaration keyword that begins a line, as the parser recovers", () => {
    for (const keyword of lexicon.DECLARATION_KEYWORDS) {
      // An unclosed block before it must not hide the declaration.
      const text = `command A {\n  x: int\n${keyword} Next`;
      const scopes = scopesOf(text, keyword);
      expect(scopes.some(isKeywordScope), `${keyword}: ${scopes.join(" ")}`).toBe(true);
      expect(innermost(scopesOf(text, "Next")), keyword).toMatch(/^entity\.name\./);
      // …but a field of that name is a field, as in the parser.
      expect(innermost(scopeAt(`event A {\n  ${keyword}: int\n}`, 2, 2))).toBe("variable.other.property.eda");
    }
  });
});

describe("built-in types, decorators, token shapes", () => {
  it("colours every built-in type as support.type, and only those", () => {
    for (const type of builtinTypes) {
      expect(innermost(scopesOf(`type T { x: ${type} }`, type)), type).toBe("support.type.primitive.eda");
    }
    for (const generic of builtinGenerics) {
      expect(innermost(scopesOf(`type T { x: ${generic}<string, int> }`, generic)), generic).toBe("support.type.builtin.eda");
    }
    const supportWords = regexes.filter((r) => r.scopes.some((s) => s.startsWith("support.type."))).flatMap((r) => literalWords(r.regex));
    expect([...new Set(supportWords)].sort()).toEqual([...builtinTypes, ...builtinGenerics].sort());
    expect(innermost(scopesOf("type T { x: strings }", "strings"))).toBe("entity.name.type.eda");
  });

  it("colours every decorator the checker knows", () => {
    for (const [name, arity] of Object.entries(lexicon.DECORATORS)) {
      const text = `type T { x: string @${name}${arity === 0 ? "" : '("a")'} }`;
      expect(innermost(scopesOf(text, name)), name).toBe("entity.name.function.decorator.eda");
      expect(innermost(scopesOf(text, "@"))).toBe("punctuation.decorator.eda");
    }
  });

  /** What the lexer makes of a word alone: its token type, or "error". */
  const lexerKind = (word: string): string => {
    const { tokens, errors } = lex(word);
    return errors.length > 0 || tokens.length !== 1 ? "error" : (tokens[0]?.tokenType.name ?? "error");
  };
  /** What the grammar makes of a word in a value position. */
  const grammarKind = (word: string): string => {
    const before = "type T { x: int = ";
    const inside = tokensOf(`${before}${word} }`).filter((t) => t.start < before.length + word.length && t.end > before.length);
    const only = inside.length === 1 && inside[0]?.text === word ? inside[0] : undefined;
    const scope = only === undefined ? "split" : innermost(only.scopes);
    if (scope.startsWith("invalid.")) return "error";
    const kinds: Record<string, string> = {
      "constant.numeric.duration.eda": "Duration",
      "constant.numeric.decimal.eda": "NumberLiteral",
      "constant.numeric.version.eda": "Version",
      "variable.other.enummember.eda": "Name",
    };
    return kinds[scope] ?? scope;
  };

  it("reads durations with exactly the lexer's units", () => {
    const units = literalWords(patternOf("Duration").source);
    expect(units.length).toBeGreaterThan(0);
    for (const unit of [...units, "w", "y", "us", "min", "sec", "S", "M"]) {
      const word = `30${unit}`;
      expect(grammarKind(word), word).toBe(lexerKind(word));
      expect(innermost(scopesOf(`workflow W orchestrated {\n  timeout ${word}\n}`, word)), word).toBe(
        lexerKind(word) === "Duration" ? "constant.numeric.duration.eda" : "invalid.illegal.number.eda",
      );
    }
  });

  it("reads numbers and versions as the lexer does", () => {
    const words = ["0", "7", "-5", "1.5", "-0.25", "1e6", "2E-3", "1.5e+10", "1e", "1.", "12ab", "1_000", "0x1f", "v1", "v2", "v10", "v0", "v00", "v01", "v2a", "va"];
    for (const word of words) {
      const lexed = lexerKind(word);
      // The lexer reads `1.` as a number and a dot: the grammar, too.
      const expected = word === "1." ? "split" : lexed === "Version" && /^v0/.test(word) ? "error" : lexed;
      expect(grammarKind(word), word).toBe(expected);
    }
  });
});

describe("lexical errors: the grammar marks invalid exactly what the lexer rejects", () => {
  it("agrees on every model in the repository", () => {
    const files = corpus();
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(["examples/shop/ordering.eda", "test/vscode/fixtures/every-keyword.eda"]));
    const problems = files.flatMap(({ path, text }) => invalidDisagreements(text).map((p) => `${path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("agrees on random token soup in every kind of block (property, fixed seed)", () => {
    const openers = [
      "",
      "type T {\n",
      "command C { x: ",
      "event E v2 {\n  a: map<string, ",
      "enum E { ",
      "aggregate A {\n  state {\n",
      "aggregate A {\n  on C emits ",
      "projection P {\n  key k: uuid\n  from ",
      "upcast E v1 -> v2 {\n  a = ",
      "workflow W orchestrated {\n  step s {\n    send C { a = ",
      "workflow W choreographed {\n  on E send C ",
      "type T { x: string @pattern(",
      "use A, ",
    ];
    const fragments = [
      ...lexerKeywords,
      ...builtinTypes,
      "Foo", "bar", "x1", "_y", "Ctx.Name", "0", "42", "-7", "1.5", "1e3", "1e", "12ab", "30m", "2ms", "5w", "v1", "v0", "v01", "v2x",
      '"s"', '"a\\"b"', '"\\d"', '"\\u00e9"', '"\\u{110000}"', '"open', '"end\\', '""',
      "{", "}", "(", ")", "[", "]", "[]", "<", ">", ",", ":", ";", ".", "?", "=", "|", "@", "@pii", "@min(1)", "->", "-", "/", "*",
      "// c", "/// d", "/* b */", "/*", "*/",
      "#", "$", "é", "\u00a0", "\\", "'", "~", "`", "\t", " ", "\n", "\n",
    ];
    const text = fc
      .tuple(fc.constantFrom(...openers), fc.array(fc.constantFrom(...fragments), { maxLength: 24 }), fc.array(fc.constantFrom(" ", "", "\n"), { minLength: 24, maxLength: 24 }))
      .map(([opener, parts, gaps]) => opener + parts.map((p, i) => p + (gaps[i] ?? " ")).join(""));
    fc.assert(
      fc.property(text, (t) => {
        expect(invalidDisagreements(t), JSON.stringify(t)).toEqual([]);
        expect(keywordDisagreements(t), JSON.stringify(t)).toEqual([]);
      }),
      { seed: 20_261_127, numRuns: 600 },
    );
  });
});
