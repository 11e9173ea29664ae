import { dirname, resolve } from "node:path";
import type { OperationsConfig } from "@eda/generator";
import type { ConfigProblem } from "./config-schema.js";
import { CliError, describeFsError } from "./errors.js";
import { NotRegularFileError, readRegularFile, withoutSameFiles } from "./io.js";

/** The name of the config file, looked up in the working folder. */
export const CONFIG_FILE = "eda.config.json";

/** A validated `eda.config.json`, its paths made absolute. */
export interface EdaConfig {
  /** The folder holding the config; globs and folders in it are relative to this one. */
  readonly dir: string;
  /** The config file as named to the user (`eda.config.json`, or the `--config` argument). */
  readonly file: string;
  /** Globs of the model files, relative to `dir`. */
  readonly model: readonly string[];
  /** The folder of the generated code, if configured. */
  readonly out?: string;
  /** The folder for handler scaffolds, if configured. */
  readonly handlers?: string;
  /** The folder of the user's templates (absolute), if configured. */
  readonly templates?: string;
  /** The module exporting the app's implementation (absolute), if configured. */
  readonly implementation?: string;
  /** The event store URL, if configured (a `sqlite:` file made absolute). */
  readonly store?: string;
  /** The evolution gate's defaults (`eda check --against`). */
  readonly evolution?: { readonly against?: string | undefined; readonly commands?: "warning" | "error" | undefined };
  /** Alert thresholds for the generated operations files. */
  readonly operations?: OperationsConfig;
  /** Branded scalar types in the generated code (`"brandedScalars": true`). */
  readonly brandedScalars?: boolean;
}

/** Where to look for the config: `eda.config.json` in the working folder, or a file given by `--config`. */
export interface ConfigLocation {
  /** The config file as the user named it (`--config FILE`), relative to `cwd`. */
  readonly file?: string;
  /** Without `file`: a missing `eda.config.json` is not an error (the caller has paths and flags). */
  readonly optional?: boolean;
}

/**
 * Reads and validates `eda.config.json` in `cwd` (or the file `location.file`). Throws a
 * {@link CliError} naming the file and the problem: the file is missing or unreadable, is not
 * JSON, or breaks the schema. Resolves to undefined when the config is `optional` and absent.
 */
export async function loadConfig(cwd: string): Promise<EdaConfig>;
export async function loadConfig(cwd: string, location: ConfigLocation): Promise<EdaConfig | undefined>;
export async function loadConfig(cwd: string, location: ConfigLocation = {}): Promise<EdaConfig | undefined> {
  const path = resolve(cwd, location.file ?? CONFIG_FILE);
  const name = location.file ?? CONFIG_FILE;
  let text: string;
  try {
    // Never a named pipe: reading one would wait for a writer forever.
    text = (await readRegularFile(path)).toString("utf8");
  } catch (error) {
    if (error instanceof NotRegularFileError) throw new CliError(`cannot read '${name}': ${error.message}`);
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    if (missing && location.file === undefined) {
      if (location.optional) return undefined;
      throw new CliError(`no paths given and no ${CONFIG_FILE} in this folder; name the files or folders to use`);
    }
    throw new CliError(`cannot read '${name}': ${describeFsError(error)}`);
  }
  const value = parseJson(text.replace(/^\uFEFF/, ""), name);
  const { validateConfig, CONFIG_KEYS } = await import("./config-schema.js");
  const result = validateConfig(value);
  if (!result.ok) {
    // An unknown key first: a misspelt "model" is also reported as a missing "model".
    const problems = [...result.problems].sort((a, b) => Number(!a.unknownKeys) - Number(!b.unknownKeys));
    throw new CliError(problems.map((p) => `${name}: ${describeProblem(p, value, CONFIG_KEYS, name)}`).join("\n"));
  }
  const { model, out, handlers, templates, implementation, store, evolution, operations, brandedScalars } = result.config;
  const dir = dirname(path);
  return {
    dir,
    file: name,
    model: typeof model === "string" ? [model] : model,
    ...(out !== undefined ? { out: resolve(dir, out) } : {}),
    ...(handlers !== undefined ? { handlers: resolve(dir, handlers) } : {}),
    ...(templates !== undefined ? { templates: resolve(dir, templates) } : {}),
    ...(implementation !== undefined ? { implementation: resolve(dir, implementation) } : {}),
    ...(evolution !== undefined ? { evolution } : {}),
    ...(operations !== undefined ? { operations } : {}),
    ...(brandedScalars !== undefined ? { brandedScalars } : {}),
    ...(store !== undefined ? { store: store.startsWith("sqlite:") && !store.startsWith("sqlite::") ? `sqlite:${resolve(dir, store.slice("sqlite:".length))}` : store } : {}),
  };
}

/** The absolute paths of the `.eda` files the config's globs match, sorted; at least one. */
export async function configuredModelFiles(config: EdaConfig): Promise<string[]> {
  const { glob } = await import("tinyglobby");
  let found: string[];
  try {
    found = await glob([...config.model], { cwd: config.dir, absolute: true, onlyFiles: true, ignore: ["**/node_modules/**"] });
  } catch (error) {
    // The glob library refuses a pattern it cannot compile (one over 65,536 characters, say).
    throw new CliError(`${config.file}: "model" holds a glob that cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  const files = await withoutSameFiles(found.filter((file) => file.endsWith(".eda")).sort());
  if (files.length === 0) {
    throw new CliError(`${config.file}: "model" matches no .eda files (${config.model.join(", ")})`);
  }
  return files;
}

/** `text` parsed as JSON; a CliError naming `name` and the line:col of the first mistake when it is not JSON. */
export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says "… in JSON at position 42"; a line and column are what an editor can go to.
    const at = /\s*(?:in JSON )?at position (\d+).*$/.exec(message);
    if (!at) throw new CliError(`${name}: invalid JSON: ${message}`);
    const offset = Number(at[1]);
    const before = text.slice(0, offset).split("\n");
    const where = `${before.length}:${(before.at(-1) ?? "").length + 1}`;
    throw new CliError(`${name}:${where}: invalid JSON: ${message.slice(0, at.index)}`);
  }
}

/** One problem of a config, in the words `eda` prints it with (after the file name). */
export function describeProblem(problem: ConfigProblem, config: unknown, keys: readonly string[], name: string): string {
  if (problem.unknownKeys) {
    return problem.unknownKeys
      .map((key) => {
        const near = closest(key, keys);
        const suggestion = near ? ` (did you mean "${near}"?)` : "";
        return `unknown key "${key}"${suggestion}; the keys are ${keys.join(", ")}`;
      })
      .join(`\n${name}: `);
  }
  let value = config;
  for (const step of problem.path) value = (value as Record<string | number, unknown> | undefined)?.[step];
  const got = problem.wrongType && value !== undefined ? ` (got ${typeName(value)})` : "";
  const [head, ...rest] = problem.path;
  if (head === undefined) return `${problem.message}${got}`;
  const key = `${String(head)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`;
  return `"${key}" ${problem.message}${got}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would print as null.
  if (typeof value === "number" && !Number.isFinite(value)) return "a number too large to hold";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** The key nearest to a misspelt one, if it is near enough to be the likely intent. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
