/** The rules of aggregates, services and projections: handlers, rejections, state variants, clauses. */
import type { IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { report, type Span } from "../diagnostics/diagnostic.js";
import { parseNumber } from "./literals.js";
import { isDeclarationKeyword, ParserBase, type Mutable } from "./parser-base.js";
import * as T from "./tokens.js";

/** Adds the owners of handlers (aggregates, services) and projections to the grammar. */
export abstract class OwnersParser extends ParserBase {
  protected handler = this.RULE("handler", (): A.Handler => {
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
  protected rejectionsInto(into: A.RejectionDecl[]): Span | undefined {
    const block = this.SUBRULE(this.rejectionsBlock);
    return this.ACTION(() => (into.push(...block.entries), block.span));
  }

  /** `rejections { OutOfStock { sku: string } CartClosed }`: the reasons an owner's handlers may refuse with. */
  protected rejectionsBlock = this.RULE("rejectionsBlock", (): { entries: A.RejectionDecl[]; span: Span } => {
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
  protected stateVariants = this.RULE("stateVariants", (): A.StateVariant[] => {
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

  protected aggregateDecl = this.RULE("aggregateDecl", (): A.AggregateDecl => {
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

  protected serviceDecl = this.RULE("serviceDecl", (): A.ServiceDecl => {
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

  protected projectionDecl = this.RULE("projectionDecl", (): A.ProjectionDecl => {
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
}
