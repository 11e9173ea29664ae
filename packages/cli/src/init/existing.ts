/**
 * What a folder already holds of the project `eda init` would write there. An init stopped
 * part-way (killed, the disk full) leaves some of its files, each whole or empty: a rerun finds
 * them here and finishes the project, where it used to refuse the folder as not empty and, with
 * `--force`, every file it had written itself.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProjectFile } from "./project-file.js";

/** The project's files sorted by what the folder holds at their paths. */
export interface Existing {
  /** Not there: to write. */
  readonly missing: readonly ProjectFile[];
  /** There but empty, as an interrupted write leaves one: to write over (it holds nothing to lose). */
  readonly empty: readonly ProjectFile[];
  /** Already there with the very text init writes. */
  readonly same: readonly string[];
  /** Already there with other text, or not readable as a file: init never overwrites these. */
  readonly clashes: readonly string[];
  /** True when every file in the folder is one of the project's, whole or empty: what an interrupted init leaves. */
  readonly onlyOurs: boolean;
}

/** Reads what `target` holds at the paths of `files`; `entries` are its top-level names. */
export async function findExisting(target: string, files: readonly ProjectFile[], entries: readonly string[]): Promise<Existing> {
  const missing: ProjectFile[] = [];
  const empty: ProjectFile[] = [];
  const same: string[] = [];
  const clashes: string[] = [];
  for (const file of files) {
    const text = await readText(join(target, file.path));
    if (text === undefined) missing.push(file);
    else if (text === null) clashes.push(file.path);
    else if (text === "") empty.push(file);
    else if (text === file.text) same.push(file.path);
    else clashes.push(file.path);
  }
  const ours = new Set(files.map((f) => f.path));
  // Walks the folder only when its top-level names are all the project's (not a node_modules).
  const tops = new Set(files.map((f) => f.path.split("/")[0]));
  const onlyOurs = clashes.length === 0 && entries.every((name) => tops.has(name)) && (await filesUnder(target, entries)).every((path) => ours.has(path));
  return { missing, empty, same, clashes, onlyOurs };
}

/**
 * The file's text; undefined when nothing is there; null when something is that is not a plain
 * readable file: a clash, found before anything is written. A folder or an unreadable file taken
 * for missing would fail the write only after the files before it were written; a link to an
 * empty file would be filled wherever it points (an interrupted init leaves no links).
 */
async function readText(path: string): Promise<string | null | undefined> {
  try {
    if (!(await lstat(path)).isFile()) return null;
    return await readFile(path, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? undefined : null;
  }
}

/** Every file under `dir` (as `a/b.ts`), starting from its `entries`. */
async function filesUnder(dir: string, entries: readonly string[], prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const name of entries) {
    const path = join(dir, name);
    let inner: string[] | undefined;
    try {
      inner = await readdir(path);
    } catch {
      inner = undefined; // a file (or unreadable): counted by its name
    }
    if (inner === undefined) found.push(`${prefix}${name}`);
    else found.push(...(await filesUnder(path, inner, `${prefix}${name}/`)));
  }
  return found;
}
