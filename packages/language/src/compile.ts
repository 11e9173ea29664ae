/**
 * The whole front end in a few lines: parse each file, resolve names into a Model, check it.
 */
import { check } from "./check/check.js";
import { sortAndCap, type Diagnostic, type Span } from "./diagnostics/diagnostic.js";
import type { SourceFile } from "./diagnostics/source.js";
import type { Model } from "./resolve/model.js";
import { resolve } from "./resolve/resolve.js";
import { createParser, type FileParser, type ParsedFile } from "./syntax/parse-file.js";

export interface CompileResult {
  readonly model: Model;
  /** Sorted by file, then position; at most `MAX_DIAGNOSTICS_PER_FILE` (and a closing note) per file. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface CompileOptions {
  /** The parser to use (see `createParser`): a caller that compiles more than once passes one. */
  readonly parser?: FileParser | undefined;
}

/** Compiles a model from its source files. Never throws on any input. */
export function compile(files: readonly SourceFile[], options: CompileOptions = {}): CompileResult {
  const parser = options.parser ?? createParser();
  return compileParsed(files.map((f) => parser.parse(f)));
}

/**
 * Resolves and checks files parsed earlier, one by one, with `parseFile`: an editor re-parses
 * only the file that changed and compiles the model from the cached rest. Parsed files are not
 * modified, so they can be reused by any number of compilations.
 */
export function compileParsed(parsed: readonly ParsedFile[]): CompileResult {
  const steps = compileInSteps(parsed);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link compileParsed} one stage at a time: it pauses (yields) after resolving, so that a caller
 * that must stay responsive — a language server on a large model — can do other work between the
 * stages, or stop. The files must not change until it returns.
 */
export function* compileInSteps(parsed: readonly ParsedFile[]): Generator<void, CompileResult, void> {
  const diagnostics: Diagnostic[] = [];
  for (const p of parsed) for (const d of p.diagnostics) diagnostics.push(d);
  const model = resolve(parsed, diagnostics);
  yield;
  check(model, diagnostics);
  const kept = withoutEchoesOfBroken(withoutFollowOns(diagnostics, parsed, model), parsed, model);
  return { model, diagnostics: sortAndCap(kept, new Map(parsed.map((p) => [p.ast.path, p.omitted]))) };
}

/**
 * Drops "no aggregate or service handles the command" (EDA4001) where the handler may be the one
 * a syntax error took: a handler cut out of its aggregate, or a whole aggregate or service that
 * failed to parse; and "handles no command" (EDA4009), "does not name its stream field" (EDA4006)
 * and the rejection names (EDA4030, EDA4032) of an owner that lost items to one.
 */
function withoutFollowOns(diagnostics: Diagnostic[], parsed: readonly ParsedFile[], model: Model): Diagnostic[] {
  const quiet = new Map<string, Set<string> | "all">();
  let dropped = false;
  for (const p of parsed) {
    const ctx = p.ast.context?.name;
    if (ctx === undefined) continue;
    if (p.broken.some((b) => b.keyword === "aggregate" || b.keyword === "service")) quiet.set(ctx, "all");
    if (p.droppedHandlers.length > 0) dropped = true;
    const names = quiet.get(ctx);
    if (names === "all" || p.droppedHandlers.length === 0) continue;
    const set = names ?? new Set<string>();
    for (const h of p.droppedHandlers) if (h.command) set.add(h.command);
    quiet.set(ctx, set);
  }
  if (quiet.size === 0 && !dropped) return diagnostics;
  const silenced = new Set<string>();
  const lostItems: Span[] = [];
  for (const c of model.contexts) {
    const names = quiet.get(c.name);
    if (!names) continue;
    for (const cmd of c.commands) if (names === "all" || names.has(cmd.name)) silenced.add(`EDA4001 ${cmd.nameSpan.file}:${cmd.nameSpan.start}`);
  }
  for (const p of parsed) {
    if (p.droppedHandlers.length === 0) continue;
    const owners = new Set(p.droppedHandlers.map((h) => h.owner));
    for (const c of model.contexts) {
      for (const o of [...c.aggregates, ...c.services]) {
        if (!owners.has(o.name) || o.nameSpan.file !== p.ast.path) continue;
        silenced.add(`EDA4009 ${o.nameSpan.file}:${o.nameSpan.start}`);
        silenced.add(`EDA4006 ${o.nameSpan.file}:${o.nameSpan.start}`);
        lostItems.push(o.span);
      }
    }
  }
  // An owner that lost an item (a handler, a `rejections` block) to a syntax error: its rejection names cannot be judged.
  const inLost = (d: Diagnostic): boolean => (d.code === "EDA4030" || d.code === "EDA4032") && lostItems.some((s) => s.file === d.span.file && s.start <= d.span.start && d.span.end <= s.end);
  return diagnostics.filter((d) => !silenced.has(`${d.code} ${d.span.file}:${d.span.start}`) && !inLost(d));
}

/**
 * Drops what only echoes a declaration that failed to parse, whose syntax error already says
 * where: "no upcast path" (EDA3002) of an event whose `upcast` is broken (the path may be the one
 * it declares), and "handles no command" (EDA4009) of an owner whose handlers name broken commands.
 */
function withoutEchoesOfBroken(diagnostics: Diagnostic[], parsed: readonly ParsedFile[], model: Model): Diagnostic[] {
  const upcasts = new Set<string>();
  const names = new Set<string>();
  for (const p of parsed) {
    for (const b of p.broken) {
      if (b.keyword === "upcast") upcasts.add(`${p.ast.context?.name ?? ""}.${b.name}`);
      else names.add(b.name);
    }
  }
  if (upcasts.size === 0 && names.size === 0) return diagnostics;
  const silenced = new Set<string>();
  for (const c of model.contexts) {
    for (const ev of c.events) {
      if (!upcasts.has(`${c.name}.${ev.name}`)) continue;
      for (const v of ev.versions) silenced.add(`EDA3002 ${v.headerSpan.file}:${v.headerSpan.start}`);
    }
  }
  for (const p of parsed) {
    for (const d of p.ast.declarations) {
      if ((d.kind !== "AggregateDecl" && d.kind !== "ServiceDecl") || !d.handlers.some((h) => names.has(h.command.parts[h.command.parts.length - 1]?.name ?? ""))) continue;
      silenced.add(`EDA4009 ${d.name.span.file}:${d.name.span.start}`);
    }
  }
  return diagnostics.filter((d) => !silenced.has(`${d.code} ${d.span.file}:${d.span.start}`));
}
