/**
 * The parser: Chevrotain with embedded actions, building the AST in one pass (no CST), which
 * keeps parsing fast. Recovery is by declaration: `parse-file.ts` cuts a file's tokens into
 * chunks at declaration keywords that begin a line, and parses each chunk on its own, so one
 * broken declaration never hides the next.
 */
import { EmbeddedActionsParser, tokenMatcher, type IToken, type TokenType } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import * as T from "./tokens.js";
import { errorMessages } from "./parser-messages.js";
import { parseDuration, parseNumber, unescapeString } from "./literals.js";

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

type Decl = A.Declaration | { readonly kind: "Context"; readonly name: A.Ident; readonly span: Span } | A.UseClause;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The parser. One instance is reused; `begin` starts each chunk afresh. */
export class EdaParser extends EmbeddedActionsParser {
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
   * `validate: false` skips Chevrotain's grammar checks at construction (they cost start-up
   * time on every run); a test builds the parser with them on.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokens, { maxLookahead: 3, recoveryEnabled: false, errorMessageProvider: errorMessages, skipValidations: options.validate === false });
    this.performSelfAnalysis();
  }

  private span(first: IToken, last: IToken): Span {
    const start = Number.isFinite(first.startOffset) ? first.startOffset : 0;
    const endTok = Number.isFinite(last.startOffset) ? last.startOffset + last.image.length : start;
    return { file: this.file, start, end: Math.max(start, endTok) };
  }
  private tokSpan(t: IToken): Span {
    return this.span(t, t);
  }
  private ident(t: IToken): A.Ident {
    return { kind: "Ident", name: t.image, span: this.tokSpan(t) };
  }
  /** A clause written twice: "This `owner` already has `clause`." */
  private problem(span: Span, owner: string, clause: string): void {
    this.clauseProblems.push(report("EDA1010", span, { owner, clause }));
  }
  private optSemi(): void {
    this.OPTION9(() => this.CONSUME(T.Semicolon));
  }

  /** A chunk: any sequence of context, use and declarations. */
  public chunk = this.RULE("chunk", () => {
    this.MANY(() => {
      const d = this.OR([
        { ALT: () => this.SUBRULE(this.contextClause) },
        { ALT: () => this.SUBRULE(this.useClause) },
        { ALT: () => this.SUBRULE(this.declaration) },
      ]);
      this.ACTION(() => d && this.collected.push(d));
    });
  });

  private contextClause = this.RULE("contextClause", (): Decl => {
    const kw = this.CONSUME(T.Kw.context);
    const name = this.CONSUME(T.Name);
    this.optSemi();
    return this.ACTION(() => ({ kind: "Context" as const, name: this.ident(name), span: this.span(kw, name) }));
  });

  private useClause = this.RULE("useClause", (): A.UseClause => {
    const kw = this.CONSUME(T.Kw.use);
    const names: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.CONSUME(T.Name)) });
    this.optSemi();
    return this.ACTION(() => ({
      kind: "Use" as const,
      contexts: names.map((n) => this.ident(n)),
      span: this.span(kw, names[names.length - 1] ?? kw),
    }));
  });

  private declaration = this.RULE("declaration", (): A.Declaration => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.commandDecl) },
      { ALT: () => this.SUBRULE(this.eventDecl) },
      { ALT: () => this.SUBRULE(this.upcastDecl) },
      { ALT: () => this.SUBRULE(this.aggregateDecl) },
      { ALT: () => this.SUBRULE(this.serviceDecl) },
      { ALT: () => this.SUBRULE(this.projectionDecl) },
      { ALT: () => this.SUBRULE(this.workflowDecl) },
    ]);
  });

  private typeDecl = this.RULE("typeDecl", (): A.TypeDecl => {
    const kw = this.CONSUME(T.Kw.type);
    const name = this.CONSUME(T.Name);
    const block = this.SUBRULE(this.fieldBlock);
    return this.ACTION(() => ({ kind: "TypeDecl" as const, name: this.ident(name), fields: block.fields, span: this.span(kw, this.LA(0)) }));
  });

  private commandDecl = this.RULE("commandDecl", (): A.CommandDecl => {
    const kw = this.CONSUME(T.Kw.command);
    const name = this.CONSUME(T.Name);
    const block = this.SUBRULE(this.fieldBlock);
    return this.ACTION(() => ({ kind: "CommandDecl" as const, name: this.ident(name), fields: block.fields, span: this.span(kw, this.LA(0)) }));
  });

  private eventDecl = this.RULE("eventDecl", (): A.EventDecl => {
    const kw = this.CONSUME(T.Kw.event);
    const name = this.CONSUME(T.Name);
    const version = this.OPTION(() => this.SUBRULE(this.version));
    const block = this.SUBRULE(this.fieldBlock);
    return this.ACTION(() => ({
      kind: "EventDecl" as const,
      name: this.ident(name),
      ...(version ? { version } : {}),
      fields: block.fields,
      span: this.span(kw, this.LA(0)),
    }));
  });

  private version = this.RULE("version", (): A.VersionTag => {
    const v = this.CONSUME(T.Version);
    return this.ACTION(() => ({ value: Number(v.image.slice(1)), span: this.tokSpan(v) }));
  });

  private enumDecl = this.RULE("enumDecl", (): A.EnumDecl => {
    const kw = this.CONSUME(T.Kw.enum);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const members: IToken[] = [];
    this.MANY({
      GATE: () => !isDeclarationKeyword(this.LA(1).tokenType),
      DEF: () => {
        members.push(this.CONSUME2(T.Name));
        this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      },
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({
      kind: "EnumDecl" as const,
      name: this.ident(name),
      members: members.map((m) => ({ name: this.ident(m) })),
      span: this.span(kw, close),
    }));
  });

  private fieldBlock = this.RULE("fieldBlock", (): A.FieldBlock => {
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

  private field = this.RULE("field", (): A.Field => {
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

  private decorator = this.RULE("decorator", (): A.Decorator => {
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

  private typeRef = this.RULE("typeRef", (): A.TypeRef => {
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

  private nest(at: IToken): void {
    if (++this.typeDepth > MAX_TYPE_NESTING) throw new NestingTooDeep(at);
  }

  private span2(from: Span, last: IToken): Span {
    const end = Number.isFinite(last.startOffset) ? last.startOffset + last.image.length : from.end;
    return { file: this.file, start: from.start, end: Math.max(from.end, end) };
  }

  private path = this.RULE("path", (): A.Path => {
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

  private literal = this.RULE("literal", (): A.Literal => {
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

  private tokenLiteral(t: IToken, value: (t: IToken) => A.LiteralValue): A.Literal {
    return this.ACTION(() => ({ kind: "Literal" as const, value: value(t), span: this.tokSpan(t) }));
  }

  private upcastDecl = this.RULE("upcastDecl", (): A.UpcastDecl => {
    const kw = this.CONSUME(T.Kw.upcast);
    const event = this.SUBRULE(this.path);
    const from = this.SUBRULE(this.version);
    this.CONSUME(T.Arrow);
    const to = this.SUBRULE2(this.version);
    this.CONSUME(T.LCurly);
    const rules: A.UpcastRule[] = [];
    this.MANY({
      GATE: () => this.LA(2).tokenType === T.Equals,
      DEF: () => {
        rules.push(this.SUBRULE(this.upcastRule));
        this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      },
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: "UpcastDecl" as const, event, from, to, rules, span: this.span(kw, close) }));
  });

  private upcastRule = this.RULE("upcastRule", (): A.UpcastRule => {
    const field = this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    const value = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => tokenMatcher(this.LA(2), T.Name),
          ALT: (): A.UpcastValue => {
            this.CONSUME(T.Kw.from);
            const old = this.CONSUME2(T.Name);
            return this.ACTION(() => ({ kind: "rename" as const, from: this.ident(old) }));
          },
        },
        {
          ALT: (): A.UpcastValue => {
            const c = this.CONSUME(T.Kw.compute);
            return this.ACTION(() => ({ kind: "compute" as const, span: this.tokSpan(c) }));
          },
        },
        { ALT: (): A.UpcastValue => ({ kind: "default", literal: this.SUBRULE(this.literal) }) },
      ],
    });
    return this.ACTION(() => ({ field: this.ident(field), value, span: this.span(field, this.LA(0)) }));
  });

  private handler = this.RULE("handler", (): A.Handler => {
    const on = this.CONSUME(T.Kw.on);
    const command = this.SUBRULE(this.path);
    this.CONSUME(T.Kw.emits);
    const emits: A.Path[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => emits.push(this.SUBRULE2(this.path)) });
    const rejects: IToken[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Kw.rejects);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Pipe, DEF: () => rejects.push(this.CONSUME(T.Name)) });
    });
    return this.ACTION(() => ({ command, emits, rejects: rejects.map((r) => this.ident(r)), span: this.span(on, this.LA(0)) }));
  });

  /** Joins a `rejections` block into `into`; returns the block's span (keyword to closing brace). */
  private rejectionsInto(into: A.RejectionDecl[]): Span | undefined {
    const block = this.SUBRULE(this.rejectionsBlock);
    return this.ACTION(() => (into.push(...block.entries), block.span));
  }

  /** `rejections { OutOfStock { sku: string } CartClosed }`: the reasons an owner's handlers may refuse with. */
  private rejectionsBlock = this.RULE("rejectionsBlock", (): { entries: A.RejectionDecl[]; span: Span } => {
    const kw = this.CONSUME(T.Kw.rejections);
    this.CONSUME(T.LCurly);
    const entries: A.RejectionDecl[] = [];
    this.MANY({
      GATE: () => !isDeclarationKeyword(this.LA(1).tokenType),
      DEF: () => {
        const name = this.CONSUME(T.Name);
        const block = this.OPTION(() => this.SUBRULE(this.fieldBlock));
        this.ACTION(() => entries.push({ name: this.ident(name), fields: block?.fields ?? [], span: this.span(name, this.LA(0)) }));
        this.OPTION2(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      },
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ entries, span: this.span(kw, close) }));
  });

  /** `Empty | Pending { items: Item[] } | Confirmed`: the variants of a state. */
  private stateVariants = this.RULE("stateVariants", (): A.StateVariant[] => {
    const variants: A.StateVariant[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Pipe,
      DEF: () => {
        const name = this.CONSUME(T.Name);
        const fields = this.OPTION(() => this.SUBRULE(this.fieldBlock));
        this.ACTION(() => variants.push({ name: this.ident(name), ...(fields ? { fields } : {}), span: fields ? this.span(name, this.LA(0)) : this.tokSpan(name) }));
      },
    });
    return variants;
  });

  private aggregateDecl = this.RULE("aggregateDecl", (): A.AggregateDecl => {
    const kw = this.CONSUME(T.Kw.aggregate);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const starts: Partial<Record<"stream" | "state" | "snapshot", number>> = {};
    const agg: Mutable<A.AggregateDecl> = this.ACTION(() => ({ kind: "AggregateDecl" as const, name: this.ident(name), handlers: [], span: this.tokSpan(kw), clauseStarts: starts }));
    const handlers: A.Handler[] = [];
    const rejections: A.RejectionDecl[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const s = this.CONSUME(T.Kw.stream);
            const f = this.CONSUME2(T.Name);
            this.ACTION(() => (agg.stream ? this.clauseProblems.push(report("EDA1010", this.span(s, f), {}, { variant: "stream" })) : ((agg.stream = this.ident(f)), (starts.stream = s.startOffset))));
          },
        },
        {
          ALT: () => {
            const s = this.CONSUME(T.Kw.state);
            const shape = this.OR2([
              { ALT: () => ({ block: this.SUBRULE(this.fieldBlock) }) },
              { ALT: () => ({ variants: this.SUBRULE(this.stateVariants) }) },
            ]);
            this.ACTION(() => {
              if (agg.state || agg.variants) return this.problem(this.tokSpan(s), "aggregate", "a `state` block");
              if (shape.block) agg.state = shape.block;
              else agg.variants = shape.variants;
              starts.state = s.startOffset;
            });
          },
        },
        { ALT: () => handlers.push(this.SUBRULE(this.handler)) },
        {
          ALT: () => {
            const span = this.rejectionsInto(rejections);
            this.ACTION(() => span && (agg.rejectionsSpan ??= span));
          },
        },
        {
          ALT: () => {
            const s = this.CONSUME(T.Kw.snapshot);
            this.CONSUME(T.Kw.every);
            const n = this.CONSUME(T.NumberLiteral);
            this.ACTION(() => {
              const snap = { every: parseNumber(n.image), span: this.span(s, n) };
              if (agg.snapshot) this.problem(snap.span, "aggregate", "a `snapshot` clause");
              else {
                agg.snapshot = snap;
                starts.snapshot = s.startOffset;
              }
            });
          },
        },
      ]);
      this.optSemi();
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ ...agg, handlers, ...(rejections.length > 0 ? { rejections } : {}), span: this.span(kw, close) }));
  });

  private serviceDecl = this.RULE("serviceDecl", (): A.ServiceDecl => {
    const kw = this.CONSUME(T.Kw.service);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const handlers: A.Handler[] = [];
    const rejections: A.RejectionDecl[] = [];
    let rejectionsSpan: Span | undefined;
    this.MANY(() => {
      this.OR([
        { ALT: () => handlers.push(this.SUBRULE(this.handler)) },
        {
          ALT: () => {
            const span = this.rejectionsInto(rejections);
            this.ACTION(() => (rejectionsSpan ??= span));
          },
        },
      ]);
      this.optSemi();
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({
      kind: "ServiceDecl" as const,
      name: this.ident(name),
      handlers,
      ...(rejections.length > 0 ? { rejections } : {}),
      ...(rejectionsSpan ? { rejectionsSpan } : {}),
      span: this.span(kw, close),
    }));
  });

  private projectionDecl = this.RULE("projectionDecl", (): A.ProjectionDecl => {
    const kw = this.CONSUME(T.Kw.projection);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const starts: Partial<Record<"key" | "fields" | "from", number>> = {};
    const proj: Mutable<A.ProjectionDecl> = this.ACTION(() => ({ kind: "ProjectionDecl" as const, name: this.ident(name), from: [], span: this.tokSpan(kw), clauseStarts: starts }));
    const from: A.Path[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.key);
            const f = this.SUBRULE(this.field);
            this.ACTION(() => (proj.key ? this.problem(this.tokSpan(k), "projection", "a `key`") : ((proj.key = f), (starts.key = k.startOffset))));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.fields);
            const block = this.SUBRULE(this.fieldBlock);
            this.ACTION(() => (proj.fields ? this.problem(this.tokSpan(k), "projection", "a `fields` block") : ((proj.fields = block), (starts.fields = k.startOffset))));
          },
        },
        {
          ALT: () => {
            const kw = this.CONSUME(T.Kw.from);
            // `from` may be repeated: the lists are joined.
            this.ACTION(() => (starts.from ??= kw.startOffset));
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => from.push(this.SUBRULE(this.path)) });
          },
        },
      ]);
      this.optSemi();
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ ...proj, from, span: this.span(kw, close) }));
  });

  private send = this.RULE("send", (): A.Send => {
    const command = this.SUBRULE(this.path);
    const mapping = this.OPTION(() => this.SUBRULE(this.mapping));
    return this.ACTION(() => ({ command, ...(mapping ? { mapping } : {}), span: this.span2(command.span, this.LA(0)) }));
  });

  private mapping = this.RULE("mapping", (): A.MappingEntry[] => {
    this.CONSUME(T.LCurly);
    const entries: A.MappingEntry[] = [];
    this.MANY({
      GATE: () => this.LA(2).tokenType === T.Equals,
      DEF: () => {
        const target = this.CONSUME(T.Name);
        this.CONSUME(T.Equals);
        const lit = this.SUBRULE(this.literal);
        this.ACTION(() => {
          const source: A.MappingSource = lit.value.type === "path" ? { kind: "path", path: lit.value.path } : { kind: "literal", literal: lit };
          entries.push({ target: this.ident(target), source, span: this.span(target, this.LA(0)) });
        });
        this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      },
    });
    this.CONSUME(T.RCurly);
    return entries;
  });

  private workflowDecl = this.RULE("workflowDecl", (): A.WorkflowDecl => {
    const kw = this.CONSUME(T.Kw.workflow);
    const name = this.CONSUME(T.Name);
    const mode = this.OR([{ ALT: () => this.CONSUME(T.Kw.orchestrated) }, { ALT: () => this.CONSUME(T.Kw.choreographed) }]);
    this.CONSUME(T.LCurly);
    const wf: Mutable<A.WorkflowDecl> = this.ACTION(() => ({
      kind: "WorkflowDecl" as const,
      name: this.ident(name),
      mode: mode.image as "orchestrated" | "choreographed",
      steps: [],
      reactions: [],
      span: this.tokSpan(kw),
      clauseStarts: {},
    }));
    const steps: A.Step[] = [];
    const reactions: A.Reaction[] = [];
    this.MANY(() => {
      this.SUBRULE(this.workflowClause, { ARGS: [wf, steps, reactions] });
      this.optSemi();
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ ...wf, steps, reactions, span: this.span(kw, close) }));
  });

  private workflowClause = this.RULE("workflowClause", (wf: Mutable<A.WorkflowDecl>, steps: A.Step[], reactions: A.Reaction[]) => {
    const once = <K extends "start" | "correlate" | "timeout" | "onComplete" | "onFail">(key: K, value: A.WorkflowDecl[K], span: Span, what: string) => {
      if (wf[key]) this.problem(span, "workflow", what);
      else {
        wf[key] = value;
        (wf.clauseStarts as Partial<Record<K, number>>)[key] = span.start;
      }
    };
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const s = this.CONSUME(T.Kw.start);
            this.CONSUME(T.Kw.on);
            const p = this.SUBRULE(this.path);
            this.ACTION(() => once("start", p, this.span(s, this.LA(0)), "a `start on` clause"));
          },
        },
        {
          ALT: () => {
            const c = this.CONSUME(T.Kw.correlate);
            const f = this.CONSUME(T.Name);
            this.ACTION(() => once("correlate", this.ident(f), this.span(c, f), "a `correlate` clause"));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.Kw.timeout);
            const d = this.CONSUME(T.Duration);
            this.ACTION(() => once("timeout", { ms: parseDuration(d.image), text: d.image, span: this.tokSpan(d) }, this.span(t, d), "a `timeout`"));
          },
        },
        {
          ALT: () => {
            const st = this.SUBRULE(this.step);
            this.ACTION(() => steps.push(st));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.Kw.complete || this.LA(2).tokenType === T.Kw.fail,
          ALT: () => {
            const on = this.CONSUME2(T.Kw.on);
            const which = this.OR2([{ ALT: () => this.CONSUME(T.Kw.complete) }, { ALT: () => this.CONSUME(T.Kw.fail) }]);
            this.CONSUME(T.Kw.send);
            const send = this.SUBRULE(this.send);
            this.ACTION(() =>
              which.image === "complete"
                ? once("onComplete", send, this.span(on, which), "an `on complete` clause")
                : once("onFail", send, this.span(on, which), "an `on fail` clause"),
            );
          },
        },
        {
          ALT: () => {
            const on = this.CONSUME3(T.Kw.on);
            const event = this.SUBRULE2(this.path);
            this.CONSUME2(T.Kw.send);
            const send = this.SUBRULE2(this.send);
            this.ACTION(() => reactions.push({ event, send, span: this.span(on, this.LA(0)) }));
          },
        },
      ],
    });
  });

  private step = this.RULE("step", (): A.Step => {
    const kw = this.CONSUME(T.Kw.step);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const st: Mutable<A.Step> = this.ACTION(() => ({ name: this.ident(name), span: this.tokSpan(kw), clauseStarts: {} }));
    const set = <K extends "send" | "await" | "failOn" | "compensate" | "retry">(key: K, value: A.Step[K], span: Span, what: string) => {
      if (st[key]) this.problem(span, "step", what);
      else {
        st[key] = value;
        (st.clauseStarts as Partial<Record<K, number>>)[key] = span.start;
      }
    };
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.send);
            const s = this.SUBRULE(this.send);
            this.ACTION(() => set("send", s, this.tokSpan(k), "a `send`"));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.await);
            const p = this.SUBRULE(this.path);
            this.ACTION(() => set("await", p, this.tokSpan(k), "an `await`"));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.fail);
            this.CONSUME(T.Kw.on);
            const p = this.SUBRULE2(this.path);
            this.ACTION(() => set("failOn", p, this.tokSpan(k), "a `fail on`"));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.compensate);
            // `compensate always Cmd`: `always` is a word here only when a command name follows it.
            const always = this.OPTION7({ GATE: () => this.LA(1).image === "always" && tokenMatcher(this.LA(2), T.Name), DEF: () => this.CONSUME7(T.Name) });
            const s = this.SUBRULE2(this.send);
            this.ACTION(() => {
              set("compensate", s, this.tokSpan(k), "a `compensate`");
              if (always && st.compensate === s) st.compensateAlways = true;
            });
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(T.Kw.retry);
            const n = this.CONSUME(T.NumberLiteral);
            this.CONSUME(T.Kw.every);
            const d = this.CONSUME(T.Duration);
            this.ACTION(() =>
              set("retry", { count: parseNumber(n.image), everyMs: parseDuration(d.image), everyText: d.image, span: this.span(k, d) }, this.tokSpan(k), "a `retry`"),
            );
          },
        },
      ]);
      this.optSemi();
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ ...st, span: this.span(kw, close) }));
  });
}

const declarationKeywordTypes = new Set<TokenType>(T.DECLARATION_KEYWORDS.map((w) => T.Kw[w]));
/** True for `type`, `event`, `workflow` …: tokens that start a top-level declaration. */
export function isDeclarationKeyword(t: TokenType): boolean {
  return declarationKeywordTypes.has(t);
}
