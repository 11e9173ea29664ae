/**
 * The output folder, replaced as a whole. A run writes the new set into a hidden sibling folder,
 * then swaps it in with two renames and removes the old one:
 *
 *   .out.eda-tmp-PID   written (unchanged files hard-linked from the old set; the folder takes out's mode)
 *   out → .out.eda-old-PID, .out.eda-tmp-PID → out, .out.eda-old-PID → .out.eda-trash-PID, rm
 *
 * A kill at any instant leaves either the old set or the new one in `out`, except between the two
 * renames, where `out` is missing and the old set waits whole in `.out.eda-old-PID`. The next run
 * (holding `.out.eda-lock`, so no other run is writing) recovers: it puts a lone old set back and
 * removes every leftover temp, old and trash folder. A trash folder is never restored, so its
 * half-deleted state does not matter.
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync, type Stats } from "node:fs";
import { link, lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { CliError, describeFsError } from "../errors.js";
import { isAlive } from "../io.js";
import { isGenerated } from "./ownership.js";
import { pauseForTest } from "./test-pause.js";

/** One file of the output set; `path` is relative to the output folder, with `/` separators. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** The output folder as found on disk. */
export interface CurrentOutput {
  readonly exists: boolean;
  /** Generated files (they carry the header): relative path → text. */
  readonly files: ReadonlyMap<string, string>;
  /** Relative paths of entries that are not eda's: files without the header, links, sockets. */
  readonly foreign: readonly string[];
  /** Files left unread once enough foreign ones were found to refuse the folder. */
  readonly unchecked: number;
}

/** Foreign files named in a refusal: enough to recognise the folder, not a listing of a whole tree. */
const FOREIGN_SHOWN = 10;

/** How a new output set differs from the current one. Each list is sorted. */
export interface OutputDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** Reads the output folder `dir` (absolute); a missing folder is an empty, non-existent output. */
export async function readOutput(dir: string, show: (path: string) => string): Promise<CurrentOutput> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { exists: false, files: new Map(), foreign: [], unchecked: 0 };
    if (code === "ENOTDIR") throw new CliError(`the output folder '${show(dir)}' is a file`);
    throw new CliError(`cannot read '${show(dir)}': ${describeFsError(error)}`);
  }
  const foreign: string[] = [];
  const candidates: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = relativePosix(dir, join(entry.parentPath, entry.name));
    (entry.isFile() ? candidates : foreign).push(path);
  }
  const files = new Map<string, string>();
  // Synchronous reads: for thousands of small files they are several times faster than
  // promises through libuv's thread pool, and nothing else has to run meanwhile.
  let read = 0;
  for (const path of candidates) {
    // A mistyped `out` can name a big tree of the user's: refused anyway, it need not be read whole.
    if (foreign.length >= FOREIGN_SHOWN) break;
    read++;
    let text: string;
    try {
      text = readFileSync(join(dir, path), "utf8");
    } catch (error) {
      throw new CliError(`cannot read '${show(join(dir, path))}': ${describeFsError(error)}`);
    }
    if (isGenerated(path, text)) files.set(path, text);
    else foreign.push(path);
  }
  return { exists: true, files, foreign: foreign.sort(compare), unchecked: candidates.length - read };
}

/** Compares the new set with the current output. */
export function diffOutput(current: CurrentOutput, files: readonly OutputFile[]): OutputDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const wanted = new Set<string>();
  for (const file of files) {
    wanted.add(file.path);
    const old = current.files.get(file.path);
    (old === undefined ? added : old === file.content ? unchanged : changed).push(file.path);
  }
  const removed = [...current.files.keys()].filter((path) => !wanted.has(path));
  return { added: added.sort(compare), changed: changed.sort(compare), removed: removed.sort(compare), unchanged: unchanged.sort(compare) };
}

/** True when writing `diff` would change nothing. */
export function isUpToDate(current: CurrentOutput, diff: OutputDiff): boolean {
  return current.exists && diff.added.length + diff.changed.length + diff.removed.length === 0;
}

/**
 * Throws a CliError naming each file of the output folder that is not eda's: replacing the folder
 * would overwrite it (when the new set has that path) or delete it.
 */
export function refuseForeignFiles(dir: string, current: CurrentOutput, files: readonly OutputFile[], show: (path: string) => string): void {
  if (current.foreign.length === 0) return;
  const wanted = new Set(files.map((f) => f.path));
  const lines = current.foreign.slice(0, FOREIGN_SHOWN).map((path) => {
    const verb = wanted.has(path) ? "overwrite" : "delete";
    return `refusing to ${verb} '${show(join(dir, path))}': it does not carry the "Generated by eda" header, so it may be yours`;
  });
  const more = current.foreign.length - FOREIGN_SHOWN + current.unchecked;
  if (more > 0) lines.push(`… and ${more} more file${more === 1 ? "" : "s"} in it, not listed`);
  lines.push(`the output folder '${show(dir)}' belongs to eda generate: move your files out of it (or delete them) and run again`);
  throw new CliError(lines.join("\n"));
}

