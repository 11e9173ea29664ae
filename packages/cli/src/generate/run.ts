/**
 * One run of `eda generate`: read and compile the model, refuse on errors, generate, then either
 * compare with the output folder (`--check`) or replace it, and bring the handler scaffolds up to
 * date. `commands/generate.ts` runs it once; `watch.ts` on every change.
 */
import { generateFiles, operationsNames, scaffold, type GeneratedFile, type GenModel, type OperationsConfig, type ScaffoldFile, type TemplateProblem } from "@eda/generator";
import { compile, hasErrors, renderDiagnostics, summarizeDiagnostics, type FileParser, type Model } from "@eda/language";
import { relative, resolve, sep } from "node:path";
import { CONFIG_FILE, loadConfig, type EdaConfig } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { displayPath, readInputs } from "../sources.js";
import type { Terminal } from "../terminal.js";
import {
  diffOutput,
  interruptedBackup,
  isUpToDate,
  readOutput,
  recoverOutput,
  refuseForeignFiles,
  replaceOutput,
  resolveOutputDir,
  resolveWrittenDir,
  withOutputLock,
  type OutputDiff,
} from "./output.js";
import { isGenerated } from "./ownership.js";
import { applyScaffolds, type ScaffoldReport } from "./scaffolds.js";
import { describeTemplateProblems, loadTemplates } from "./templates.js";

/** Options of `eda generate`, as given on the command line. */
export interface GenerateOptions {
  readonly out?: string;
  readonly handlers?: string;
  readonly config?: string;
  readonly check: boolean;
  readonly watch: boolean;
}

/** Where a run reads and writes: settled from the arguments, the flags and the config. */
export interface GenerateSetup {
  readonly paths: readonly string[];
  readonly config: EdaConfig | undefined;
  /** Absolute; a symbolic link to a folder is followed. */
  readonly outDir: string;
  readonly handlersDir: string | undefined;
}

/**
 * Settles the folders: `--out` and `--handlers` win over the config's `out` and `handlers`. The
 * config is `--config FILE`, else `eda.config.json` in `cwd`, which is required only when no path
 * is given. Throws a CliError when there is no output folder or the folders overlap.
 */
export async function resolveSetup(paths: readonly string[], options: GenerateOptions, cwd: string): Promise<GenerateSetup> {
  const location = options.config !== undefined ? { file: options.config } : { optional: paths.length > 0 };
  const config = await loadConfig(cwd, location);
  const out = options.out !== undefined ? resolve(cwd, options.out) : config?.out;
  if (out === undefined) {
    throw new CliError(
      config
        ? `no output folder: pass --out DIR, or set "out" in ${config.file}`
        : `no output folder: pass --out DIR, or run where an ${CONFIG_FILE} sets "out"`,
    );
  }
  const show = showPath(cwd);
  const outDir = await resolveWrittenDir(out, "output", show);
  const handlers = options.handlers !== undefined ? resolve(cwd, options.handlers) : config?.handlers;
  const handlersDir = handlers === undefined ? undefined : await resolveWrittenDir(handlers, "handlers", show);
  // Compared as real paths, as outDir is: a config reached through a link is still the project.
  if (config?.templates !== undefined && contains(outDir, await resolveOutputDir(config.templates))) {
    throw new CliError(`the templates folder '${show(config.templates)}' is inside the output folder '${show(outDir)}', which eda replaces as a whole; keep templates outside it`);
  }
  if (contains(outDir, await resolveOutputDir(cwd)) || (config && contains(outDir, await resolveOutputDir(config.dir)))) {
    throw new CliError(`the output folder '${show(outDir)}' holds the project itself; give the generated code a folder of its own`);
  }
  if (handlersDir !== undefined && (contains(outDir, handlersDir) || contains(handlersDir, outDir))) {
    throw new CliError(
      `the handlers folder '${show(handlersDir)}' and the output folder '${show(outDir)}' overlap; ` +
        "eda replaces the output folder as a whole, so handlers must live outside it",
    );
  }
  return { paths, config, outDir, handlersDir };
}

/** True when `inner` is `outer` or below it. */
function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** How a path is shown: relative to the working folder when below it, else absolute. */
export function showPath(cwd: string): (path: string) => string {
  return (path) => {
    if (path === cwd) return ".";
    const shown = displayPath(path, cwd);
    return shown.startsWith("../") ? path : shown;
  };
}

/**
 * Runs `eda generate` once; resolves to its exit code. I/O and usage problems throw a CliError.
 * A watch passes the `parser` it keeps between runs.
 */
