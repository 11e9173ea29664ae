import type { SourceFile } from "@eda/language";
import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { configuredModelFiles, loadConfig, type EdaConfig } from "./config.js";
import { CliError, describeFsError } from "./errors.js";

/** A model file read from disk: its source as the compiler sees it, and where it lives. */
export interface InputFile {
  /** `path` is the name shown to the user: relative to the working folder, with `/` separators. */
  readonly source: SourceFile;
  readonly absolutePath: string;
  /** The file began with a UTF-8 byte order mark (not part of `source.text`; kept when rewriting). */
  readonly bom: boolean;
}

/**
 * The model files a command works on, read and sorted by name. `paths` are files or folders
 * (a folder means every `.eda` file below it, skipping `node_modules` and hidden folders); with
 * none, the `model` globs of `config` (by default `eda.config.json` in `cwd`). Throws a
 * {@link CliError} when a path is missing or unreadable, a folder holds no `.eda` file, or the
 * config is missing or invalid.
 */
export async function readInputs(paths: readonly string[], cwd: string, config?: EdaConfig): Promise<InputFile[]> {
  const files =
    paths.length > 0 ? await collectFiles(paths, cwd) : await configuredModelFiles(config ?? (await loadConfig(cwd)));
  // A bounded number of reads at a time: a model of thousands of files must not run out of descriptors.
  const inputs: InputFile[] = new Array<InputFile>(files.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) inputs[i] = await readInput(files[i] as string, cwd);
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, reader));
  return inputs;
}

const READ_CONCURRENCY = 32;

/** Expands files and folders into the sorted, de-duplicated absolute paths of model files. */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(absolute)).isDirectory();
    } catch (error) {
      throw new CliError(`cannot read '${path}': ${describeFsError(error)}`);
    }
    if (!isDirectory) {
      found.add(absolute);
      continue;
    }
    const below = await walk(absolute, path);
    if (below.length === 0) throw new CliError(`no .eda files in '${path}'`);
    for (const file of below) found.add(file);
  }
  return [...found].sort((a, b) => compareNames(displayPath(a, cwd), displayPath(b, cwd)));
}

/** Every `.eda` file below a folder, in name order. */
async function walk(folder: string, shown: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new CliError(`cannot read '${shown}': ${describeFsError(error)}`);
  }
  entries.sort((a, b) => compareNames(a.name, b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await isFolder(path)));
    if (isDirectory) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) {
        files.push(...(await walk(path, join(shown, entry.name))));
      }
    } else if (entry.name.endsWith(".eda")) {
      // A dangling link stays in the list, so that reading it reports the problem.
      files.push(path);
    }
  }
  return files;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

async function readInput(absolutePath: string, cwd: string): Promise<InputFile> {
  const path = displayPath(absolutePath, cwd);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolutePath);
  } catch (error) {
    throw new CliError(`cannot read '${path}': ${describeFsError(error)}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new CliError(`cannot read '${path}': not valid UTF-8`);
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { source: { path, text: bom ? text.slice(1) : text }, absolutePath, bom };
}

/** The name a file is shown under: relative to `cwd` when below it, with `/` separators. */
export function displayPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  const shown = rel === "" || isAbsolute(rel) ? absolutePath : rel;
  return sep === "/" ? shown : shown.split(sep).join("/");
}

/** Code-unit order, the same on every machine and locale (it is the order diagnostics appear in). */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