/**
 * Replaces the output folder `dir` by `files`. Unchanged files are hard-linked from the old set
 * (they keep their timestamps), the rest written. Call it while holding the lock.
 */
export async function replaceOutput(dir: string, files: readonly OutputFile[], diff: OutputDiff, show: (path: string) => string): Promise<void> {
  const names = siblings(dir);
  const reused = new Set(diff.unchanged);
  const folders = [...new Set(files.map((file) => dirname(join(names.temp, file.path))))].sort();
  try {
    for (const folder of [names.temp, ...folders]) mkdirSync(folder, { recursive: true });
    // The folder itself is the user's to set up (a group's setgid bit, 0700): the new one keeps its mode.
    const mode = statIfExists(dir)?.mode;
    if (mode !== undefined) chmodSync(names.temp, mode & 0o7777);
    // Synchronous, as the reads: creating files is the cost, and the thread pool only adds to it.
    const half = Math.ceil(files.length / 2);
    files.forEach((file, i) => {
      const target = join(names.temp, file.path);
      if (!(reused.has(file.path) && tryLink(join(dir, file.path), target))) writeFileSync(target, file.content);
      if (i + 1 === half) pauseForTest("writing");
    });
  } catch (error) {
    await rm(names.temp, { recursive: true, force: true }).catch(() => undefined);
    throw new CliError(`cannot write the output folder '${show(dir)}': ${describeFsError(error)}`);
  }
  pauseForTest("written");
  await swapIn(dir, names, show);
}

async function swapIn(dir: string, names: Siblings, show: (path: string) => string): Promise<void> {
  let hadOld = true;
  try {
    await rename(dir, names.old);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") {
      await rm(names.temp, { recursive: true, force: true }).catch(() => undefined);
      // A mount point (a container's volume) cannot be renamed; neither, on Windows, can a folder with files open in it.
      const why =
        code === "EBUSY"
          ? "; eda replaces the output folder whole, by renaming it, which a mount point (or a folder with files open in it) refuses: mount the folder above it, or set the output folder inside it"
          : "";
      throw new CliError(`cannot replace the output folder '${show(dir)}': ${describeFsError(error)}${why}`);
    }
    hadOld = false;
  }
  if (hadOld) pauseForTest("old-moved");
  try {
    await rename(names.temp, dir);
  } catch (error) {
    if (hadOld) await rename(names.old, dir).catch(() => undefined);
    await rm(names.temp, { recursive: true, force: true }).catch(() => undefined);
    throw new CliError(`cannot replace the output folder '${show(dir)}': ${describeFsError(error)}`);
  }
  if (!hadOld) return;
  pauseForTest("swapped");
  // Renamed first: a half-deleted trash folder is never mistaken for a backup worth restoring.
  await rename(names.old, names.trash);
  pauseForTest("trashing");
  await rm(names.trash, { recursive: true, force: true });
}

function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    // Not every file system has hard links; writing the text again is always possible.
    return false;
  }
}

interface Siblings {
  readonly temp: string;
  readonly old: string;
  readonly trash: string;
  readonly lock: string;
}

function siblings(dir: string, pid: number = process.pid): Siblings {
  const at = (kind: string) => join(dirname(dir), `.${basename(dir)}.eda-${kind}-${pid}`);
  return { temp: at("tmp"), old: at("old"), trash: at("trash"), lock: join(dirname(dir), `.${basename(dir)}.eda-lock`) };
}

/** Leftovers of interrupted runs next to `dir`: their kind and path. */
async function leftovers(dir: string): Promise<{ kind: "tmp" | "old" | "trash"; path: string }[]> {
  const prefix = `.${basename(dir)}.eda-`;
  let names: string[];
  try {
    names = await readdir(dirname(dir));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (!name.startsWith(prefix)) return [];
    const match = /^(tmp|old|trash)-\d+$/.exec(name.slice(prefix.length));
    return match ? [{ kind: match[1] as "tmp" | "old" | "trash", path: join(dirname(dir), name) }] : [];
  });
}

/** The backup of an interrupted swap (the old set, whole) when the output folder itself is missing. */
export async function interruptedBackup(dir: string): Promise<string | undefined> {
  if (await exists(dir)) return undefined;
  const olds = (await leftovers(dir)).filter((l) => l.kind === "old");
  return olds.length > 0 ? newest(olds.map((l) => l.path)) : undefined;
}

/**
 * Repairs what interrupted runs left: a missing output folder whose old set survives is put back;
 * leftover temp, old and trash folders are removed. Returns what it did, for the user. Call it
 * while holding the lock.
 */
