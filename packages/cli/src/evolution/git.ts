/**
 * Reading an earlier model out of git without touching the work tree: `git ls-tree` lists the
 * files at a revision and one `git cat-file --batch` process streams all their blobs (one
 * `git show` per file would cost a process each).
 */
import { spawn } from "node:child_process";
import { CliError } from "../errors.js";

/** Runs git with `args` in `cwd`, writing `input` to its stdin; resolves to its stdout. */
export function git(args: readonly string[], cwd: string, input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new CliError(`cannot run git: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(Buffer.concat(err).toString("utf8").trim() || `git ${args[0] ?? ""} exited with ${code}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** git ran and refused (an unknown revision, not a repository). */
export class GitError extends Error {}

/** The commit a revision names, or undefined when it names none (or `cwd` is not in a repository). */
export async function resolveCommit(ref: string, cwd: string): Promise<string | undefined> {
  if (ref.startsWith("-")) return undefined;
  try {
    return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], cwd)).toString("utf8").trim();
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/** The top folder of the work tree `cwd` is in. */
export async function topLevel(cwd: string): Promise<string> {
  return (await git(["rev-parse", "--show-toplevel"], cwd)).toString("utf8").trim();
}

/** The paths (relative to the top level) of the files below `folders` at `commit`. */
export async function listFiles(commit: string, folders: readonly string[], top: string): Promise<string[]> {
  const out = await git(["ls-tree", "-r", "-z", "--full-name", "--name-only", commit, "--", ...folders], top);
  return out.toString("utf8").split("\0").filter((p) => p !== "");
}

/** The contents of `paths` at `commit`, in order; a path missing there gives undefined. */
export async function readBlobs(commit: string, paths: readonly string[], top: string): Promise<(Buffer | undefined)[]> {
  if (paths.length === 0) return [];
  for (const p of paths) if (/[\n\r]/.test(p)) throw new CliError(`cannot read '${p}' from git: its name holds a line break`);
  const out = await git(["cat-file", "--batch"], top, paths.map((p) => `${commit}:${p}\n`).join(""));
  const blobs: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < paths.length; i++) {
    const eol = out.indexOf(10, at);
    if (eol < 0) throw new CliError("git cat-file ended early");
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    if (header.endsWith(" missing")) {
      blobs.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    if (!Number.isSafeInteger(size)) throw new CliError(`git cat-file: unexpected answer '${header}'`);
    blobs.push(out.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}
