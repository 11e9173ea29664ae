/**
 * Watching a git revision for `eda lsp`: the evolution baseline read from a revision (`HEAD`,
 * `origin/main`, a tag) must be read again when the revision comes to name another commit — a
 * commit, a checkout, a reset, a fetch. Git moves refs by renaming a lock file over the ref, so
 * the folders that hold refs are watched: the repository's own folder (`HEAD`, `packed-refs`;
 * in a linked worktree both its folder and the common one) and `refs/` (or `reftable/`) below.
 * An event there only prompts `git rev-parse` of the revision (one process per burst of events);
 * the baseline is reloaded only when the commit differs. Where the folders cannot be watched, the
 * revision is resolved every few seconds instead.
 */
import { watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { git, resolveCommit } from "./git.js";

/** Quiet time after a ref event before the revision is resolved (git writes a few files per command). */
const SETTLE_MS = 50;
/** How often the revision is resolved where nothing can be watched. */
const POLL_MS = 3000;
/** Names in the repository's folders whose change may move a revision (refs are below `refs/` or in `reftable/`). */
const REF_FILES = new Set(["HEAD", "packed-refs", "refs", "reftable"]);

/**
 * Calls `moved` once when `ref`, resolved in `cwd`, no longer names `commit` (it names another,
 * or none). Returns the function that stops watching.
 */
export function watchRevision(ref: string, commit: string, cwd: string, moved: () => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const watchers: FSWatcher[] = [];
  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    for (const w of watchers.splice(0)) w.close();
  };
  const verify = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const now = await resolveCommit(ref, cwd).catch(() => commit);
      if (!stopped && now !== commit) {
        stop();
        moved();
      }
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        void verify();
      }
    }
  };
  const soon = (): void => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void verify(), SETTLE_MS);
    timer.unref();
  };
  const poll = (): void => {
    if (stopped) return;
    for (const w of watchers.splice(0)) w.close();
    const tick = (): void => {
      if (stopped) return;
      void verify().finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, POLL_MS);
        timer.unref();
      });
    };
    tick();
  };
  void (async () => {
    const dirs = await gitDirs(cwd);
    if (stopped) return;
    if (dirs === undefined) return poll();
    try {
      for (const dir of new Set([dirs.gitDir, dirs.commonDir])) {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || REF_FILES.has(String(name))) soon();
        });
        watchers.push(w.on("error", poll));
      }
      for (const sub of ["refs", "reftable"]) {
        try {
          watchers.push(watch(join(dirs.commonDir, sub), { persistent: false, recursive: true }, soon).on("error", poll));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
      }
    } catch {
      return poll();
    }
    // The revision may have moved between its reading and the start of the watch.
    void verify();
  })();
  return stop;
}

/** The repository's folder and its common folder (the same but in a linked worktree), absolute. */
async function gitDirs(cwd: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  try {
    const [gitDir, commonDir] = (await git(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"], cwd)).toString("utf8").trim().split("\n");
    return gitDir && commonDir ? { gitDir, commonDir } : undefined;
  } catch {
    return undefined;
  }
}
