import { createParser, formatSource, renderDiagnostics, type Diagnostic } from "@eda/language";
import { CliError, describeFsError, EXIT } from "../errors.js";
import { realpath } from "node:fs/promises";
import { dirname } from "node:path";
import { isReadOnly, removeDeadTempFiles, writeFileAtomic } from "../io.js";
import { pauseForTest } from "../generate/test-pause.js";
import { displayPath, readInputs, type InputFile } from "../sources.js";
import type { Terminal } from "../terminal.js";

/** Options of `eda fmt`. */
export interface FmtOptions {
  /** List the files that are not formatted instead of rewriting them. */
  readonly check: boolean;
}

/**
 * `eda fmt [paths…] [--check]`: rewrites each file whose text is not in the canonical layout,
 * atomically, leaving formatted files untouched; with `check`, only lists them. Files with syntax
 * errors are reported (on stderr) and left alone, and so are a read-only file and a file saved
 * again meanwhile. The paths of the changed (or unformatted) files go to stdout, one a line, and a
 * summary to stderr. Returns 1 when a file has syntax errors, is read-only and not formatted, or,
 * with `check`, is not formatted; else 0.
 */
export async function runFmt(paths: readonly string[], options: FmtOptions, term: Terminal): Promise<number> {
  const inputs = await readInputs(paths, term.cwd);
  const changed: string[] = [];
  const broken: Diagnostic[] = [];
  const texts = new Map<string, string>();
  let readOnly = 0;
  const parser = createParser();
  if (!options.check) await removeLeftovers(inputs, term);
  for (const input of inputs) {
    const { source } = input;
    const result = formatSource(source, parser);
    if (!result.ok) {
      broken.push(...result.diagnostics);
      texts.set(source.path, source.text);
      continue;
    }
    const formatted = withLineEnds(result.text, source.text);
    if (formatted === source.text) continue;
    if (!options.check && (await isReadOnly(input.absolutePath))) {
      // Its owner made it so (a file under another tool's care, say): renaming over it would succeed, so ask.
      term.err(`eda: ${source.path} is read-only; left as it is (make it writable to format it)\n`);
      readOnly++;
      continue;
    }
    if (!options.check) {
      const bom = input.bom ? "\uFEFF" : "";
      let written: boolean;
      pauseForTest("fmt-write");
      try {
        // Only over the text that was formatted: a save made since it was read is the user's newer work.
        written = await writeFileAtomic(input.absolutePath, `${bom}${formatted}`, { ifStill: `${bom}${source.text}` });
      } catch (error) {
        throw new CliError(`cannot write '${source.path}': ${describeFsError(error)}`);
      }
      if (!written) {
        term.err(`eda: ${source.path} changed while it was being formatted; left as it is (run eda fmt again)\n`);
        continue;
      }
    }
    changed.push(source.path);
    term.out(`${source.path}\n`);
  }
  if (broken.length > 0) term.err(`${renderDiagnostics(broken, texts, { colors: term.errColors })}\n`);
  term.err(`${summarize(inputs.length, changed.length, texts.size, readOnly, options.check)}\n`);
  return texts.size > 0 || readOnly > 0 || (options.check && changed.length > 0) ? EXIT.problems : EXIT.ok;
}

/**
 * Removes the temporary files a run killed while rewriting a model file left beside it (in the
 * folder of the file a link leads to, where {@link writeFileAtomic} writes), and says so.
 */
async function removeLeftovers(inputs: readonly InputFile[], term: Terminal): Promise<void> {
  const real = await Promise.all(inputs.map((input) => realpath(input.absolutePath).catch(() => input.absolutePath)));
  const removed: string[] = [];
  for (const dir of new Set(real.map((path) => dirname(path)))) removed.push(...(await removeDeadTempFiles(dir)));
  const n = removed.length;
  if (n > 0) term.err(`eda: removed ${n} leftover temporary file${n === 1 ? "" : "s"} of an interrupted run: ${removed.map((path) => displayPath(path, term.cwd)).join(", ")}\n`);
}

/**
 * The formatted text (lines ending in `\n`) with the line ends of the file it came from: `\r\n`
 * when the file's first line ends so — a Windows checkout (git's autocrlf) stays as it is, and
 * `--check` passes there — else `\n`.
 */
function withLineEnds(formatted: string, original: string): string {
  const firstEnd = original.indexOf("\n");
  return firstEnd > 0 && original[firstEnd - 1] === "\r" ? formatted.replace(/\n/g, "\r\n") : formatted;
}

function summarize(total: number, changed: number, broken: number, readOnly: number, check: boolean): string {
  const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (changed === 0 && broken === 0 && readOnly === 0) parts.push(total === 1 ? "The file is formatted." : `All ${total} files are formatted.`);
  else if (check && changed > 0) parts.push(`${changed} of ${files(total)} not formatted; run \`eda fmt\` to fix.`);
  else if (changed > 0) parts.push(`Formatted ${changed} of ${files(total)}.`);
  if (readOnly > 0) parts.push(`${files(readOnly)} read-only, not formatted.`);
  if (broken > 0) {
    parts.push(`${files(broken)} with syntax errors ${check ? "not checked" : "left unchanged"}.`);
  }
  return parts.join(" ");
}
