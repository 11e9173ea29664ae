/** The symbol table: every declaration by context and name, and name lookup with suggestions. */
import { pathText, type Path } from "../ast/nodes.js";
import { label, report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import type { DeclarationModel } from "./model.js";
import { closest } from "./suggest.js";

export type SymbolKind = DeclarationModel["kind"] | "broken";

export interface Sym {
  readonly kind: SymbolKind;
  readonly name: string;
  readonly context: string;
  readonly nameSpan: Span;
  /** Filled when the declaration's model shell is created. */
  model?: DeclarationModel;
}

/** The contexts a file sees: its own and those it `use`s, counting which uses are needed. */
export interface Scope {
  readonly file: string;
  readonly context: string;
  readonly uses: readonly { readonly name: string; readonly span: Span }[];
  readonly usedHits: Map<string, number>;
}

const NOUN: Record<SymbolKind, string> = {
  type: "a type",
  enum: "an enum",
  command: "a command",
  event: "an event",
  aggregate: "an aggregate",
  service: "a service",
  projection: "a projection",
  workflow: "a workflow",
  broken: "a declaration",
};

export function kindNoun(kind: SymbolKind): string {
  return NOUN[kind];
}

export interface LookupOptions {
  readonly expected: readonly SymbolKind[];
  /** Code for a name of the wrong kind (EDA2006, or EDA5001 in workflows). */
  readonly wrongKindCode?: "EDA2006" | "EDA5001";
  /** How the reference is used, for messages ("in `emits`"). */
  readonly role?: string;
  /** A hint for a name that is none of the declarations, tried before and after the closest declaration. */
  readonly builtin?: (name: string, userGuess: string | undefined) => BuiltinHint | undefined;
}

/** A name that looks like a built-in type's: another language's spelling of it, or a near miss. */
export type BuiltinHint = { readonly hint: "builtinAlias"; readonly alias: string } | { readonly hint: "builtinGuess"; readonly guess: string };

export class SymbolTable {
  readonly contexts = new Map<string, Map<string, Sym>>();

  /** Adds a symbol; returns the earlier one if the name is taken. */
  add(sym: Sym): Sym | undefined {
    let names = this.contexts.get(sym.context);
    if (!names) this.contexts.set(sym.context, (names = new Map()));
    const existing = names.get(sym.name);
    if (existing) return existing;
    names.set(sym.name, sym);
    return undefined;
  }

  get(context: string, name: string): Sym | undefined {
    return this.contexts.get(context)?.get(name);
  }

  /** Resolves a `Name` or `Context.Name` path, reporting unknown, ambiguous and wrong-kind names. */
  lookup(scope: Scope, path: Path, opts: LookupOptions, out: Diagnostic[]): Sym | undefined {
    const sym = this.find(scope, path, opts, out);
    if (!sym || sym.kind === "broken") return undefined;
    if (!opts.expected.includes(sym.kind)) {
      const data = { path: pathText(path), kind: kindNoun(sym.kind), role: opts.role ?? "here", want: opts.expected.map(kindNoun).join(" or ") };
      const labels = [label(sym.nameSpan, "declaredAs", { name: sym.name })];
      out.push(report(opts.wrongKindCode ?? "EDA2006", path.span, data, { labels, hint: wrongKindHint(sym, opts) }));
      return undefined;
    }
    return sym;
  }

  private find(scope: Scope, path: Path, opts: LookupOptions, out: Diagnostic[]): Sym | undefined {
    const parts = path.parts;
    const first = parts[0];
    const second = parts[1];
    if (!first) return undefined;
    if (parts.length > 2) {
      out.push(report("EDA2001", path.span, { path: pathText(path) }, { variant: "path", hint: null }));
      return undefined;
    }
    if (second) {
      const names = this.contexts.get(first.name);
      if (!names) {
        const guess = closest(first.name, this.contexts.keys());
        out.push(report("EDA2005", first.span, guess ? { name: first.name, guess } : { name: first.name, contexts: this.contextList() }, { hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: first.span, replacement: guess } }));
        return undefined;
      }
      const sym = names.get(second.name);
      if (!sym) this.reportUnknown(scope, second.name, second.span, opts, out, first.name);
      return sym;
    }
    return this.findUnqualified(scope, first.name, first.span, opts, out);
  }

  private findUnqualified(scope: Scope, name: string, span: Span, opts: LookupOptions, out: Diagnostic[]): Sym | undefined {
    const own = this.get(scope.context, name);
    if (own) return own;
    let sym: Sym | undefined;
    let others: Sym[] | undefined;
    for (const u of scope.uses) {
      const s = this.get(u.name, name);
      if (!s) continue;
      if (!sym) sym = s;
      else if (s.context !== sym.context) (others ??= []).push(s);
    }
    if (sym && others) {
      const distinct = [sym, ...others];
      // Each of these `use`s is needed to see the name at all; the fix is to qualify it.
      for (const s of distinct) scope.usedHits.set(s.context, (scope.usedHits.get(s.context) ?? 0) + 1);
      const candidates = distinct.map((s) => `\`${s.context}.${name}\``).join(" or ");
      const labels = distinct.map((s) => label(s.nameSpan, "declaredAs", { name: `${s.context}.${name}` }));
      out.push(report("EDA2002", span, { name, candidates, context: sym.context }, { labels }));
      return undefined;
    }
    if (sym) {
      scope.usedHits.set(sym.context, (scope.usedHits.get(sym.context) ?? 0) + 1);
      return sym;
    }
    this.reportUnknown(scope, name, span, opts, out, undefined);
    return undefined;
  }

  private reportUnknown(scope: Scope, name: string, span: Span, opts: LookupOptions, out: Diagnostic[], inContext: string | undefined): void {
    const what = opts.expected.length === 1 ? kindNoun(opts.expected[0] as SymbolKind) : "a declaration";
    const visible = inContext ? [inContext] : [scope.context, ...scope.uses.map((u) => u.name)];
    const candidates: string[] = [];
    for (const ctx of visible) {
      for (const s of this.contexts.get(ctx)?.values() ?? []) if (opts.expected.includes(s.kind)) candidates.push(s.name);
    }
    const guess = closest(name, candidates);
    const elsewhere = inContext ? undefined : this.declaredElsewhere(name, visible, opts);
    const where = inContext ? { variant: "inContext" as const } : {};
    const data = { what, name, context: inContext ?? "" };
    const builtin = opts.builtin?.(name, guess);
    if (builtin) out.push(report("EDA2001", span, { ...data, ...builtin }, { ...where, hint: builtin.hint, fix: { span, replacement: builtin.hint === "builtinGuess" ? builtin.guess : builtin.alias } }));
    else if (guess) out.push(report("EDA2001", span, { ...data, guess }, { ...where, hint: "guess", fix: { span, replacement: guess } }));
    else if (elsewhere) out.push(report("EDA2001", span, { ...data, elsewhere }, { ...where, hint: "elsewhere" }));
    else out.push(report("EDA2001", span, data, where));
  }

  private declaredElsewhere(name: string, visible: readonly string[], opts: LookupOptions): string | undefined {
    for (const [ctx, names] of [...this.contexts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = names.get(name);
      if (!visible.includes(ctx) && s && opts.expected.includes(s.kind)) return ctx;
    }
    return undefined;
  }

  private contextList(): string {
    return [...this.contexts.keys()].sort().map((c) => `\`${c}\``).join(", ");
  }
}

/** Between commands and events, say how they differ; otherwise name the kinds wanted. */
function wrongKindHint(sym: Sym, opts: LookupOptions): "command" | "event" | "default" {
  if (sym.kind === "event" && opts.expected.includes("command")) return "command";
  if (sym.kind === "command" && opts.expected.includes("event")) return "event";
  return "default";
}
