/** Shared by the domain tests: generate a domain's model into its `generated/` and compile the folder strict. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@eda/generator";
import { createParser, compile, renderDiagnostics } from "@eda/language";
import { describeErrors, parseTsc, ROOT, writeTree } from "../generated/helpers.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

/**
 * Compiles the `.eda` files of `test/domains/<name>` (any diagnostic, warnings included, throws),
 * writes the generated code to its `generated/`, and runs tsc on the folder's tsconfig.json
 * (the strictest settings). Returns tsc's errors, described ("" when there are none).
 */
export function generateDomain(name: string): string {
  const dir = path.join(ROOT, "test", "domains", name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".eda"))
    .sort()
    .map((f) => ({ path: `test/domains/${name}/${f}`, text: readFileSync(path.join(dir, f), "utf8") }));
  const { model, diagnostics } = compile(files, { parser });
  if (diagnostics.length > 0) throw new Error(renderDiagnostics(diagnostics, new Map(files.map((f) => [f.path, f.text]))));
  writeTree(path.join(dir, "generated"), generate(model));
  const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  if (tsc.error) throw tsc.error;
  return describeErrors(parseTsc(`${tsc.stdout}${tsc.stderr}`));
}