export async function generateOnce(setup: GenerateSetup, check: boolean, term: Terminal, parser?: FileParser): Promise<number> {
  const show = showPath(term.cwd);
  const inputs = await readInputs(setup.paths, term.cwd, setup.config);
  const sources = inputs.map((input) => input.source);
  const { model, diagnostics } = compile(sources, { parser });
  if (diagnostics.length > 0) {
    const report = renderDiagnostics(diagnostics, new Map(sources.map((s) => [s.path, s.text])), { colors: term.errColors });
    const summary = summarizeDiagnostics(diagnostics, sources.length);
    term.err(`${report}\n${summary}${hasErrors(diagnostics) ? ": nothing generated" : ""}\n`);
  }
  if (hasErrors(diagnostics)) return EXIT.problems;

  const operations = setup.config?.operations;
  if (operations !== undefined && setup.config !== undefined) checkOperationsNames(model, operations, setup.config.file);
  const templatesDir = setup.config?.templates;
  const loaded = templatesDir === undefined ? undefined : await loadTemplates(templatesDir, show);
  if (loaded?.ok === false && templatesDir !== undefined) return reportTemplateProblems(templatesDir, loaded.problems, term);
  const templates = loaded?.ok === true ? { templates: loaded.templates } : {};
  const generated = generateFiles(model, { ...(operations === undefined ? {} : { operations }), brandedScalars: setup.config?.brandedScalars === true, ...templates });
  if (generated.problems.length > 0 && templatesDir !== undefined) return reportTemplateProblems(templatesDir, generated.problems, term);
  const files = checkGenerated(generated.files);
  const scaffolds = setup.handlersDir === undefined ? undefined : scaffoldFiles(model, setup, generated.gen);
  const outShown = `${show(setup.outDir)}/`;
  if (check) return checkOutput(setup, files, scaffolds, term);

  const { notes, diff, upToDate } = await withOutputLock(setup.outDir, show, async () => {
    const notes = await recoverOutput(setup.outDir, show);
    const current = await readOutput(setup.outDir, show);
    refuseForeignFiles(setup.outDir, current, files, show);
    const diff = diffOutput(current, files);
    const upToDate = isUpToDate(current, diff);
    if (!upToDate) await replaceOutput(setup.outDir, files, diff, show);
    return { notes, diff, upToDate };
  });
  for (const note of notes) term.err(`eda: ${note}\n`);
  const parts = [upToDate ? `${outShown} is up to date (${plural(files.length, "file")})` : `wrote ${plural(files.length, "file")} to ${outShown} (${describeDiff(diff)})`];
  if (scaffolds !== undefined && setup.handlersDir !== undefined) {
    const report = await applyScaffolds(scaffolds, setup.handlersDir, { check: false, show });
    parts.push(...describeScaffolds(report, show));
    warnAboutHandlers(report, term, show);
  }
  term.out(`${parts.join(", ")}\n`);
  return EXIT.ok;
}

/** A user template that fails stops the run before anything is written. */
function reportTemplateProblems(dir: string, problems: readonly TemplateProblem[], term: Terminal): number {
  const n = problems.length;
  term.err(`${describeTemplateProblems(dir, problems, showPath(term.cwd))}\n${n} problem${n === 1 ? "" : "s"} in templates: nothing generated\n`);
  return EXIT.problems;
}

