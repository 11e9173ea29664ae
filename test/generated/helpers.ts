/**
 * Helpers for the tests of generated code: compile a model, write its generated code and
 * scaffolds inside the repository (so `zod` and `@eda/runtime` resolve from the root
 * node_modules), run tsc on the strict project of this folder, and format with Prettier.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createParser, compile, renderDiagnostics, type Model } from "@eda/language";
import { generate, scaffold, type GeneratedFile, type ScaffoldFile } from "@eda/generator";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** This folder. */
export const HERE = path.join(ROOT, "test", "generated");
/** Where every model's generated code (`<model>/generated`) and scaffolds (`<model>/handlers`) go. */
export const OUT = path.join(HERE, "out");
/** The shop's generated code, which `shop-handlers/` and `fixtures/` import. */
export const SHOP_GENERATED = path.join(HERE, "shop-generated");

/** The models whose generated code must compile: the examples, the domain models and `models/edge`. */
export const MODELS = {
  shop: "examples/shop",
  "parcel-lockers": "examples/parcel-lockers",
  library: "test/models/library",
  hotel: "test/models/hotel",
  billing: "test/models/billing",
  edge: "test/generated/models/edge",
  cart: "test/domains/shopping-cart",
} as const;

export type ModelName = keyof typeof MODELS;

/** Compiles a model folder; throws with the rendered diagnostics if it has errors. */
export function loadModel(name: ModelName): Model {
  const dir = path.join(ROOT, MODELS[name]);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".eda"))
    .sort()
    .map((f) => ({ path: `${MODELS[name]}/${f}`, text: readFileSync(path.join(dir, f), "utf8") }));
  const { model, diagnostics } = compile(files, { parser });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(renderDiagnostics(errors, new Map(files.map((f) => [f.path, f.text]))));
  return model;
}

/** The generated code and scaffolds of a model, scaffolds expecting the code at `../generated`. */
export function outputOf(name: ModelName): { generated: GeneratedFile[]; scaffolds: ScaffoldFile[] } {
  const model = loadModel(name);
  return { generated: generate(model), scaffolds: scaffold(model, { generatedFromHandlers: "../generated" }) };
}

/**
 * Makes `dir` hold exactly `files`. Each file is written to a temporary name and renamed, and
 * only when it changed, so test files that write the same output at once never see half a file.
 */
export function writeTree(dir: string, files: readonly { readonly path: string; readonly content: string }[]): void {
  const wanted = new Set(files.map((f) => path.join(dir, f.path)));
  for (const f of files) {
    const target = path.join(dir, f.path);
    let current: string | undefined;
    try {
      current = readFileSync(target, "utf8");
    } catch {
      current = undefined;
    }
    if (current === f.content) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, f.content);
    renameSync(temp, target);
  }
  for (const file of listFiles(dir)) if (!wanted.has(file) && !file.endsWith(".tmp")) rmSync(file, { force: true });
}

/** Every file below `dir` (none if it does not exist). */
export function listFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Writes the shop's generated code where the hand-written shop handlers expect it. */
export function writeShopGenerated(): void {
  writeTree(SHOP_GENERATED, generate(loadModel("shop")));
  // The shop's handlers are the example's own, pointed at this folder's copy of the generated code.
  const handlers = listFiles(EXAMPLE_HANDLERS).map((file) => ({
    path: path.relative(EXAMPLE_HANDLERS, file),
    content: readFileSync(file, "utf8").replaceAll("../../generated/", "../../shop-generated/"),
  }));
  writeTree(path.join(HERE, "shop-handlers"), handlers);
}

/** The hand-written handlers of the shop example (`examples/shop/handlers`). */
const EXAMPLE_HANDLERS = path.join(ROOT, "examples", "shop", "handlers");

/** One error tsc reported. */
export interface TscError {
  /** Relative to this folder, with `/`. */
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** Runs tsc on this folder's strict project and returns its errors. */
export function runTsc(): Promise<TscError[]> {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", path.join(HERE, "tsconfig.json"), "--pretty", "false"], { cwd: HERE, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", () => resolve(parseTsc(out)));
  });
}

/** Parses `file(line,col): error TSxxxx: message` lines; indented lines continue the message. */
export function parseTsc(output: string): TscError[] {
  const errors: { file: string; line: number; code: string; message: string }[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) errors.push({ file: (m[1] as string).split(path.sep).join("/"), line: Number(m[2]), code: m[3] as string, message: m[4] as string });
    else if (line.startsWith(" ") && errors.length > 0) (errors[errors.length - 1] as { message: string }).message += `\n${line}`;
    else if (line.trim() !== "") errors.push({ file: "", line: 0, code: "", message: line });
  }
  return errors;
}

/** Errors as text, one per line, for readable assertion failures. */
export function describeErrors(errors: readonly TscError[]): string {
  return errors.map((e) => `${e.file}:${e.line} ${e.code} ${e.message}`).join("\n");
}

/** Formats TypeScript with Prettier's default options. */
export async function prettierFormat(content: string, filepath: string): Promise<string> {
  const prettier = await import("prettier");
  return prettier.format(content, { filepath });
}
