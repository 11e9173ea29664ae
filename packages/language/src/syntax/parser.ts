/**
 * The parser: Chevrotain with embedded actions, building the AST in one pass (no CST), which
 * keeps parsing fast. Recovery is by declaration: `parse-file.ts` cuts a file's tokens into
 * chunks at declaration keywords that begin a line, and parses each chunk on its own, so one
 * broken declaration never hides the next.
 *
 * The grammar is split by family of declarations, as a chain of classes that Chevrotain joins
 * into one parser: `parser-base.ts` (state, fields, types, literals) → `parser-owners.ts` →
 * `parser-workflows.ts` → `EdaParser` here (chunks, `context`, `use`, types, enums, commands,
 * events and upcasts). Only `EdaParser` is built, and it analyses the whole grammar once.
 */
import { tokenMatcher, type IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { isDeclarationKeyword, type Decl } from "./parser-base.js";
import { WorkflowsParser } from "./parser-workflows.js";
import * as T from "./tokens.js";

export { isDeclarationKeyword, MAX_TYPE_NESTING, NestingTooDeep } from "./parser-base.js";

/** The parser. One instance is reused; `begin` starts each chunk afresh. */
export class EdaParser extends WorkflowsParser {
  /**
   * \`validate: false\` skips Chevrotain's grammar checks at construction (they cost start-up
   * time on every run); a test builds the parser with them on.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(options);
    // Every rule of the chain is defined by now (field initialisers run before this body).
    this.performSelfAnalysis();
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
}
