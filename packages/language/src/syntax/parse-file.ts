/**
 * Source text → AST for one file: lexing, chunking at declarations for recovery, parsing each
 * chunk, and attaching doc comments. Never throws on any input.
 */
import { createTokenInstance, EOF, Lexer, type IRecognitionException, type IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { DiagnosticBudget, label, report, type Diagnostic, type Omitted, type Span } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { bidiControls, hasBidiControl } from "./bidi.js";
import { attachDocs } from "./docs.js";
import { unescapeString } from "./literals.js";
import { EdaParser, isDeclarationKeyword, NestingTooDeep } from "./parser.js";
import { expectsClosingBrace } from "./parser-messages.js";
import { dropItem, hasDroppableItems } from "./recover.js";
import { syntaxDiagnostic, tooDeep } from "./syntax-errors.js";
import * as T from "./tokens.js";
import { readUnknownRun } from "./unknown-runs.js";

/** A declaration that failed to parse: its name is known, so references to it are not "unknown". */
export interface BrokenDeclaration {
  readonly keyword: string;
  readonly name: string;
  readonly span: Span;
}

/** An item cut out of an aggregate or service (`owner`); `command` if it was a handler. */
export interface DroppedHandler {
  readonly owner: string;
  readonly command?: string;
}

export interface ParsedFile {
  readonly ast: A.FileNode;
  readonly diagnostics: readonly Diagnostic[];
  /** Problems found but not kept: each kind of problem keeps only its first ones. */
  readonly omitted: Omitted;
  readonly broken: readonly BrokenDeclaration[];
  /** Items cut out of an aggregate or service for a syntax error, with the command of each cut handler. */
  readonly droppedHandlers: readonly DroppedHandler[];
}

/**
 * A parser of .eda files. Its lexer and parser hold Chevrotain's analysis of the grammar, which
 * takes tens of milliseconds to build, so a caller that parses more than once (a watch, an
 * editor, a test suite) makes one with `createParser` and passes it on. A parse carries nothing
 * to the next: `EdaParser.begin` resets every field a parse writes, and what a parse learns (its
 * tokens, unterminated strings, diagnostics) lives in the call. The module keeps no parser of
 * its own, so two callers never share one by accident.
 */
export class FileParser {
  // Validations are skipped for start-up time; test/grammar.test.ts builds both with them on.
  readonly #lexer = new Lexer(T.allTokens, { positionTracking: "onlyOffset", skipValidations: true });
  readonly #parser = new EdaParser({ validate: false });

  /** Parses one file. Never throws on any input. */
  parse(source: SourceFile): ParsedFile {
    // Chevrotain reports each syntax error as an Error; capturing its stack trace would cost more
    // than the parse itself on text with many errors, and the stack is never read.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return parseText(this.#lexer, this.#parser, source);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** A parser to reuse for every file a caller parses. */
export function createParser(): FileParser {
  return new FileParser();
}

/** Parses one file with `parser` (a new one when none is given: pass one to parse many files). */
export function parseFile(source: SourceFile, parser: FileParser = createParser()): ParsedFile {
  return parser.parse(source);
}

function parseText(lexer: Lexer, parser: EdaParser, source: SourceFile): ParsedFile {
  const file = source.path;
  // One budget per kind of problem: each reports in the order of the text.
  const [lexing, tokenProblems, parsing, docs] = [new DiagnosticBudget(), new DiagnosticBudget(), new DiagnosticBudget(), new DiagnosticBudget()];
  const lexed = lexer.tokenize(source.text);
  // Strings that ran to the end of their line: a parse error after one is only its echo.
  const unterminated = new Set<IToken>();
  const tokens = checkTokens(lexed.tokens, file, source.text, lexing, tokenProblems, unterminated);
  const commentTokens = lexed.groups["comments"] ?? [];
  const comments = commentTokens.map((t) => toComment(t, file));
  const bidi = new DiagnosticBudget();
  if (hasBidiControl(source.text)) bidiControls([...tokens.filter((t) => t.tokenType === T.StringLiteral), ...commentTokens], file, bidi);
  const chunks = splitChunks(tokens, source.text);
  const collected: ReturnType<typeof parseChunk>["collected"] = [];
  const broken: BrokenDeclaration[] = [];
  const droppedHandlers: DroppedHandler[] = [];
  for (const chunk of chunks) {
    const r = parseChunk(parser, file, chunk, parsing, source.text, unterminated);
    for (const c of r.collected) collected.push(c);
    for (const b of r.broken) broken.push(b);
    for (const h of r.droppedHandlers) droppedHandlers.push(h);
  }
  const diagnostics: Diagnostic[] = [];
  // A misspelt `context` line (`Context Ordering`) is a parse error with its fix: no EDA1006 beside it.
  const contextMisspelt = parsing.kept.some((d) => d.fix?.replacement === "context");
  const ast = assembleFile(file, source.text, collected, comments, diagnostics, contextMisspelt);
  const contextClause = collected.find((c) => c.kind === "Context");
  attachDocs(ast, comments, source.text, contextClause?.span.start, docs);
  const budgets = [lexing, tokenProblems, parsing, docs, bidi];
  for (const b of budgets) for (const d of b.kept) diagnostics.push(d);
  const omitted = { errors: budgets.reduce((n, b) => n + b.errors, 0), warnings: budgets.reduce((n, b) => n + b.warnings, 0) };
  return { ast, diagnostics, omitted, broken, droppedHandlers };
}

function toComment(t: IToken, file: string): A.Comment {
  const kind = t.tokenType === T.DocComment ? "doc" : t.tokenType === T.BlockComment ? "block" : "line";
  return { kind, text: t.image, span: { file, start: t.startOffset, end: t.startOffset + t.image.length } };
}

/**
 * Token-level problems: characters no token takes (reported to `lexing`, and dropped or read as
 * what they mean, `unknown-runs.ts`), bad escapes, versions, numbers, unterminated strings and
 * comments (reported to `out`).
 */
function checkTokens(tokens: IToken[], file: string, text: string, lexing: DiagnosticBudget, out: DiagnosticBudget, unterminated: Set<IToken>): IToken[] {
  const kept: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    const tt = t.tokenType;
    if (tt === T.Unknown) {
      i = readUnknownRun(tokens, i, kept, file, text, lexing);
      continue;
    }
    if (tt !== T.UnterminatedComment && tt !== T.UnterminatedString && tt !== T.StringLiteral && tt !== T.Version && tt !== T.NumberLiteral) {
      kept.push(t);
      continue;
    }
    const span = { file, start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === T.UnterminatedComment) {
      out.push(report("EDA1003", { ...span, end: span.start + 2 }, {}));
      continue;
    }
    if (t.tokenType === T.UnterminatedString) {
      out.push(report("EDA1002", span, {}));
      t.tokenType = T.StringLiteral;
      unterminated.add(t);
      t.tokenTypeIdx = T.StringLiteral.tokenTypeIdx as number;
    } else if (t.tokenType === T.StringLiteral) {
      const bad = unescapeString(t.image).badEscape;
      if (bad) {
        const at = { file, start: t.startOffset + 1 + bad.offset - 1, end: t.startOffset + 1 + bad.offset - 1 + bad.length };
        out.push(report("EDA1009", at, { escape: text.slice(at.start, at.end) }));
      }
    } else if (t.tokenType === T.Version && (/^v0+$/.test(t.image) || /^v0\d/.test(t.image))) {
      out.push(report("EDA1007", span, { version: t.image }));
    } else if (t.tokenType === T.NumberLiteral && !/[.eE]/.test(t.image) && !Number.isSafeInteger(Number(t.image))) {
      out.push(report("EDA1008", span, { number: t.image, max: Number.MAX_SAFE_INTEGER }, { variant: "integer" }));
    } else if (t.tokenType === T.NumberLiteral && !Number.isFinite(Number(t.image))) {
      out.push(report("EDA1008", span, { number: t.image }));
    }
    kept.push(t);
  }
  return kept;
}

/** Cuts tokens at declaration keywords that begin a line (and are not used as a field name). */
function splitChunks(tokens: IToken[], text: string): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (current.length > 0 && startsDeclaration(tokens, i, text)) {
      chunks.push(current);
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function startsDeclaration(tokens: IToken[], i: number, text: string): boolean {
  const t = tokens[i] as IToken;
  if (!isDeclarationKeyword(t.tokenType)) return false;
  const next = tokens[i + 1]?.tokenType;
  if (next === T.Colon || next === T.Question || next === T.Equals || next === T.Comma) return false;
  const prev = tokens[i - 1] as IToken;
  const gap = text.slice(prev.startOffset + prev.image.length, t.startOffset);
  return gap.includes("\n");
}

type Collected = EdaParser["collected"][number];

interface ChunkResult {
  collected: Collected[];
  broken: BrokenDeclaration[];
  droppedHandlers: DroppedHandler[];
}

function parseChunk(parser: EdaParser, file: string, chunk: IToken[], out: DiagnosticBudget, text: string, unterminated: ReadonlySet<IToken>): ChunkResult {
  const first = parseTokens(parser, file, chunk);
  if (first.tooDeep) {
    out.push(tooDeep(first.tooDeep, file));
    return { collected: parser.collected, broken: brokenDeclarations(chunk, parser.collected, file), droppedHandlers: [] };
  }
  for (const d of parser.clauseProblems) out.push(d);
  if (!first.error) return { collected: parser.collected, broken: [], droppedHandlers: [] };
  const echo = chunk.some((t) => unterminated.has(t));
  if (!echo) out.push(syntaxDiagnostic(first.error, file, chunk));
  if (first.recovered) return { collected: parser.collected, broken: [], droppedHandlers: [] };
  if (hasDroppableItems(chunk)) {
    const kept = dropBrokenItems(parser, chunk, first.error, text, file, echo ? undefined : out);
    if (kept) return { collected: parser.collected, broken: [], droppedHandlers: kept };
    // The last parse was of a shortened chunk: parse the whole one again for what it keeps.
    parseTokens(parser, file, chunk);
  }
  return { collected: parser.collected, broken: brokenDeclarations(chunk, parser.collected, file), droppedHandlers: [] };
}

/**
 * Parses a chunk; a declaration that only lacks closing braces is kept: it is closed and the
 * missing `}` reported. `error` is the first syntax error; `recovered` says the closing braces fixed it.
 */
function parseTokens(parser: EdaParser, file: string, chunk: IToken[]): { error?: IRecognitionException; recovered: boolean; tooDeep?: IToken } {
  let tokens = chunk;
  let error: IRecognitionException | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    parser.begin(file, tokens);
    try {
      parser.chunk();
    } catch (e) {
      if (!(e instanceof NestingTooDeep)) throw e;
      return { recovered: false, tooDeep: e.token };
    }
    const err = parser.errors[0];
    if (!err) break;
    error ??= err;
    if (!(err.token.tokenType === EOF && err.name === "MismatchedTokenException" && expectsClosingBrace(err.message))) break;
    tokens = [...tokens, closingBrace(chunk)];
  }
  return { ...(error ? { error } : {}), recovered: error !== undefined && tokens !== chunk && parser.errors.length === 0 };
}

/**
 * Cuts the items holding syntax errors out of an aggregate or service, one at a time, until the
 * rest parses; each further error is reported too. Gives the commands of the handlers cut out, or
 * undefined when cutting does not help.
 */
function dropBrokenItems(parser: EdaParser, chunk: IToken[], error: IRecognitionException, text: string, file: string, out: DiagnosticBudget | undefined): DroppedHandler[] | undefined {
  const owner = chunk[1]?.image ?? "";
  const commands: DroppedHandler[] = [];
  let tokens = chunk;
  let at = error.token;
  const later: Diagnostic[] = [];
  for (let round = 0; round < 8; round++) {
    const dropped = dropItem(tokens, at, text);
    if (!dropped) return undefined;
    commands.push(dropped.command ? { owner, command: dropped.command.image } : { owner });
    tokens = dropped.tokens;
    const r = parseTokens(parser, file, tokens);
    if (r.tooDeep) return undefined;
    if (!r.error) {
      for (const d of later) out?.push(d);
      return commands;
    }
    if (r.recovered) return undefined;
    later.push(syntaxDiagnostic(r.error, file, tokens));
    at = r.error.token;
  }
  return undefined;
}

function closingBrace(chunk: IToken[]): IToken {
  const last = chunk[chunk.length - 1] as IToken;
  const end = last.startOffset + last.image.length;
  return createTokenInstance(T.RCurly, "", end, end - 1, NaN, NaN, NaN, NaN);
}

function brokenDeclarations(chunk: IToken[], collected: Collected[], file: string): BrokenDeclaration[] {
  const after = collected.reduce((max, c) => Math.max(max, c.span.end), -1);
  const out: BrokenDeclaration[] = [];
  for (let i = 0; i + 1 < chunk.length; i++) {
    const t = chunk[i] as IToken;
    const n = chunk[i + 1] as IToken;
    if (t.startOffset >= after && isDeclarationKeyword(t.tokenType) && n.tokenType !== T.Colon && /^[A-Za-z_]/.test(n.image)) {
      out.push({ keyword: t.image, name: n.image, span: { file, start: n.startOffset, end: n.startOffset + n.image.length } });
    }
  }
  return out;
}

function assembleFile(file: string, text: string, collected: Collected[], comments: A.Comment[], out: Diagnostic[], contextMisspelt: boolean): A.FileNode {
  let context: A.Ident | undefined;
  const uses: A.UseClause[] = [];
  const declarations: A.Declaration[] = [];
  for (const c of collected) {
    if (c.kind === "Context") {
      if (context) out.push(report("EDA1010", c.span, { context: context.name }, { variant: "context", labels: [label(context.span, "declared")] }));
      else if (uses.length > 0 || declarations.length > 0) out.push(report("EDA1006", c.span, {}, { variant: "notFirst" }));
      else context = c.name;
    } else if (c.kind === "Use") uses.push(c);
    else declarations.push(c);
  }
  if (!context && !contextMisspelt && !out.some((d) => d.code === "EDA1006")) {
    out.push(report("EDA1006", { file, start: 0, end: 0 }, {}));
  }
  return { kind: "File", path: file, ...(context ? { context } : {}), uses, declarations, comments, span: { file, start: 0, end: text.length } };
}
