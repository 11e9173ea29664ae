/** Test support: compile a model from texts, generate it into a folder the test can import. */
import { mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createParser, compile, type SourceFile } from "@eda/language";
import { generate, type GeneratedFile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

export const repoRoot = join(import.meta.dirname, "../../..");

/** Reads every `.eda` file of a folder. */
export function readModel(dir: string): SourceFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eda"))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), "utf8") }));
}

/** Compiles and generates; fails the test on any error diagnostic. */
export function generateFrom(files: readonly SourceFile[]): GeneratedFile[] {
  const { model, diagnostics } = compile(files, { parser });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.span.file}: ${d.code} ${d.message}`).join("\n"));
  return generate(model);
}

/** Writes generated files under `packages/generator/test/.out/<name>` (inside the repo so imports resolve). */
export function writeOut(name: string, files: readonly GeneratedFile[]): string {
  const dir = join(import.meta.dirname, ".out", name);
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  return dir;
}