export async function recoverOutput(dir: string, show: (path: string) => string): Promise<string[]> {
  const notes: string[] = [];
  const backup = await interruptedBackup(dir);
  if (backup !== undefined) {
    await rename(backup, dir);
    notes.push(`restored '${show(dir)}' from an interrupted run`);
  }
  const rest = await leftovers(dir);
  for (const leftover of rest) await rm(leftover.path, { recursive: true, force: true });
  if (rest.length > 0) notes.push(`removed ${rest.length} leftover folder${rest.length === 1 ? "" : "s"} of an interrupted run next to '${show(dir)}'`);
  await removeDeadLockFiles(dir);
  return notes;
}

/** Removes `<lock>-PID.new` and `<lock>-PID` (see `acquire`) of runs that died taking the lock; a live PID's may be in use. */
async function removeDeadLockFiles(dir: string): Promise<void> {
  const prefix = `${basename(siblings(dir).lock)}-`;
  let names: string[];
  try {
    names = await readdir(dirname(dir));
  } catch {
    return;
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)(\.new)?$/.exec(name.slice(prefix.length)) : null;
    const pid = match ? Number(match[1]) : undefined;
    if (pid !== undefined && pid !== process.pid && !isAlive(pid)) await unlink(join(dirname(dir), name)).catch(() => undefined);
  }
}

/**
 * Runs `task` holding the lock of output folder `dir` (`.out.eda-lock` beside it, holding the
 * owner's pid). A lock whose owner is dead (killed mid-run) is taken over.
 */
export async function withOutputLock<T>(dir: string, show: (path: string) => string, task: () => Promise<T>): Promise<T> {
  const { lock } = siblings(dir);
  await mkdir(dirname(dir), { recursive: true }).catch((error: unknown) => {
    throw new CliError(`cannot create '${show(dirname(dir))}': ${describeFsError(error)}`);
  });
  await acquire(lock, show(dir));
  try {
    return await task();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

async function acquire(lock: string, shown: string): Promise<void> {
  const busy = (owner: number) =>
    new CliError(`another eda generate (process ${owner}) is writing '${shown}'; wait for it to finish (if no eda is running, remove '${basename(lock)}' beside it)`);
  for (let attempt = 0; ; attempt++) {
    try {
      await createLock(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) {
        throw new CliError(`cannot lock the output folder '${shown}': ${describeFsError(error)}`);
      }
    }
    const owner = await lockOwner(lock);
    if (owner !== undefined && isAlive(owner)) throw busy(owner);
    pauseForTest("lock-stale");
    // Taken aside, not deleted: another run may have taken the dead lock over since it was read,
    // and the lock moved is then that run's, to be put back.
    const aside = `${lock}-${process.pid}`;
    try {
      await rename(lock, aside);
    } catch {
      continue;
    }
    const moved = await lockOwner(aside);
    if (moved !== owner && moved !== undefined && isAlive(moved)) {
      await link(aside, lock).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
      throw busy(moved);
    }
    await unlink(aside).catch(() => undefined);
  }
}

/** Creates the lock holding this process's id, whole or not at all (a run never sees it empty). */
async function createLock(lock: string): Promise<void> {
  const temp = `${lock}-${process.pid}.new`;
  await writeFile(temp, String(process.pid));
  try {
    await link(temp, lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
    // A file system without hard links: created empty, then filled (a short window, as before).
    await writeFile(lock, String(process.pid), { flag: "wx" });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The live-or-dead process named in a lock file; undefined when unreadable or not ours to check (this process). */
async function lockOwner(path: string): Promise<number | undefined> {
  const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid ? owner : undefined;
}

/** The output folder's real path (a symbolic link to a folder is followed), or `dir` when it does not exist. */
export async function resolveOutputDir(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    return dir;
  }
}

/**
 * Like {@link resolveOutputDir}, for a folder eda writes (`what`: "output", "handlers"): a symbolic
 * link that leads nowhere is refused, not replaced by a folder (the link is the user's, and so
 * is the place it names).
 */
export async function resolveWrittenDir(dir: string, what: string, show: (path: string) => string): Promise<string> {
  const real = await resolveOutputDir(dir);
  if (real !== dir) return real;
  const link = await lstat(dir).catch(() => undefined);
  if (!link?.isSymbolicLink()) return dir;
  const target = await readlink(dir).catch(() => "?");
  throw new CliError(`the ${what} folder '${show(dir)}' is a symbolic link to '${target}', which leads to no folder; create the folder it names, or remove the link`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function newest(paths: readonly string[]): Promise<string | undefined> {
  let best: { path: string; time: number } | undefined;
  for (const path of paths) {
    const time = (await stat(path)).mtimeMs;
    if (!best || time > best.time) best = { path, time };
  }
  return best?.path;
}

function relativePosix(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
