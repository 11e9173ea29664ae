/** The rules of workflows: orchestrated steps, choreographed rules, `send` and its mapping. */
import { tokenMatcher } from "chevrotain";
import type * as A from "../ast/nodes.js";
import type { Span } from "../diagnostics/diagnostic.js";
import { parseDuration, parseNumber } from "./literals.js";
import type { Mutable } from "./parser-base.js";
import { OwnersParser } from "./parser-owners.js";
import * as T from "./tokens.js";

/** Adds workflows to the grammar. */
export abstract class WorkflowsParser extends OwnersParser {
  protected send = this.RULE("send", (): A.Send => {
    const command = this.SUBRULE(this.path);
    const mapping = this.OPTION(() => this.SUBRULE(this.mapping));
    return this.ACTION(() => ({ command, ...(mapping ? { mapping } : {}), span: this.span2(command.span, this.LA(0)) }));
  });

  protected mapping = this.RULE("mapping", (): A.MappingEntry[] => {
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

  protected workflowDecl = this.RULE("workflowDecl", (): A.WorkflowDecl => {
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

  protected workflowClause = this.RULE("workflowClause", (wf: Mutable<A.WorkflowDecl>, steps: A.Step[], reactions: A.Reaction[]) => {
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

  protected step = this.RULE("step", (): A.Step => {
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
