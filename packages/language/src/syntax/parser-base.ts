/**
 * The parser's foundation: the state a parse writes, span helpers, and the rules every family of
 * declarations shares — fields, types, decorators, names and literals. Chevrotain builds one
 * parser from a chain of classes (grammar inheritance): this one, then `parser-owners.ts`
 * (aggregates, services, projections), `parser-workflows.ts`, and `EdaParser` in `parser.ts`,
 * which holds the top-level rules and is the one instance that runs.
 */
import { EmbeddedActionsParser, type IToken, type TokenType } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { parseDuration, parseNumber, unescapeString } from "./literals.js";
import { errorMessages } from "./parser-messages.js";
import * as T from "./tokens.js";

/** The deepest type accepted: each `map<…>` argument and each `[]` is a level. */
export const MAX_TYPE_NESTING = 32;

/**
 * Thrown out of the parser (and caught by `parseChunk`) when a type nests deeper than
 * `MAX_TYPE_NESTING`: going on would only recurse until the stack runs out.
 */
export class NestingTooDeep extends Error {
  constructor(readonly token: IToken) {
    super("type nesting too deep");
  }
}

/** What a chunk's top-level rule collects: a declaration, the `context` line or a `use` line. */
export type Decl = A.Declaration | { readonly kind: "Context"; readonly name: A.Ident; readonly span: Span } | A.UseClause;
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The state of a parse and the shared rules; `EdaParser` (parser.ts) completes the grammar. */
export abstract class ParserBase extends EmbeddedActionsParser {
  file = "";

  /** Declarations completed in the current chunk, in order. */
  collected: Decl[] = [];

  /** Problems the actions noticed: clauses written twice (EDA1010). */
  clauseProblems: Diagnostic[] = [];

  /** How deep the type being parsed nests; set to 0 before each chunk. */
  typeDepth = 0;

  /** Starts parsing `tokens` of `file`: resets everything the previous chunk left. */
  begin(file: string, tokens: IToken[]): void {
    this.file = file;
    this.collected = [];
    this.clauseProblems = [];
    this.typeDepth = 0;
    this.input = tokens;
  }

  /**
   * \`validate: false\` skips Chevrotain's grammar checks at construction (they cost start-up
   * time on every run); a test builds the parser with them on.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokens, { maxLookahead: 3, recoveryEnabled: false, errorMessageProvider: errorMessages, skipValidations: options.validate === false });
  }

  protected span(first: IToken, last: IToken): Span {
    const start = Number.isFinite(first.startOffset) ? first.startOffset : 0;
    const endTok = Number.isFinite(last.startOffset) ? last.startOffset + last.image.length : start;
    return { file: this.file, start, end: Math.max(start, endTok) };
  }

  protected tokSpan(t: IToken): Span {
    return this.span(t, t);
  }

  protected ident(t: IToken): A.Ident {
    return { kind: "Ident", name: t.image, span: this.tokSpan(t) };
  }

  /** A clause written twice: "This `owner` already has `clause`." */
  protected problem(span: Span, owner: string, clause: string): void {
    this.clauseProblems.push(report("EDA1010", span, { owner, clause }));
  }

  protected optSemi(): void {
    this.OPTION9(() => this.CONSUME(T.Semicolon));
  }

  protected version = this.RULE("version", (): A.VersionTag => {
    const v = this.CONSUME(T.Version);
    return this.ACTION(() => ({ value: Number(v.image.slice(1)), span: this.tokSpan(v) }));
  });

