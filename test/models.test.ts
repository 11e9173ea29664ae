/**
 * Whole models: the examples and the three domain models in `test/models/` check clean; each
 * broken variant in `test/models/broken/` (a copy of one domain model with one mistake) reports
 * the code its manifest expects at the line of the mistake; the shop example equals the
 * language's worked example byte for byte.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createParser, CODES, compile, stageOf, LineIndex, renderDiagnostics, type Diagnostic, type SourceFile } from "@eda/language";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const modelsDir = path.join(repoRoot, "test", "models");
const brokenDir = path.join(modelsDir, "broken");

const DOMAIN_MODELS = ["library", "hotel", "billing"] as const;
const EXAMPLES = ["shop", "parcel-lockers"] as const;

function edaFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eda"))
    .sort();
}

/** The `.eda` files of a folder, named relative to the repository root as the CLI names them. */
function loadModel(dir: string): SourceFile[] {
  return edaFiles(dir).map((f) => ({
    path: path.relative(repoRoot, path.join(dir, f)).split(path.sep).join("/"),
    text: readFileSync(path.join(dir, f), "utf8"),
  }));
}

function render(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): string {
  return renderDiagnostics(diagnostics, new Map(files.map((f) => [f.path, f.text])));
}

/** The 1-based line of a diagnostic's start. */
function lineOf(files: readonly SourceFile[], d: Diagnostic): number {
  const file = files.find((f) => f.path === d.span.file);
  return file ? new LineIndex(file.text).locate(d.span.start).line : -1;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

describe("clean models", () => {
  const folders = [
    ...EXAMPLES.map((name) => ({ name: `examples/${name}`, dir: path.join(repoRoot, "examples", name) })),
    ...DOMAIN_MODELS.map((name) => ({ name: `test/models/${name}`, dir: path.join(modelsDir, name) })),
  ];
  for (const { name, dir } of folders) {
    it(`${name} checks with no errors and no warnings`, () => {
      const files = loadModel(dir);
      expect(files.length).toBeGreaterThan(0);
      const { diagnostics } = compile(files, { parser });
      expect(diagnostics, render(files, diagnostics)).toEqual([]);
    });
  }

  it("the domain models use the whole language", () => {
    for (const name of DOMAIN_MODELS) {
      const files = loadModel(path.join(modelsDir, name));
      const text = files.map((f) => f.text).join("\n");
      expect(files.length, name).toBeGreaterThanOrEqual(2);
      expect(files.length, name).toBeLessThanOrEqual(4);
      expect(new Set(text.match(/^context \w+/gm)).size, `${name}: contexts`).toBeGreaterThanOrEqual(3);
      const constructs = [
        /^use \w+/m,
        /\b[A-Z]\w*\.[A-Z]\w*\b/, // a qualified name
        /^type \w+ \{/m,
        /^enum \w+ \{/m,
        /@(min|max|minLength|maxLength|pattern|pii)\b/,
        /^\s+\w+\??: [^=\n]+= \S/m, // a default
        /^command \w+/m,
        /^event \w+ v2 \{/m,
        /^upcast \w+ v1 -> v2 \{/m,
        /^aggregate \w+ \{[^}]*\bstate \{/m,
        /\bsnapshot every \d+/,
        /^service \w+ \{/m,
        /^projection \w+ \{/m,
        /\bcompensate \w+/,
        /\bretry \d+ every \w+/,
        /\btimeout \w+/,
      ];
      for (const pattern of constructs) expect(text, `${name} lacks ${pattern}`).toMatch(pattern);
      expect(text.match(/ orchestrated \{/g)?.length, `${name}: one orchestrated saga`).toBe(1);
      expect(text.match(/ choreographed \{/g)?.length, `${name}: one choreography`).toBe(1);
    }
  });

  it("the second example shows three versions of one event and every kind of upcast rule", () => {
    const text = loadModel(path.join(repoRoot, "examples", "parcel-lockers"))
      .map((f) => f.text)
      .join("\n");
    for (const v of ["v1", "v2", "v3"]) expect(text).toMatch(new RegExp(`^event ParcelDeposited ${v} \\{`, "m"));
    expect(text).toMatch(/^\s+\w+ = from \w+$/m);
    expect(text).toMatch(/^\s+\w+ = compute$/m);
    expect(text).toMatch(/^\s+\w+ = [A-Z0-9]\w*$/m);
    expect(text).toMatch(/ choreographed \{/);
    expect(text).not.toMatch(/ orchestrated \{/);
  });
});

describe("the shop example", () => {
  it("has its configuration", () => {
    const config: unknown = JSON.parse(readFileSync(path.join(repoRoot, "examples", "shop", "eda.config.json"), "utf8"));
    expect(config).toEqual({
      $schema: "../../packages/cli/schema/eda.config.schema.json",
      model: ["*.eda"],
      out: "generated",
      handlers: "handlers",
    });
  });
});

interface BrokenCase {
  readonly name: string;
  readonly model: string;
  /** `<variant>/<file>`: where the diagnostic is expected. */
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly mistake: string;
}

const brokenCases = JSON.parse(readFileSync(path.join(brokenDir, "cases.json"), "utf8")) as BrokenCase[];

describe("broken variants", () => {
  it("the manifest lists every variant folder, and only those", () => {
    const folders = readdirSync(brokenDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(brokenCases.map((c) => c.name).sort()).toEqual(folders);
    expect(brokenCases.length).toBeGreaterThanOrEqual(12);
  });

  for (const c of brokenCases) {
    it(`${c.name}: ${c.code} at ${c.file}:${c.line} (${c.mistake})`, () => {
      expect(Object.hasOwn(CODES, c.code), `unknown code ${c.code}`).toBe(true);
      expect(c.file.startsWith(`${c.name}/`)).toBe(true);

      // One mistake: the variant differs from its model in exactly one file.
      const variant = loadModel(path.join(brokenDir, c.name));
      const original = loadModel(path.join(modelsDir, c.model));
      expect(variant.map((f) => path.basename(f.path))).toEqual(original.map((f) => path.basename(f.path)));
      const changed = variant.filter((f, i) => f.text !== original[i]?.text);
      expect(changed.length, "files changed from the model").toBe(1);

      const { diagnostics } = compile(variant, { parser });
      const expectedFile = `test/models/broken/${c.file}`;
      const hits = diagnostics.filter((d) => d.code === c.code && d.span.file === expectedFile);
      const lines = hits.map((d) => lineOf(variant, d));
      expect(lines, `expected ${c.code} at line ${c.line}; got:\n${render(variant, diagnostics)}`).toContain(c.line);
    });
  }
});

describe("recovery", () => {
  it("a missing `}` and a misspelt event further down are both reported, each at its own line", () => {
    const files = loadModel(path.join(modelsDir, "library"));
    const loans = files.find((f) => f.path.endsWith("/loans.eda"));
    if (!loans) throw new Error("library/loans.eda is missing");
    // Drop the `}` that closes `command OpenLoan { … }`.
    const open = loans.text.indexOf("command OpenLoan {");
    const close = loans.text.indexOf("\n}\n", open);
    let text = loans.text.slice(0, close) + "\n" + loans.text.slice(close + 3);
    text = text.replace("    await CopyHeld\n", "    await CopyHeldd\n");
    const broken = files.map((f) => (f === loans ? { ...f, text } : f));

    const { diagnostics } = compile(broken, { parser });
    const report = render(broken, diagnostics);
    const lastFieldLine = lineContaining(text, "  format: Format");
    const nextDeclLine = lineContaining(text, "command RejectLoanRequest");
    const misspeltLine = lineContaining(text, "await CopyHeldd");

    const syntax = diagnostics.filter((d) => stageOf(d.code) === "syntax" && d.span.file === loans.path);
    expect(syntax.length, report).toBeGreaterThan(0);
    const syntaxLine = lineOf(broken, syntax[0] as Diagnostic);
    expect(syntaxLine, report).toBeGreaterThanOrEqual(lastFieldLine);
    expect(syntaxLine, report).toBeLessThanOrEqual(nextDeclLine);

    const unknown = diagnostics.filter((d) => d.code === "EDA2001" && lineOf(broken, d) === misspeltLine);
    expect(unknown.length, report).toBe(1);
    expect(`${unknown[0]?.message} ${unknown[0]?.hint ?? ""}`).toContain("CopyHeld");
    expect(syntaxLine).not.toBe(misspeltLine);
  });
});
