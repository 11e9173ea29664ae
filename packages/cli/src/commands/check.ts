import {
  compareModels,
  compareWithRegistry,
  compile,
  createParser,
  hasErrors,
  LineIndex,
  renderDiagnostics,
  sortDiagnostics,
  summarizeDiagnostics,
  type Diagnostic,
  type FileParser,
  type Model,
  type Span,
} from "@eda/language";
import { loadConfig, type EdaConfig } from "../config.js";
import { EXIT } from "../errors.js";
import type { ModelScope } from "../evolution/baseline.js";
import { readInputs } from "../sources.js";
import type { Terminal } from "../terminal.js";

/** Output formats of `eda check`. */
export const CHECK_FORMATS = ["text", "json"] as const;

/** Options of `eda check`. */
export interface CheckOptions {
  readonly format: (typeof CHECK_FORMATS)[number];
  /** `--config FILE`: the config whose "model" globs name the files (when no path is given). */
  readonly config?: string;
  /** The baseline to compare with: a git revision, a folder or a registry manifest. */
  readonly against?: string;
}

/**
 * `eda check [paths…] [--config FILE] [--against REF]`: compiles the model and reports its
 * diagnostics; with `--against` (or `evolution.against` of the config, when checking the
 * configured model), also what changed since that baseline. Returns the exit code: 0 with no
 * error (warnings and notices allowed), 1 with errors. I/O problems throw a CliError.
 */
export async function runCheck(paths: readonly string[], options: CheckOptions, term: Terminal): Promise<number> {
  const config: EdaConfig | undefined =
    options.config !== undefined
      ? await loadConfig(term.cwd, { file: options.config })
      : paths.length === 0
        ? await loadConfig(term.cwd)
        : options.against !== undefined
          ? await loadConfig(term.cwd, { optional: true })
          : undefined;
  const inputs = await readInputs(paths, term.cwd, config);
  const sources = inputs.map((input) => input.source);
  const parser = createParser();
  const compiled = compile(sources, { parser });
  let diagnostics = compiled.diagnostics;
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  const against = options.against ?? (paths.length === 0 ? config?.evolution?.against : undefined);
  if (against !== undefined) {
    const changes = await compareWithBaseline(against, compiled.model, { cwd: term.cwd, paths, config }, texts, term, parser);
    diagnostics = sortDiagnostics([...diagnostics, ...changes]);
  }
  if (options.format === "json") {
    term.out(`${JSON.stringify(toJsonReport(diagnostics, texts, sources.length), null, 2)}\n`);
  } else {
    const report = renderDiagnostics(diagnostics, texts, { colors: term.outColors });
    term.out(`${report}${report === "" ? "" : "\n"}${summarizeDiagnostics(diagnostics, sources.length)}\n`);
  }
  return hasErrors(diagnostics) ? EXIT.problems : EXIT.ok;
}

/** What changed since the baseline `against`; the baseline's texts are added to `texts` for the notes. */
async function compareWithBaseline(against: string, model: Model, scope: ModelScope, texts: Map<string, string>, term: Terminal, parser: FileParser): Promise<Diagnostic[]> {
  // Loaded only with --against: git (and node:child_process, with net and dgram) stay out of start-up.
  const { loadBaseline } = await import("../evolution/baseline.js");
  const baseline = await loadBaseline(against, scope);
  if (baseline.kind === "manifest") {
    texts.set(baseline.file.path, baseline.file.text);
    // The generator computes the schema hashes; it loads only for a manifest.
    const { registryEntries } = await import("@eda/generator");
    const hashes = new Map(registryEntries(model).map((e) => [`${e.type}@${e.version}`, e.sha256]));
    return compareWithRegistry(baseline.records, model, (event, version) => hashes.get(`${event.name}@${version}`) ?? "");
  }
  if (baseline.files.length === 0) term.err(`eda: the baseline '${against}' holds no model files; nothing to compare\n`);
  const base = compile(baseline.files, { parser });
  if (hasErrors(base.diagnostics)) term.err(`eda: the baseline '${against}' has errors of its own; what they hide is not compared\n`);
  for (const f of baseline.files) texts.set(f.path, f.text);
  return compareModels(base.model, model, { commands: scope.config?.evolution?.commands ?? "warning" });
}

/** A position in the JSON report: 1-based line and column (UTF-16 code units) and the 0-based offset. */
interface JsonPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** The JSON report of `eda check --format json`, for tools. */
export interface JsonReport {
  readonly diagnostics: readonly {
    readonly code: string;
    readonly severity: string;
    readonly message: string;
    readonly file: string;
    readonly start: JsonPosition;
    readonly end: JsonPosition;
    readonly hint: string | null;
    /** The edit the hint proposes: `replacement` in place of the range. */
    readonly fix: { replacement: string; file: string; start: JsonPosition; end: JsonPosition } | null;
    readonly labels: readonly { message: string; file: string; start: JsonPosition; end: JsonPosition }[];
  }[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly notices: number; readonly files: number };
}

/** Turns diagnostics into the JSON report; positions are computed from the texts. */
export function toJsonReport(
  diagnostics: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
  fileCount: number,
): JsonReport {
  const indexes = new Map<string, LineIndex>();
  const position = (file: string, offset: number): JsonPosition => {
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = new LineIndex(texts.get(file) ?? "")));
    return { ...index.locate(offset), offset };
  };
  const place = (span: Span) => ({
    file: span.file,
    start: position(span.file, span.start),
    end: position(span.file, span.end),
  });
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const notices = diagnostics.filter((d) => d.severity === "notice").length;
  return {
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...place(d.span),
      hint: d.hint ?? null,
      fix: d.fix ? { replacement: d.fix.replacement, ...place(d.fix.span) } : null,
      labels: (d.labels ?? []).map((label) => ({ message: label.message, ...place(label.span) })),
    })),
    summary: { errors, warnings: diagnostics.length - errors - notices, notices, files: fileCount },
  };
}
