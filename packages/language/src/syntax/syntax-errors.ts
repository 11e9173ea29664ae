/**
 * The wording of lexing and parse errors: characters no token takes, a type nested too deep, and
 * Chevrotain's recognition errors turned into EDA1004/EDA1005 with the hint that fits the place
 * (a misspelt keyword, `emits A, B`, an `enum` value written with `=`, an unclosed `{`).
 */
import { EOF, tokenMatcher, type IRecognitionException, type IToken } from "chevrotain";
import { CODES } from "../diagnostics/codes/index.js";
import { diagnostic, label, report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { closest } from "../resolve/suggest.js";
import { isDeclarationKeyword, MAX_TYPE_NESTING } from "./parser.js";
import { expectsClosingBrace } from "./parser-messages.js";
import * as T from "./tokens.js";

/** Characters as a message shows them: control and invisible ones as `U+0000`; whether there are several. */
function describeChars(text: string): { readonly chars: string; readonly many: boolean } {
  const chars = [...text];
  const show = (ch: string): string => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)
      ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`
      : ch;
  };
  const shown = chars.slice(0, 20).map(show).join(chars.some((c) => show(c) !== c) ? " " : "") + (chars.length > 20 ? "…" : "");
  return { chars: shown, many: chars.length > 1 };
}

/** Characters no token takes (a run of `Unknown` tokens): one diagnostic. */
export function unknownCharacters(run: IToken[], file: string, text: string): Diagnostic {
  const start = (run[0] as IToken).startOffset;
  const last = run[run.length - 1] as IToken;
  const end = last.startOffset + last.image.length;
  const { chars, many } = describeChars(text.slice(start, end));
  return report("EDA1001", { file, start, end }, { chars }, many ? { variant: "many" } : {});
}

export function tooDeep(at: IToken, file: string): Diagnostic {
  return report("EDA1013", { file, start: at.startOffset, end: at.startOffset + at.image.length }, { max: MAX_TYPE_NESTING });
}

export function syntaxDiagnostic(err: IRecognitionException, file: string, chunk: IToken[]): Diagnostic {
  const last = chunk[chunk.length - 1] as IToken;
  const atEnd = err.token.tokenType === EOF || !Number.isFinite(err.token.startOffset);
  const end = last.startOffset + last.image.length;
  const span: Span = atEnd ? { file, start: end, end } : { file, start: err.token.startOffset, end: err.token.startOffset + err.token.image.length };
  if (atEnd && expectsClosingBrace(err.message)) {
    const open = unclosedBrace(chunk);
    const labels = open ? [label({ file, start: open.startOffset, end: open.startOffset + 1 }, "unclosedBrace")] : [];
    const head = chunk[0];
    if (head && isDeclarationKeyword(head.tokenType)) return report("EDA1004", span, { keyword: head.image, name: chunk[1]?.image ?? "" }, { variant: "unclosedDeclaration", labels });
    return report("EDA1004", span, {}, { variant: "unclosed", labels });
  }
  // Chevrotain words the message through `errorMessages` (parser-messages.ts), from the catalogue.
  const code = err.name === "MismatchedTokenException" ? "EDA1004" : "EDA1005";
  const guess = keywordGuess(err.token, chunk);
  const hints = CODES[code].hints;
  const hint = guess ? hints.keyword.format({ guess }) : (mistakeHint(err.token, chunk) ?? hints[hintFor(err)].format({}));
  return diagnostic(code, span, err.message, { hint, fix: guess === undefined ? undefined : { span, replacement: guess } });
}

type ParseHint = Exclude<keyof (typeof CODES)["EDA1005"]["hints"], "keyword" | "clauseColon" | "optionalAfterType" | "keyType">;

/** The keyword a misspelt one most likely is (`comand`, `agregate`), for "Did you mean `command`?". */
function keywordGuess(token: IToken, chunk: IToken[]): string | undefined {
  if (!/^[A-Za-z_]\w*$/.test(token.image) || T.keywordToken(token.image)) return undefined;
  const candidates = token === chunk[0] ? T.DECLARATION_KEYWORDS : [...T.DECLARATION_KEYWORDS, ...T.CLAUSE_KEYWORDS];
  const guess = closest(token.image, candidates);
  return guess;
}

/**
 * Hints for what other languages allow: `emits A, B`, `rejects A, B`, `enum S { Open = "open" }`,
 * `note: string?`, `stream: orderId`, `key customerId`.
 */
function mistakeHint(token: IToken, chunk: IToken[]): string | undefined {
  const i = chunk.indexOf(token);
  if (i <= 0) return undefined;
  const hints = CODES.EDA1005.hints;
  const head = chunk[0]?.tokenType;
  if (head === T.Kw.enum && token.tokenType === T.Equals) {
    return hints.enumValue.format({});
  }
  if (token.tokenType === T.Comma) {
    for (let k = i - 1; k > 0; k--) {
      const t = (chunk[k] as IToken).tokenType;
      if (t === T.Kw.rejects) return hints.rejectsComma.format({});
      if (t === T.Kw.emits) return hints.emitsComma.format({});
      if (t === T.Kw.on || t === T.LCurly || t === T.RCurly) break;
    }
  }
  const before = chunk[i - 1] as IToken;
  if (token.tokenType === T.Colon && CLAUSES_WITH_A_NAME.has(before.tokenType) && chunk[i + 1]?.tokenType === T.Name) {
    return hints.clauseColon.format({ clause: before.image, name: (chunk[i + 1] as IToken).image });
  }
  if (token.tokenType === T.Question) return optionalAfterType(chunk, i);
  // `key customerId`, written like `stream orderId`: a projection's key is a field, with its type.
  if (tokenMatcher(before, T.Name) && chunk[i - 2]?.tokenType === T.Kw.key) return hints.keyType.format({ name: before.image });
  return undefined;
}

/** Clauses followed by a name, which a colon after the keyword makes look like a field. */
const CLAUSES_WITH_A_NAME = new Set([T.Kw.stream, T.Kw.correlate]);

/** `note: string?` (Kotlin, C#): the `?` of an optional field goes after its name. */
function optionalAfterType(chunk: IToken[], i: number): string | undefined {
  let depth = 0;
  for (let k = i - 1; k > 0; k--) {
    const t = chunk[k] as IToken;
    if (t.tokenType === T.RAngle) depth++;
    else if (t.tokenType === T.LAngle) depth--;
    else if (depth === 0 && t.tokenType === T.Colon) {
      const name = chunk[k - 1] as IToken;
      if (!tokenMatcher(name, T.Name)) return undefined;
      const type = chunk.slice(k + 1, i).map((x) => (x.tokenType === T.Comma ? ", " : x.image)).join("");
      return CODES.EDA1005.hints.optionalAfterType.format({ name: name.image, type });
    } else if (depth === 0 && !tokenMatcher(t, T.Name) && t.tokenType !== T.Dot && t.tokenType !== T.LBracket && t.tokenType !== T.RBracket) {
      return undefined;
    }
  }
  return undefined;
}

function hintFor(err: IRecognitionException): ParseHint {
  const rule = err.context.ruleStack[err.context.ruleStack.length - 1] ?? "";
  if (rule === "field" || rule === "fieldBlock") return "field";
  if (rule === "workflowDecl") return "workflow";
  if (rule === "upcastDecl" || rule === "version") return "upcast";
  if (rule === "chunk") return "declaration";
  return "reference";
}

function unclosedBrace(chunk: IToken[]): IToken | undefined {
  const open: IToken[] = [];
  for (const t of chunk) {
    if (t.tokenType === T.LCurly) open.push(t);
    else if (t.tokenType === T.RCurly) open.pop();
  }
  return open[0];
}
