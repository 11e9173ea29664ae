/**
 * The lexical grammar of `.eda` files: every token the lexer knows.
 *
 * Keywords are *contextual*: each lowercase keyword (except `true`/`false`) also belongs to the
 * `Name` category, so the parser accepts it wherever a plain name is expected (a field called
 * `from`, `state`, `key`, `type`, `event` …). The keyword list exported here is the single source
 * of truth that the editor grammar is tested against.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Any identifier; keywords are members of this category too. */
export const Name = createToken({ name: "Name", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

/** Declaration keywords: each starts a top-level declaration. */
export const DECLARATION_KEYWORDS = [
  "context",
  "use",
  "type",
  "enum",
  "command",
  "event",
  "upcast",
  "aggregate",
  "service",
  "projection",
  "workflow",
] as const;

/** Clause keywords: they start a clause inside a declaration body. */
export const CLAUSE_KEYWORDS = [
  "stream",
  "state",
  "on",
  "emits",
  "rejects",
  "rejections",
  "snapshot",
  "every",
  "key",
  "fields",
  "from",
  "compute",
  "orchestrated",
  "choreographed",
  "start",
  "correlate",
  "timeout",
  "step",
  "send",
  "await",
  "fail",
  "compensate",
  "retry",
  "complete",
] as const;

/** Literal keywords: not usable as names. */
export const LITERAL_KEYWORDS = ["true", "false"] as const;

/** Every keyword the lexer recognises. */
export const KEYWORDS: readonly string[] = [...DECLARATION_KEYWORDS, ...CLAUSE_KEYWORDS, ...LITERAL_KEYWORDS];

/** Built-in scalar types, resolved by name (they are not keywords). */
export const BUILTIN_TYPES = [
  "string",
  "int",
  "float",
  "decimal",
  "bool",
  "uuid",
  "timestamp",
  "date",
  "duration",
  "email",
  "url",
  "json",
] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** Built-in generic types (written `map<string, T>`). */
export const BUILTIN_GENERICS = ["map"] as const;

/** Field decorators the checker knows, with the number of arguments each takes. */
export const DECORATORS = {
  min: 1,
  max: 1,
  minLength: 1,
  maxLength: 1,
  pattern: 1,
  minItems: 1,
  maxItems: 1,
  pii: 0,
  deprecated: 1,
} as const;
export type DecoratorName = keyof typeof DECORATORS;

const keywordTokens = new Map<string, TokenType>();
function keyword(word: string, nameCategory: boolean): TokenType {
  const token = createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(`${word}(?![A-Za-z0-9_])`),
    longer_alt: Name,
    label: `\`${word}\``,
    ...(nameCategory ? { categories: [Name] } : {}),
  });
  keywordTokens.set(word, token);
  return token;
}

/** Keyword token types by keyword text. */
export const Kw = Object.fromEntries(
  [...DECLARATION_KEYWORDS, ...CLAUSE_KEYWORDS].map((w) => [w, keyword(w, true)]),
) as Record<(typeof DECLARATION_KEYWORDS)[number] | (typeof CLAUSE_KEYWORDS)[number], TokenType>;
export const True = keyword("true", false);
export const False = keyword("false", false);

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/(?!\/)[^\n\r]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** A `/*` with no closing `*\/`: lexed as one token so the checker can name the problem. */
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, line_breaks: true });

/**
 * The end of the string starting at `offset` (a `"`), and whether its closing quote was found
 * before the end of the line. A loop, not a regular expression: V8's regular expressions recurse
 * per character of an alternation and overflow the stack on strings of a few megabytes.
 */
function scanString(text: string, offset: number): { end: number; closed: boolean } {
  let i = offset + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) return { end: i + 1, closed: true }; // "
    if (ch === 0x0a || ch === 0x0d) break;
    // A backslash escapes the next character, unless that ends the line.
    i += ch === 0x5c && i + 1 < text.length && text.charCodeAt(i + 1) !== 0x0a && text.charCodeAt(i + 1) !== 0x0d ? 2 : 1;
  }
  return { end: i, closed: false };
}

function stringMatcher(closed: boolean): (text: string, offset: number) => [string] | null {
  return (text, offset) => {
    if (text.charCodeAt(offset) !== 0x22) return null;
    const scanned = scanString(text, offset);
    return scanned.closed === closed ? [text.slice(offset, scanned.end)] : null;
  };
}

export const StringLiteral = createToken({ name: "StringLiteral", pattern: { exec: stringMatcher(true) }, start_chars_hint: ['"'], line_breaks: false, label: "a string" });
/** A string whose closing quote is missing on its line. */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: { exec: stringMatcher(false) }, start_chars_hint: ['"'], line_breaks: false });
export const Version = createToken({ name: "Version", pattern: /v[0-9]+(?![A-Za-z0-9_])/, label: "a version like `v2`" });
export const Duration = createToken({ name: "Duration", pattern: /[0-9]+(?:ms|s|m|h|d)(?![A-Za-z0-9_])/, label: "a duration like `30m`" });
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z0-9_])/,
  label: "a number",
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "`->`" });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "`{`" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "`}`" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "`]`" });
export const LAngle = createToken({ name: "LAngle", pattern: /</, label: "`<`" });
export const RAngle = createToken({ name: "RAngle", pattern: />/, label: "`>`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "`;`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const Question = createToken({ name: "Question", pattern: /\?/, label: "`?`" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "`=`" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "`|`" });
export const At = createToken({ name: "At", pattern: /@/, label: "`@`" });

/**
 * Code units that stand for every UTF-16 code unit in the lexer's first-character table: any of
 * them may start an `Unknown`. Chevrotain (11.x, `charCodeToOptimizedIndex` in its lexer) keys that
 * table by the code unit below 256 and by buckets of 255 above (`255 + ⌊c / 255⌋`), so one code unit
 * per bucket covers the rest: 513 entries instead of 65,536, which it walks on every start (~8 ms
 * of each `eda` command). `packages/language/test/lexer.test.ts` lexes every code unit.
 */
const ANY_CODE_UNIT: number[] = [];
for (let c = 0; c < 256; c++) ANY_CODE_UNIT.push(c);
for (let c = 256; c < 0x10000; c = (Math.floor(c / 255) + 1) * 255) ANY_CODE_UNIT.push(c); // the first of each bucket

/**
 * Any character no other token takes (one code point). Lexed as a token, tried last, rather than
 * left to the lexer's error path, which keeps an error object per character and slows to a crawl
 * on a text full of them; the parser never sees it (`parse-file.ts` reports it as EDA1001).
 */
export const Unknown = createToken({
  name: "Unknown",
  pattern: {
    exec: (text: string, offset: number): [string] | null => {
      const cp = text.codePointAt(offset);
      return cp === undefined ? null : [String.fromCodePoint(cp)];
    },
  },
  start_chars_hint: ANY_CODE_UNIT,
  line_breaks: true,
});

/** All token types, in the order the lexer tries them. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  UnterminatedString,
  Arrow,
  Duration,
  NumberLiteral,
  ...keywordTokens.values(),
  Version,
  Name,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LAngle,
  RAngle,
  Comma,
  Colon,
  Semicolon,
  Dot,
  Question,
  Equals,
  Pipe,
  At,
  Unknown,
];

/** Keyword token type for a word, if the word is a keyword. */
export function keywordToken(word: string): TokenType | undefined {
  return keywordTokens.get(word);
}
