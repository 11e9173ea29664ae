/**
 * Characters no token takes (`Unknown` tokens), read as what other languages mean by them where
 * that is plain, so that one mistake gives one diagnostic and the parser sees what was meant: a
 * string in single quotes (`'web'`) is the string, a word with letters beyond ASCII (`größe`) is
 * one name. Any other run is dropped, with one EDA1001 for the run.
 */
import type { IToken, TokenType } from "chevrotain";
import { report, type DiagnosticBudget } from "../diagnostics/diagnostic.js";
import { unknownCharacters } from "./syntax-errors.js";
import * as T from "./tokens.js";

/** A character of a word, in any script (letters, their combining marks, digits, `_`). */
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const ASCII_WORD_CHAR = /[A-Za-z0-9_]/;

/**
 * Reads the run of `Unknown` tokens that starts at `tokens[i]`: pushes what it stands for to `kept`
 * (possibly taking back `kept`'s last token, the start of its word) and its diagnostic to
 * `lexing`. Returns the index of the last token it consumed.
 */
export function readUnknownRun(tokens: readonly IToken[], i: number, kept: IToken[], file: string, text: string, lexing: DiagnosticBudget): number {
  const first = tokens[i] as IToken;
  if (first.image === "'") {
    const quoted = singleQuoted(tokens, i, text);
    if (quoted !== undefined) {
      const { last, inner } = quoted;
      const end = (tokens[last] as IToken).startOffset + 1;
      const span = { file, start: first.startOffset, end };
      lexing.push(report("EDA1001", span, { text: text.slice(span.start, span.end), replacement: `"${inner}"` }, { variant: "singleQuote", fix: { span, replacement: `"${inner}"` } }));
      // Same length as the text, so every offset after it holds.
      kept.push(retyped(first, T.StringLiteral, `"${inner}"`, first.startOffset));
      return last;
    }
  }
  let last = i;
  while (isAdjacentUnknown(tokens, last)) last++;
  const word = wordAround(tokens, i, kept, text);
  if (word !== undefined) {
    const name = text.slice(word.start, word.end);
    const span = { file, start: word.start, end: word.end };
    const chars = [...new Set([...name].filter((c) => !ASCII_WORD_CHAR.test(c)))].map((c) => `\`${c}\``).join(", ");
    const ascii = asciiSpelling(name);
    lexing.push(report("EDA1001", span, { name, chars, ascii: ascii ?? "" }, { variant: "name", hint: ascii === undefined ? "name" : "nameSpelling" }));
    if (word.takesBack) kept.pop();
    kept.push(retyped(first, T.Name, name, word.start));
    return word.last;
  }
  lexing.push(unknownCharacters(tokens.slice(i, last + 1), file, text));
  return last;
}

function isAdjacentUnknown(tokens: readonly IToken[], k: number): boolean {
  const t = tokens[k] as IToken;
  const next = tokens[k + 1];
  return next !== undefined && next.tokenType === T.Unknown && next.startOffset === t.startOffset + t.image.length;
}

/** `'text'` on one line, with no `"` or `\` inside: the index of its closing quote and the text. */
function singleQuoted(tokens: readonly IToken[], i: number, text: string): { readonly last: number; readonly inner: string } | undefined {
  const open = (tokens[i] as IToken).startOffset;
  const close = text.indexOf("'", open + 1);
  if (close < 0) return undefined;
  const inner = text.slice(open + 1, close);
  if (/["\\\r\n\u2028\u2029]/.test(inner)) return undefined;
  for (let k = i + 1; k < tokens.length; k++) {
    const t = tokens[k] as IToken;
    if (t.startOffset === close) return t.tokenType === T.Unknown ? { last: k, inner } : undefined;
    if (t.startOffset > close) return undefined;
  }
  return undefined;
}

/**
 * The word, in any script, that the run at `tokens[i]` is part of, when it begins with a letter or
 * `_` and every token in it lies inside it: where it starts and ends, the index of its last token,
 * and whether it begins with `kept`'s last token (`gr` of `größe`).
 */
function wordAround(tokens: readonly IToken[], i: number, kept: readonly IToken[], text: string): { start: number; end: number; last: number; takesBack: boolean } | undefined {
  const runStart = (tokens[i] as IToken).startOffset;
  let start = runStart;
  while (start > 0 && ASCII_WORD_CHAR.test(text[start - 1] as string)) start--;
  const before = kept[kept.length - 1];
  const takesBack = start < runStart;
  if (takesBack && before?.startOffset !== start) return undefined;
  let end = runStart;
  while (end < text.length) {
    const ch = String.fromCodePoint(text.codePointAt(end) as number);
    if (!WORD_CHAR.test(ch)) break;
    end += ch.length;
  }
  if (end === runStart || !/^[\p{L}_]/u.test(text.slice(start, start + 2))) return undefined;
  let last = i;
  while (last + 1 < tokens.length && (tokens[last + 1] as IToken).startOffset < end) last++;
  const lastToken = tokens[last] as IToken;
  if (lastToken.startOffset + lastToken.image.length > end) return undefined;
  return { start, end, last, takesBack };
}

/** The name in ASCII when dropping accents (and `ß` → `ss`) is enough: `größe` → `grosse`. */
function asciiSpelling(name: string): string | undefined {
  const ascii = name.normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss");
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(ascii) ? ascii : undefined;
}

/** `token` read as another token type, with the given text from `start`. */
function retyped(token: IToken, type: TokenType, image: string, start: number): IToken {
  return { ...token, image, startOffset: start, endOffset: start + image.length - 1, tokenType: type, tokenTypeIdx: type.tokenTypeIdx as number };
}
