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
    child.on("error", (error) =>
      reject(new CliError((error as NodeJS.ErrnoException).code === "ENOENT" ? "cannot run git: it is not installed or not on PATH (a folder or a registry manifest as --against needs no git)" : `cannot run git: ${error.message}`)),
    );
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

/**
 * Why `ref` names no commit here, as a one-line reason with what to do: `cwd` is not in a
 * repository (or one git refuses to read), the clone is shallow and lacks the ref (CI checkouts
 * are, by default), or git knows no such revision.
 */
export async function explainMissingRevision(ref: string, cwd: string): Promise<string> {
  const head = `--against '${ref}': not a folder, a file or a git revision here`;
  let shallow: string;
  try {
    shallow = (await git(["rev-parse", "--is-shallow-repository"], cwd)).toString("utf8").trim();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const reason = error.message.split("\n")[0]?.replace(/^fatal: /, "") ?? "";
    return /not a git repository/i.test(reason) ? `${head}, and this folder is not in a git repository` : `${head}; git: ${reason}`;
  }
  if (ref.startsWith("-")) return head;
  if (shallow === "true") return `${head}: this clone is shallow and lacks it; ${fetchAdvice(ref, await remotes(cwd))}, or clone with the history (actions/checkout: \`fetch-depth: 0\`)`;
  const remote = remoteBranch(ref, await remotes(cwd));
  return remote ? `${head}; fetch it first: \`git fetch ${remote.remote} +refs/heads/${remote.branch}:refs/remotes/${remote.remote}/${remote.branch}\`` : head;
}

/** How to bring `ref` into a shallow clone. */
function fetchAdvice(ref: string, names: readonly string[]): string {
  if (/[~^]/.test(ref)) return "deepen it: `git fetch --deepen=<commits>` (or `git fetch --unshallow`)";
  if (/^[0-9a-f]{7,40}$/i.test(ref)) return `fetch it: \`git fetch --depth=1 origin ${ref}\``;
  const remote = remoteBranch(ref, names);
  if (remote) return `fetch it: \`git fetch --depth=1 ${remote.remote} +refs/heads/${remote.branch}:refs/remotes/${remote.remote}/${remote.branch}\``;
  return `fetch it: a tag with \`git fetch --depth=1 origin tag ${ref}\`, a branch with \`git fetch --depth=1 origin +refs/heads/${ref}:refs/remotes/origin/${ref}\` and --against origin/${ref}`;
}

/** `origin/main` split into the remote and its branch, when `origin` is a remote of the repository. */
function remoteBranch(ref: string, names: readonly string[]): { remote: string; branch: string } | undefined {
  const name = ref.replace(/^refs\/remotes\//, "");
  const remote = names.find((r) => name.startsWith(`${r}/`) && name.length > r.length + 1);
  return remote ? { remote, branch: name.slice(remote.length + 1) } : undefined;
}

async function remotes(cwd: string): Promise<string[]> {
  const out = await git(["remote"], cwd).catch(() => Buffer.alloc(0));
  return out.toString("utf8").split("\n").filter((r) => r !== "");
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
