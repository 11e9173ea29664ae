/**
 * The whole front end in a few lines: parse each file, resolve names into a Model, check it.
 */
import { check } from "./check/check.js";
import { sortAndCap, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { SourceFile } from "./diagnostics/source.js";
import type { Model } from "./resolve/model.js";
import { resolve } from "./resolve/resolve.js";
import { parseFile, type ParsedFile } from "./syntax/parse-file.js";

export interface CompileResult {
  readonly model: Model;
  /** Sorted by file, then position; at most `MAX_DIAGNOSTICS_PER_FILE` (and a closing note) per file. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles a model from its source files. Never throws on any input. */
export function compile(files: readonly SourceFile[]): CompileResult {
  return compileParsed(files.map((f) => parseFile(f)));
}

/**
 * Resolves and checks files parsed earlier, one by one, with `parseFile`: an editor re-parses
 * only the file that changed and compiles the model from the cached rest. Parsed files are not
 * modified, so they can be reused by any number of compilations.
 */
export function compileParsed(parsed: readonly ParsedFile[]): CompileResult {
  const diagnostics: Diagnostic[] = [];
  for (const p of parsed) for (const d of p.diagnostics) diagnostics.push(d);
  const model = resolve(parsed, diagnostics);
  check(model, diagnostics);
  return { model, diagnostics: sortAndCap(diagnostics, new Map(parsed.map((p) => [p.ast.path, p.omitted]))) };
}
