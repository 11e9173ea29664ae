import type { SourceFile } from "@eda/language";
import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { configuredModelFiles, loadConfig, type EdaConfig } from "./config.js";
import { CliError, describeFsError } from "./errors.js";
import { NotRegularFileError, readRegularFile, withoutSameFiles } from "./io.js";

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
    const below = await walk(absolute, path, new Set());
    if (below.length === 0) throw new CliError(`no .eda files in '${path}'`);
    for (const file of below) found.add(file);
  }
  return withoutSameFiles([...found].sort((a, b) => compareNames(displayPath(a, cwd), displayPath(b, cwd))));
}

/**
 * Every `.eda` file below a folder, in name order. Links to folders are followed, but a folder
 * already in `visited` (real paths) is not walked again: a link to a parent would loop.
 */
async function walk(folder: string, shown: string, visited: Set<string>): Promise<string[]> {
  const real = await realpath(folder).catch(() => folder);
  if (visited.has(real)) return [];
  visited.add(real);
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
        files.push(...(await walk(path, join(shown, entry.name), visited)));
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
    bytes = await readRegularFile(absolutePath);
  } catch (error) {
    if (error instanceof NotRegularFileError) throw new CliError(`cannot read '${path}': ${error.message}; a model source must be a regular file`);
    throw new CliError(`cannot read '${path}': ${describeFsError(error)}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new CliError(`cannot read '${path}': ${describeInvalidUtf8(bytes)}; save it as UTF-8`);
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { source: { path, text: bom ? text.slice(1) : text }, absolutePath, bom };
}

/** Where text that failed to decode stops being UTF-8: `line 3 is not valid UTF-8 (byte 0xFF)`. */
export function describeInvalidUtf8(bytes: Uint8Array): string {
  const at = firstInvalidUtf8(bytes);
  if (at < 0) return "not valid UTF-8";
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return `line ${line} is not valid UTF-8 (byte 0x${byte})`;
}

/** The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence; -1 if none. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // The ranges of the second byte are Unicode's table 3-7: no overlong forms, surrogates or values past U+10FFFF.
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
      : lead === 0xe0 ? [3, 0xa0, 0xbf]
      : lead === 0xed ? [3, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
      : lead === 0xf0 ? [4, 0x90, 0xbf]
      : lead === 0xf4 ? [4, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
      : [0, 0, 0];
    if (length === 0) return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
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
