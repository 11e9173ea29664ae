/**
 * Handler scaffolds on disk. A scaffold file is created once, whole; after that it is the
 * user's, and eda only adds the handlers the model gained (see insert-members.ts), reporting the
 * ones the model lost. Nothing else in the handlers folder is ever written.
 */
import type { ScaffoldFile } from "@eda/generator";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError, describeFsError } from "../errors.js";
import { isReadOnly, removeDeadTempFiles, writeFileAtomic } from "../io.js";
import { describeInvalidUtf8 } from "../sources.js";
import type { UnplacedMembers } from "./insert-members.js";
import { completeFileStale } from "./scan-members.js";
import { pauseForTest } from "./test-pause.js";

/** What applying (or, with `check`, checking) the scaffolds found and did. */
export interface ScaffoldReport {
  /** Files created (or, with `check`, missing); absolute paths. */
  readonly created: readonly string[];
  /** Files that gained (or would gain) handlers, with the qualified names added. */
  readonly extended: readonly { readonly file: string; readonly added: readonly string[] }[];
  /** Handlers in a file whose message left the model: left in place. */
  readonly stale: readonly { readonly file: string; readonly member: string }[];
  /** Handlers eda could not place, and why. */
  readonly unplaced: readonly { readonly file: string; readonly problem: UnplacedMembers }[];
  /** Temporary files of runs killed while writing a handler file, removed (not with `check`); absolute paths. */
  readonly leftovers: readonly string[];
}

/**
 * Creates the missing scaffold files under `handlersDir` and adds missing handlers to existing
 * ones; with `check`, only finds out what it would do. Throws a CliError on I/O problems.
 */
export async function applyScaffolds(
  files: readonly ScaffoldFile[],
  handlersDir: string,
  options: { readonly check: boolean; readonly show: (path: string) => string },
): Promise<ScaffoldReport> {
  const { show } = options;
  // A run killed while writing a handler file left its temporary file beside it.
  const leftovers: string[] = [];
  if (!options.check) {
    const dirs = new Set([handlersDir, ...files.map((file) => dirname(join(handlersDir, safeRelative(file.path))))]);
    for (const dir of dirs) leftovers.push(...(await removeDeadTempFiles(dir)));
  }
  const created: string[] = [];
  const existing: { file: ScaffoldFile; path: string; text: string }[] = [];
  const notText: { file: string; problem: UnplacedMembers }[] = [];
  for (const file of files) {
    const path = join(handlersDir, safeRelative(file.path));
    const text = await readIfExists(path, show);
    if (typeof text === "string") existing.push({ file, path, text });
    else if (text !== undefined) notText.push(...unreadable(file, path, text.notUtf8));
    else {
      if (!options.check) await createFile(path, file.content, show);
      created.push(path);
    }
  }
  const report: ScaffoldReport = { created, extended: [], stale: [], unplaced: notText, leftovers };
  const withMembers = existing.filter((e) => e.file.containers.some((c) => c.members.length > 0));
  if (withMembers.length === 0) return report;
  const extended: { file: string; added: readonly string[] }[] = [];
  const stale: { file: string; member: string }[] = [];
  const unplaced: { file: string; problem: UnplacedMembers }[] = [...notText];
  // A light scan settles the files that lack nothing; TypeScript loads only for the others.
  const unsettled = withMembers.filter(({ file, path, text }) => {
    const complete = completeFileStale(text, file.containers);
    if (complete === undefined) return true;
    stale.push(...complete.map((member) => ({ file: path, member })));
    return false;
  });
  if (unsettled.length === 0) return { created, extended, stale, unplaced, leftovers };
  const { insertMissingMembers } = await import("./insert-members.js");
  for (const { file, path, text: first } of unsettled) {
    let text: string | undefined = first;
    for (let attempt = 1; text !== undefined; attempt++) {
      const edit = insertMissingMembers(text, file.containers);
      if (edit.added.length > 0 && !options.check && (await isReadOnly(path))) {
        // Made read-only by its owner: a file not to touch (renaming over it would succeed).
        stale.push(...edit.stale.map((member) => ({ file: path, member })));
        unplaced.push(...edit.unplaced.map((problem) => ({ file: path, problem })));
        unplaced.push({ file: path, problem: { container: file.containers[0]?.variable ?? "", members: edit.added, reason: "the file is read-only" } });
        break;
      }
      if (edit.added.length > 0 && !options.check && !(await writeUnlessChanged(path, text, edit.text, show))) {
        if (attempt === EDIT_ATTEMPTS) {
          const problem = { container: file.containers[0]?.variable ?? "", members: edit.added, reason: "the file kept changing while eda edited it" };
          unplaced.push({ file: path, problem });
          break;
        }
        // The user saved the file since it was read (an editor, during a watch): start from theirs.
        // Deleted meanwhile, it is left to the next run to create.
        const now = await readIfExists(path, show);
        if (typeof now === "object") unplaced.push(...unreadable(file, path, now.notUtf8));
        text = typeof now === "string" ? now : undefined;
        continue;
      }
      stale.push(...edit.stale.map((member) => ({ file: path, member })));
      unplaced.push(...edit.unplaced.map((problem) => ({ file: path, problem })));
      if (edit.added.length > 0) extended.push({ file: path, added: edit.added });
      break;
    }
  }
  return { created, extended, stale, unplaced, leftovers };
}

/** Times a handler file is read again when it changed under eda's edit, before eda gives up on it. */
const EDIT_ATTEMPTS = 3;

/** Replaces the handler file's `before` by `after`; false when the file no longer holds `before`. */
async function writeUnlessChanged(path: string, before: string, after: string, show: (path: string) => string): Promise<boolean> {
  pauseForTest("handler-edit");
  try {
    return await writeFileAtomic(path, after, { ifStill: before });
  } catch (error) {
    throw new CliError(`cannot write '${show(path)}': ${describeFsError(error)}`);
  }
}

/** A scaffold's path must stay inside the handlers folder; the generator promises it, this makes sure. */
function safeRelative(path: string): string {
  const parts = path.split("/");
  if (path.startsWith("/") || parts.some((p) => p === ".." || p === "." || p === "")) {
    throw new Error(`the generator produced a scaffold path outside the handlers folder: ${path}`);
  }
  return join(...parts);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A handler file that is not UTF-8: why, for the user. Such a file is never rewritten (its bytes would be lost). */
interface NotUtf8 {
  readonly notUtf8: string;
}

async function readIfExists(path: string, show: (path: string) => string): Promise<string | NotUtf8 | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read '${show(path)}': ${describeFsError(error)}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return { notUtf8: `${describeInvalidUtf8(bytes)}, and eda edits only UTF-8 files; save it as UTF-8` };
  }
}

/** The problem of a handler file eda could not read as text: nothing in it is checked. */
function unreadable(file: ScaffoldFile, path: string, reason: string): { file: string; problem: UnplacedMembers }[] {
  return [...new Set(file.containers.map((c) => c.variable))].map((container) => ({ file: path, problem: { container, members: [], reason } }));
}

/**
 * Writes a new file whole or not at all, and never replaces one (a file created meanwhile is the
 * user's): the text goes to a temporary file that is then hard-linked to the name, which fails if
 * the name exists.
 */
async function createFile(path: string, content: string, show: (path: string) => string): Promise<void> {
  const temp = join(dirname(path), `.eda-tmp-${basename(path)}-${process.pid}`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, content, { encoding: "utf8", flag: "w" });
    pauseForTest("handler-create");
    await link(temp, path);
  } catch (error) {
    throw new CliError(`cannot create '${show(path)}': ${describeFsError(error)}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
