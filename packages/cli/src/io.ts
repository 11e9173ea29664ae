import { constants, type Stats } from "node:fs";
import { chmod, chown, lstat, open, readdir, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces a file's content atomically: the text goes to a temporary file in the same folder
 * (so the rename stays on one file system), is flushed, takes the original's mode (and owner, where
 * the writer may give it: as root), and is renamed over the original. Readers see the old file or
 * the new one, never a half-written one. A symbolic link is followed, so the link stays a link.
 * Resolves to false, writing nothing, when `ifStill` is given and the file no longer holds it.
 */
export async function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const target = await realpath(path);
  const { mode, uid, gid } = await stat(target);
  // `.eda-tmp-*` is git-ignored, in case a crash leaves one behind (the folder's next writer
  // removes it: `removeDeadTempFiles`). The name needs no strong
  // randomness (node:crypto costs start-up time): open() with "wx" refuses an existing file.
  const temp = join(dirname(target), `.eda-tmp-${basename(target)}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    const handle = await open(temp, "wx", mode & 0o7777);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A new file is the writer's: `sudo eda fmt` would hand the user's files to root. Only root
    // may give a file away (EPERM otherwise, and then it stays the writer's, as any editor's save
    // by rename leaves it). Before chmod, which chown may undo (set-user-ID bits).
    const own = await stat(temp);
    if (own.uid !== uid || own.gid !== gid) await chown(temp, uid, gid).catch(ignoreCode("EPERM"));
    // The umask may have narrowed the mode given to open().
    await chmod(temp, mode & 0o7777);
    // Checked as late as can be: a save in an editor since `ifStill` was read must not be lost.
    if (options.ifStill !== undefined && (await readFile(target, "utf8")) !== options.ifStill) {
      await unlink(temp);
      return false;
    }
    await rename(temp, target);
    return true;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * True when no one may write the file (its mode has no write bit): its owner made it read-only,
 * and {@link writeFileAtomic}'s rename over it would succeed all the same, so callers ask first.
 */
export async function isReadOnly(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats !== undefined && (stats.mode & 0o222) === 0;
}

/** A catch handler that swallows one error code and rethrows the rest. */
function ignoreCode(code: string): (error: unknown) => void {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code !== code) throw error;
  };
}

/** The prefix of eda's temporary files (git-ignored): `.eda-tmp-<name>-<pid>`, or `…-<pid>-<tag>` from {@link writeFileAtomic}. */
const TEMP_PREFIX = ".eda-tmp-";

/**
 * Removes from folder `dir` the temporary files of eda processes that are gone (killed while
 * writing: `.eda-tmp-<name>-<pid>`, `.eda-tmp-<name>-<pid>-<tag>`). A live process's file is in
 * use and stays, and so does one whose name could be read as naming a live process (a name ending
 * in two runs of digits is read both ways). Resolves to the paths removed; an unreadable folder
 * has none.
 */
export async function removeDeadTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.sort()) {
    const pids = tempFilePids(name);
    if (pids.length === 0 || pids.some((pid) => pid === process.pid || isAlive(pid))) continue;
    const path = join(dir, name);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isFile()) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}

/** The process ids a temporary file's name may carry (none: not an eda temporary file). */
function tempFilePids(name: string): number[] {
  if (!name.startsWith(TEMP_PREFIX)) return [];
  const parts = name.slice(TEMP_PREFIX.length).split("-");
  const pids: number[] = [];
  const pidAt = (i: number) => (/^\d{1,10}$/.test(parts[i] ?? "") ? Number(parts[i]) : 0);
  // `<name>-<pid>`; `<name>-<pid>-<tag>` (the tag is base 36, maybe digits only).
  if (parts.length >= 2 && pidAt(parts.length - 1) > 0) pids.push(pidAt(parts.length - 1));
  if (parts.length >= 3 && pidAt(parts.length - 2) > 0 && /^[a-z0-9]*$/.test(parts[parts.length - 1] ?? "")) pids.push(pidAt(parts.length - 2));
  return pids;
}

/** True while process `pid` exists (EPERM: it does, as another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A path that names something other than a regular file (a named pipe, a socket, a device), refused unread. */
export class NotRegularFileError extends Error {
  override readonly name = "NotRegularFileError";
}

/**
 * A regular file's bytes. Anything else is refused, unread, with a {@link NotRegularFileError}
 * saying what it is: reading a named pipe waits for a writer, forever if there is none, and a
 * device may never end. The file is opened without blocking (a pipe's open would wait too) and
 * checked through the open handle, so a file swapped for a pipe after a check cannot block the read.
 */
export async function readRegularFile(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    // A socket cannot be opened at all (ENXIO): say what it is rather than why open() failed.
    const stats = (error as NodeJS.ErrnoException).code === "ENXIO" ? await stat(path).catch(() => undefined) : undefined;
    if (stats && !stats.isFile()) throw new NotRegularFileError(notRegular(stats));
    throw error;
  }
  try {
    const stats = await handle.stat();
    // A folder fails to read as it always did (EISDIR).
    if (!stats.isFile() && !stats.isDirectory()) throw new NotRegularFileError(notRegular(stats));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function notRegular(stats: Stats): string {
  const what =
    stats.isFIFO() ? "a named pipe (FIFO)"
    : stats.isSocket() ? "a socket"
    : stats.isCharacterDevice() ? "a character device"
    : stats.isBlockDevice() ? "a block device"
    : "a special file";
  return `it is ${what}, not a regular file`;
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Write only if the file still holds this text (what the new text was made from). */
  readonly ifStill?: string;
}

/**
 * `paths` without the ones that name a file met earlier in the list through another path (a
 * symbolic link, a folder linked into another): the same model file read twice would declare
 * everything in it twice. A path that cannot be resolved is kept, for reading it to report why.
 */
export async function withoutSameFiles(paths: readonly string[]): Promise<string[]> {
  const real = await Promise.all(paths.map((path) => realpath(path).catch(() => path)));
  const seen = new Set<string>();
  return paths.filter((_, i) => {
    const key = real[i] as string;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
