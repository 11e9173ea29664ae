/**
 * Shared by the editor-grammar tests: the grammar loaded into VS Code's engine, the lexer it is
 * held to, and the `.eda` files of the repository.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { unescapeString } from "../../packages/language/src/syntax/literals.js";
import * as lexicon from "../../packages/language/src/syntax/tokens.js";
import { loadGrammar, repoRoot, tokenizeText } from "../../packages/vscode/scripts/textmate.mjs";

export { lexicon, repoRoot };

/** One token as VS Code's tokenizer sees it: 1-based line, 0-based columns, full scope stack. */
export interface TmToken {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}
export interface TmLine {
  readonly line: number;
  readonly text: string;
  readonly tokens: readonly TmToken[];
}

interface Grammar {
  tokenizeLine(line: string, state: unknown): unknown;
}
const grammar: Grammar = await loadGrammar("source.eda");

/** Tokenizes a whole text with the grammar in `grammar/`, line by line as VS Code does. */
export function tokenize(text: string): readonly TmLine[] {
  let lines = tokenized.get(text);
  if (lines === undefined) {
    const raw = tokenizeText(grammar, text) as { line: number; text: string; tokens: Omit<TmToken, "line">[] }[];
    lines = raw.map((l) => ({ ...l, tokens: l.tokens.map((t) => ({ ...t, line: l.line })) }));
    tokenized.set(text, lines);
  }
  return lines;
}
// The same models are read by many tests: tokenize each text once.
const tokenized = new Map<string, readonly TmLine[]>();

/** Every token of a text, in order. */
export function tokensOf(text: string): TmToken[] {
  return tokenize(text).flatMap((l) => l.tokens);
}

/** The scopes of the `nth` token (0-based) whose text is `word`, anywhere in `text`. */
export function scopesOf(text: string, word: string, nth = 0): readonly string[] {
  const found = tokensOf(text).filter((t) => t.text === word);
  const token = found[nth];
  if (token === undefined) throw new Error(`no token ${JSON.stringify(word)} (#${nth}) in:\n${text}`);
  return token.scopes;
}

/** The scopes of the token at a 1-based line and 0-based column of `text`. */
export function scopeAt(text: string, line: number, column: number): readonly string[] {
  const token = tokenize(text)[line - 1]?.tokens.find((t) => t.start <= column && column < t.end);
  if (token === undefined) throw new Error(`no token at ${line}:${column} in:\n${text}`);
  return token.scopes;
}

/** The innermost scope of a token, the one themes colour it by. */
export function innermost(scopes: readonly string[]): string {
  return scopes[scopes.length - 1] ?? "";
}

/** A scope that colours a word as a keyword (operators and punctuation are not words). */
export function isKeywordScope(scope: string): boolean {
  return (
    (scope.startsWith("keyword.") && !scope.startsWith("keyword.operator.")) ||
    scope.startsWith("storage.type.") ||
    scope.startsWith("storage.modifier.") ||
    scope.startsWith("constant.language.")
  );
}

export const isWord = (text: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);

// --- the lexer ----------------------------------------------------------------------------------

interface LexedToken {
  readonly image: string;
  readonly startOffset: number;
  readonly tokenType: { readonly name: string };
}
interface LexError {
  readonly offset: number;
  readonly length: number;
}
interface ChevrotainLexer {
  tokenize(text: string): { tokens: LexedToken[]; groups: Record<string, LexedToken[]>; errors: LexError[] };
}
// chevrotain is a dependency of @eda/language, not of the workspace root: load the very copy the
// token definitions were created with.
const chevrotainPath = createRequire(join(repoRoot, "packages/language/package.json")).resolve("chevrotain");
const { Lexer } = (await import(pathToFileURL(chevrotainPath).href)) as {
  Lexer: new (tokens: unknown[], config: object) => ChevrotainLexer;
};
const lexer = new Lexer(lexicon.allTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });

/**
 * Every token the lexer produces for a text (comments included), in order, and its errors: each
 * run of characters no token takes (lexed as `Unknown`, which `eda check` reports as EDA1001).
 */
export function lex(text: string): { readonly tokens: readonly LexedToken[]; readonly errors: readonly LexError[] } {
  const result = lexer.tokenize(text);
  const all = [...result.tokens, ...Object.values(result.groups).flat()].sort((a, b) => a.startOffset - b.startOffset);
  const errors: LexError[] = [...result.errors];
  for (const t of all.filter((x) => x.tokenType.name === "Unknown")) {
    const last = errors[errors.length - 1];
    if (last && last.offset + last.length === t.startOffset) errors[errors.length - 1] = { offset: last.offset, length: last.length + t.image.length };
    else errors.push({ offset: t.startOffset, length: t.image.length });
  }
  return { tokens: all.filter((x) => x.tokenType.name !== "Unknown"), errors };
}