  protected fieldBlock = this.RULE("fieldBlock", (): A.FieldBlock => {
    const open = this.CONSUME(T.LCurly);
    const fields: A.Field[] = [];
    this.MANY({
      // A name starts a field unless it is a declaration keyword not followed by `:` or `?`
      // (then a `}` is missing and the next declaration begins).
      GATE: () => this.LA(2).tokenType === T.Colon || this.LA(2).tokenType === T.Question || !isDeclarationKeyword(this.LA(1).tokenType),
      DEF: () => {
        fields.push(this.SUBRULE(this.field));
        this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      },
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ fields, span: this.span(open, close) }));
  });

  protected field = this.RULE("field", (): A.Field => {
    const name = this.CONSUME(T.Name);
    const q = this.OPTION(() => this.CONSUME(T.Question));
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    let defaultValue: A.Literal | undefined;
    const decorators: A.Decorator[] = [];
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            const eq = this.CONSUME(T.Equals);
            const lit = this.SUBRULE(this.literal);
            this.ACTION(() => {
              if (defaultValue) this.problem(this.span(eq, this.LA(0)), "field", "a default value");
              else defaultValue = lit;
            });
          },
        },
        { ALT: () => decorators.push(this.SUBRULE(this.decorator)) },
      ]),
    );
    return this.ACTION(() => ({
      kind: "Field" as const,
      name: this.ident(name),
      optional: q !== undefined,
      type,
      ...(defaultValue ? { defaultValue } : {}),
      decorators,
      span: this.span(name, this.LA(0)),
    }));
  });

  protected decorator = this.RULE("decorator", (): A.Decorator => {
    const at = this.CONSUME(T.At);
    const name = this.CONSUME(T.Name);
    const args: A.Literal[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.literal)) });
      this.CONSUME(T.RParen);
    });
    return this.ACTION(() => ({ kind: "Decorator" as const, name: this.ident(name), args, span: this.span(at, this.LA(0)) }));
  });

  protected typeRef = this.RULE("typeRef", (): A.TypeRef => {
    let levels = 1;
    this.ACTION(() => this.nest(this.LA(1)));
    const name = this.SUBRULE(this.path);
    const args: A.TypeRef[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LAngle);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.typeRef)) });
      this.CONSUME(T.RAngle);
    });
    let type: A.TypeRef | undefined = this.ACTION(() => ({ kind: "NamedTypeRef" as const, name, args, span: this.span2(name.span, this.LA(0)) }));
    this.MANY(() => {
      this.CONSUME(T.LBracket);
      const close = this.CONSUME(T.RBracket);
      this.ACTION(() => {
        levels++;
        this.nest(close);
        const element = type as A.TypeRef;
        type = { kind: "ListTypeRef", element, span: this.span2(element.span, close) };
      });
    });
    this.ACTION(() => (this.typeDepth -= levels));
    return type as A.TypeRef;
  });

  protected nest(at: IToken): void {
    if (++this.typeDepth > MAX_TYPE_NESTING) throw new NestingTooDeep(at);
  }

  protected span2(from: Span, last: IToken): Span {
    const end = Number.isFinite(last.startOffset) ? last.startOffset + last.image.length : from.end;
    return { file: this.file, start: from.start, end: Math.max(from.end, end) };
  }

  protected path = this.RULE("path", (): A.Path => {
    const parts: IToken[] = [this.CONSUME(T.Name)];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      parts.push(this.CONSUME2(T.Name));
    });
    return this.ACTION(() => ({
      kind: "Path" as const,
      parts: parts.map((p) => this.ident(p)),
      span: this.span(parts[0] as IToken, parts[parts.length - 1] as IToken),
    }));
  });

  protected literal = this.RULE("literal", (): A.Literal => {
    return this.OR([
      { ALT: () => this.tokenLiteral(this.CONSUME(T.StringLiteral), (t) => ({ type: "string", value: unescapeString(t.image).value, text: t.image })) },
      { ALT: () => this.tokenLiteral(this.CONSUME(T.NumberLiteral), (t) => ({ type: "number", value: parseNumber(t.image), text: t.image })) },
      { ALT: () => this.tokenLiteral(this.CONSUME(T.Duration), (t) => ({ type: "duration", ms: parseDuration(t.image), text: t.image })) },
      { ALT: () => this.tokenLiteral(this.CONSUME(T.True), () => ({ type: "bool", value: true })) },
      { ALT: () => this.tokenLiteral(this.CONSUME(T.False), () => ({ type: "bool", value: false })) },
      {
        ALT: () => {
          const open = this.CONSUME(T.LBracket);
          const close = this.CONSUME(T.RBracket);
          return this.ACTION(() => ({ kind: "Literal" as const, value: { type: "emptyList" as const }, span: this.span(open, close) }));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.LCurly);
          const close = this.CONSUME(T.RCurly);
          return this.ACTION(() => ({ kind: "Literal" as const, value: { type: "emptyObject" as const }, span: this.span(open, close) }));
        },
      },
      {
        ALT: () => {
          const p = this.SUBRULE(this.path);
          return this.ACTION(() => ({ kind: "Literal" as const, value: { type: "path" as const, path: p }, span: p.span }));
        },
      },
    ]);
  });

  protected tokenLiteral(t: IToken, value: (t: IToken) => A.LiteralValue): A.Literal {
    return this.ACTION(() => ({ kind: "Literal" as const, value: value(t), span: this.tokSpan(t) }));
  }
}

const declarationKeywordTypes = new Set<TokenType>(T.DECLARATION_KEYWORDS.map((w) => T.Kw[w]));
/** True for `type`, `event`, `workflow` …: tokens that start a top-level declaration. */
export function isDeclarationKeyword(t: TokenType): boolean {
  return declarationKeywordTypes.has(t);
}