/** `--check`: lists what generating would change; exit 1 when anything would. */
async function checkOutput(setup: GenerateSetup, files: readonly GeneratedFile[], scaffolds: readonly ScaffoldFile[] | undefined, term: Terminal): Promise<number> {
  const show = showPath(term.cwd);
  const current = await readOutput(setup.outDir, show);
  refuseForeignFiles(setup.outDir, current, files, show);
  const diff = diffOutput(current, files);
  const at = (path: string) => show(resolve(setup.outDir, path));
  const lines = [
    ...diff.changed.map((p) => `stale    ${at(p)}`),
    ...diff.added.map((p) => `missing  ${at(p)}`),
    ...diff.removed.map((p) => `extra    ${at(p)}`),
  ];
  let report: ScaffoldReport | undefined;
  if (scaffolds !== undefined && setup.handlersDir !== undefined) {
    report = await applyScaffolds(scaffolds, setup.handlersDir, { check: true, show });
    lines.push(...report.created.map((file) => `missing  ${show(file)}`));
    for (const { file, added } of report.extended) lines.push(...added.map((member) => `missing  ${show(file)}: handler ${member}`));
    warnAboutHandlers(report, term, show);
  }
  const backup = current.exists ? undefined : await interruptedBackup(setup.outDir);
  if (backup !== undefined) term.err(`eda: '${show(setup.outDir)}' is missing after an interrupted run; \`eda generate\` restores it\n`);
  const outShown = `${show(setup.outDir)}/`;
  // A handler file eda could not read or edit (warned above) is not known to be up to date.
  const unplaced = report?.unplaced.length ?? 0;
  if (lines.length === 0 && unplaced === 0 && current.exists) {
    term.out(`${outShown} is up to date (${plural(files.length, "file")})\n`);
    return EXIT.ok;
  }
  const counts = [
    [diff.changed.length, "stale"],
    [diff.added.length + (report?.created.length ?? 0), "missing"],
    [diff.removed.length, "extra"],
  ] as const;
  const what = counts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  const handlers = report?.extended.reduce((n, e) => n + e.added.length, 0) ?? 0;
  if (handlers > 0) what.push(`${plural(handlers, "missing handler")}`);
  if (unplaced > 0) what.push(`${plural(unplaced, "handler problem")} above`);
  term.out(`${lines.join("\n")}${lines.length > 0 ? "\n" : ""}out of date (${what.join(", ") || `${outShown} does not exist`}); run \`eda generate\` to update\n`);
  return EXIT.problems;
}

/**
 * The generator's files, checked: every path stays inside the output folder and every file
 * carries the header (else the next run would refuse to replace it). A failure is a bug in eda.
 */
function checkGenerated(files: readonly GeneratedFile[]): GeneratedFile[] {
  for (const file of files) {
    const parts = file.path.split("/");
    if (file.path.startsWith("/") || parts.some((p) => p === "" || p === "." || p === "..")) {
      throw new Error(`the generator produced a path outside the output folder: ${file.path}`);
    }
    if (!isGenerated(file.path, file.content)) throw new Error(`the generator produced ${file.path} without the "Generated by eda" header`);
  }
  return [...files];
}

/** A threshold for a projection, consumer or workflow the model lacks is a typo: refused, with the names there are. */
function checkOperationsNames(model: Model, operations: OperationsConfig, file: string): void {
  const known = operationsNames(model);
  for (const key of ["projections", "consumers", "workflows"] as const) {
    for (const name of Object.keys(operations[key] ?? {})) {
      if (known[key].includes(name)) continue;
      const there = known[key].length === 0 ? "the model has none" : `the model has ${known[key].map((n) => `"${n}"`).join(", ")}`;
      throw new CliError(`${file}: "operations.${key}" names "${name}", which is not in the model; ${there}`);
    }
  }
}

/** The scaffolds of the model, with imports from the handlers folder to the output folder. */
function scaffoldFiles(model: Model, setup: GenerateSetup, gen: GenModel): ScaffoldFile[] {
  const fromHandlers = relative(setup.handlersDir ?? "", setup.outDir).split(sep).join("/");
  // The generation's lowering (scaffolds read only its names), not a second one.
  return scaffold(model, { generatedFromHandlers: fromHandlers }, gen);
}

function describeDiff(diff: OutputDiff): string {
  const parts = [
    [diff.added.length, "new"],
    [diff.changed.length, "changed"],
    [diff.removed.length, "removed"],
  ] as const;
  return parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`).join(", ");
}

function describeScaffolds(report: ScaffoldReport, show: (path: string) => string): string[] {
  const parts: string[] = [];
  if (report.created.length > 0) parts.push(`created ${plural(report.created.length, "handler file")}`);
  for (const { file, added } of report.extended) parts.push(`added ${plural(added.length, "handler")} to ${show(file)}`);
  return parts;
}

function warnAboutHandlers(report: ScaffoldReport, term: Terminal, show: (path: string) => string): void {
  const n = report.leftovers.length;
  if (n > 0) term.err(`eda: removed ${n} leftover temporary file${n === 1 ? "" : "s"} of an interrupted run: ${report.leftovers.map(show).join(", ")}\n`);
  for (const { file, member } of report.stale) term.err(`eda: ${show(file)}: ${member} is no longer in the model (left in place)\n`);
  for (const { file, problem } of report.unplaced) {
    const { members, reason } = problem;
    term.err(
      members.length === 0
        ? `eda: ${show(file)}: cannot check the handlers of \`${problem.container}\`: ${reason}\n`
        : `eda: ${show(file)}: cannot add ${members.join(", ")}: ${reason}; add ${members.length === 1 ? "it" : "them"} by hand\n`,
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