/** Offset ranges `[start, end)`. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * The lexical problems that `eda check` reports from tokens alone: characters no token matches
 * (EDA1001), strings unclosed on their line (EDA1002), versions counting from zero (EDA1007),
 * unknown escapes (EDA1009). An unclosed block comment (EDA1003) is not among them: an editor
 * shows the rest of the file as a comment, which says the same.
 */
export function lexicalProblems(text: string): Range[] {
  const { tokens, errors } = lex(text);
  const problems: Range[] = errors.map((e) => ({ start: e.offset, end: e.offset + e.length }));
  for (const t of tokens) {
    const range = { start: t.startOffset, end: t.startOffset + t.image.length };
    const type = t.tokenType.name;
    if (type === "UnterminatedString") problems.push(range);
    if (type === "StringLiteral" && unescapeString(t.image).badEscape) problems.push(range);
    if (type === "Version" && /^v0/.test(t.image)) problems.push(range);
  }
  return problems.sort((a, b) => a.start - b.start);
}

/** Offsets of the start of each line (1-based line → offset), splitting as VS Code does. */
export function lineStarts(text: string): number[] {
  const starts = [0, 0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** The grammar's tokens with absolute offsets. */
export function tokensWithOffsets(text: string): (TmToken & Range)[] {
  const starts = lineStarts(text);
  return tokensOf(text).map((t) => ({ ...t, start: (starts[t.line] ?? 0) + t.start, end: (starts[t.line] ?? 0) + t.end }));
}

const overlaps = (a: Range, b: Range): boolean => a.start < b.end && b.start < a.end;

/**
 * Where grammar and lexer disagree about lexical errors: `invalid.*` tokens that cover no problem
 * the lexer reports, and problems that no `invalid.*` token covers. Empty when they agree.
 */
export function invalidDisagreements(text: string): string[] {
  const problems = lexicalProblems(text);
  const invalid = tokensWithOffsets(text).filter((t) => t.scopes.some((s) => s.startsWith("invalid.")));
  const out: string[] = [];
  const where = (r: Range) => {
    const starts = lineStarts(text);
    const line = starts.findLastIndex((s, i) => i > 0 && s <= r.start);
    return `line ${line}: ${JSON.stringify(text.slice(r.start, r.end))}`;
  };
  for (const t of invalid) {
    if (!problems.some((p) => overlaps(p, t))) out.push(`grammar marks ${where(t)} invalid (${innermost(t.scopes)}), the lexer accepts it`);
  }
  for (const p of problems) {
    if (!invalid.some((t) => overlaps(p, t))) out.push(`the lexer rejects ${where(p)}, the grammar does not mark it invalid`);
  }
  return out;
}

/**
 * Words the grammar colours as keywords that the lexer does not lex as a keyword token at the
 * same place. Empty when every keyword colour is backed by the lexer.
 */
export function keywordDisagreements(text: string): string[] {
  const lexed = new Map(lex(text).tokens.map((t) => [t.startOffset, t]));
  const out: string[] = [];
  for (const t of tokensWithOffsets(text)) {
    if (!isWord(t.text) || !t.scopes.some(isKeywordScope)) continue;
    const l = lexed.get(t.start);
    const isKeywordToken = l !== undefined && l.image === t.text && /^Kw_/.test(l.tokenType.name);
    if (!isKeywordToken) out.push(`${JSON.stringify(t.text)} at offset ${t.start} is coloured ${innermost(t.scopes)} but lexed as ${l?.tokenType.name ?? "nothing"}`);
  }
  return out;
}

// --- the corpus ---------------------------------------------------------------------------------

/**
 * Every `.eda` file in the repository with its text, sorted by path. Left out: node_modules,
 * build output (`dist`) and hidden folders (`.git`, scratch output such as `.eda-out`), where
 * files come and go while other tests run.
 */
export function corpus(): readonly { readonly path: string; readonly text: string }[] {
  cached ??= findEdaFiles(repoRoot).flatMap((path) => {
    try {
      return [{ path, text: readFileSync(join(repoRoot, path), "utf8") }];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return []; // removed since it was listed
      throw error;
    }
  });
  return cached;
}
let cached: readonly { readonly path: string; readonly text: string }[] | undefined;

function findEdaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findEdaFiles(path));
    else if (entry.isFile() && entry.name.endsWith(".eda")) out.push(relative(repoRoot, path));
  }
  return out.sort();
}
