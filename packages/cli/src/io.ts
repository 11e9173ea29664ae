import { chmod, open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces a file's content atomically: the text goes to a temporary file in the same folder
 * (so the rename stays on one file system), is flushed, takes the original's mode, and is renamed
 * over the original. Readers see the old file or the new one, never a half-written one. A symbolic
 * link is followed, so the link stays a link. Resolves to false, writing nothing, when `ifStill` is
 * given and the file no longer holds it.
 */
export async function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const target = await realpath(path);
  const { mode } = await stat(target);
  // `.eda-tmp-*` is git-ignored, in case a crash leaves one behind. The name needs no strong
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
