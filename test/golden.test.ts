/**
 * Golden diagnostics: every `test/cases/check/<code>-<name>.eda` is compiled, its diagnostics are
 * rendered without colour and compared with `<case>.txt` beside it. `EDA_UPDATE_GOLDEN=1`
 * (`pnpm test:update`) rewrites the `.txt` files instead; review their diff before committing.
 *
 * A case named `EDA2001-unknown-name.eda` must report EDA2001; its near-miss
 * `EDA2001-unknown-name.ok.eda` must not. A case may hold several files: a line
 * `// @file other.eda` starts the next one (the text before the first such line is the case file).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  createParser,
  CODES,
  compile,
  stageOf,
  renderDiagnostics,
  summarizeDiagnostics,
  type Code,
  type Diagnostic,
  type SourceFile,
} from "@eda/language";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "cases", "check");
const update = process.env.EDA_UPDATE_GOLDEN === "1";

const FILE_SEPARATOR = /^\/\/ @file (\S+)[ \t]*\r?$/;

/** Splits a case's text into source files at `// @file name` lines. */
function splitCase(caseFile: string, text: string): SourceFile[] {
  const files: { path: string; lines: string[] }[] = [{ path: caseFile, lines: [] }];
  for (const line of text.split("\n")) {
    const separator = FILE_SEPARATOR.exec(line);
    if (separator) files.push({ path: separator[1] as string, lines: [] });
    else (files[files.length - 1] as { lines: string[] }).lines.push(line);
  }
  // The line break before a separator belongs to the file it ends.
  return files
    .map((f, i) => ({ path: f.path, text: f.lines.join("\n") + (i < files.length - 1 ? "\n" : "") }))
    .filter((f, i) => i > 0 || f.text.trim() !== "");
}

interface Case {
  /** File name of the case, e.g. `EDA2001-unknown-name.ok.eda`. */
  readonly file: string;
  readonly code: string;
  /** True for a near-miss (`.ok.eda`), which must not report `code`. */
  readonly nearMiss: boolean;
}

function listCases(): Case[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith(".eda"))
    .sort()
    .map((file) => ({ file, code: file.slice(0, file.indexOf("-")), nearMiss: file.endsWith(".ok.eda") }));
}

/** The golden text: the rendered diagnostics, then the summary line. */
function renderCase(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): string {
  const sources = new Map(files.map((f) => [f.path, f.text]));
  const rendered = renderDiagnostics(diagnostics, sources);
  return `${rendered}${rendered === "" ? "" : "\n"}${summarizeDiagnostics(diagnostics, files.length)}\n`;
}

function sourceLength(files: readonly SourceFile[], file: string): number | undefined {
  return files.find((f) => f.path === file)?.text.length;
}

function goldenPath(caseFile: string): string {
  return path.join(casesDir, `${caseFile.replace(/\.eda$/, "")}.txt`);
}

const cases = listCases();

describe("golden diagnostics", () => {
  it("finds the cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(c.file, () => {
      const files = splitCase(c.file, readFileSync(path.join(casesDir, c.file), "utf8"));
      const { diagnostics } = compile(files, { parser });
      const actual = renderCase(files, diagnostics);
      const golden = goldenPath(c.file);
      if (update) writeFileSync(golden, actual);
      expect(existsSync(golden), `${path.basename(golden)} is missing; run \`pnpm test:update\``).toBe(true);
      expect(actual).toBe(readFileSync(golden, "utf8"));

      expect(Object.hasOwn(CODES, c.code), `${c.file} is named after an unknown code`).toBe(true);
      const codes = diagnostics.map((d) => d.code);
      if (c.nearMiss) expect(codes, `${c.file} must not report ${c.code}`).not.toContain(c.code);
      else expect(codes, `${c.file} must report ${c.code}`).toContain(c.code);

      for (const d of diagnostics) {
        const file = files.find((f) => f.path === d.span.file);
        expect(file, `${d.code} points into an unknown file ${d.span.file}`).toBeDefined();
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeLessThanOrEqual(file?.text.length ?? 0);
        expect(d.severity).toBe(CODES[d.code].severity);
      }
      // A frame underlines what is wrong; an empty span underlines nothing. Only an insertion point
      // at the very start or end of a file (a missing `context` line, a missing `}`) has nothing to cover.
      const empty = diagnostics.filter(
        (d) => d.span.end <= d.span.start && d.span.start > 0 && d.span.start < (sourceLength(files, d.span.file) ?? 0),
      );
      expect(empty.map((d) => `${d.code} at ${d.span.file}:${d.span.start}`), "diagnostics with an empty span").toEqual([]);
    });
  }

  it("has a trigger and a near-miss for every code", () => {
    const names = new Set(cases.map((c) => c.file));
    // Evolution codes compare two models: their cases are the table of `test/cases/evolution`.
    const missing = (Object.keys(CODES) as Code[]).filter((code) => stageOf(code) !== "evolution").flatMap((code) => {
      const stem = `${code}-${CODES[code].name}`;
      return [`${stem}.eda`, `${stem}.ok.eda`].filter((f) => !names.has(f));
    });
    expect(missing).toEqual([]);
  });

  it("has no golden file without its case", () => {
    const stems = new Set(cases.map((c) => c.file.replace(/\.eda$/, "")));
    const orphans = readdirSync(casesDir).filter((f) => f.endsWith(".txt") && !stems.has(f.replace(/\.txt$/, "")));
    expect(orphans).toEqual([]);
  });

  it("splits multi-file cases at `// @file` lines", () => {
    const files = splitCase("a.eda", "context A\n// @file b.eda\ncontext B\n");
    expect(files).toEqual([
      { path: "a.eda", text: "context A\n" },
      { path: "b.eda", text: "context B\n" },
    ]);
  });
});
