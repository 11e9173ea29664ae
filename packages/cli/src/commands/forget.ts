/**
 * `eda forget <subject> [--store URL] [--config FILE]`: crypto-shredding by the operator. Deletes
 * every data key of the subject from the store's key table, so each `@pii(subject)` field
 * encrypted for them reads as forgotten from now on — in aggregates, projections (after a
 * rebuild), workflows, replays and `eda store verify`. The events themselves stay (the history is
 * immutable). Then purges the copies of deleted keys the database's files still hold
 * (`KeyStore.purge`). The store is `--store`, else `EDA_STORE`, else the config's `store`, as for
 * `eda store verify`; the runtime is the project's own. Exit 0 (also when the subject had no
 * key: nothing of theirs was encrypted, or they were forgotten before); 1, with a warning, when
 * another process held the purge back (run it again); 2 on usage or I/O errors, and when the
 * store holds no event at all: a URL naming the wrong database (one that exists, with no events)
 * must not read as "nothing of theirs is encrypted".
 */
import { loadConfig } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { pauseForTest } from "../generate/test-pause.js";
import { loadProjectRuntime, type PurgeReport } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { open, storeUrl } from "./store-verify.js";

export interface ForgetOptions {
  readonly store?: string;
  readonly config?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runForget(subject: string, options: ForgetOptions, term: Terminal): Promise<number> {
  // Only the empty id is no id: an id of spaces is one the runtime encrypts for, and can forget.
  if (subject === "") throw new CliError("name the data subject to forget: eda forget <subject id>");
  const config = await loadConfig(term.cwd, { ...(options.config !== undefined ? { file: options.config } : {}), optional: true });
  const url = storeUrl(options, config?.store);
  const runtime = await loadProjectRuntime(term.cwd, term.cwd);
  if (runtime.sqlKeyStore === undefined) throw new CliError("the project's @eda/runtime has no key store: update it to a version with crypto-shredding");
  const store = await open(runtime, url);
  try {
    if (runtime.parseStoreUrl(url).engine === "memory") throw new CliError("the memory store keeps its events and keys in one process only: there is nothing for eda forget to delete");
    let deleted: number;
    let purge: PurgeReport | undefined;
    try {
      const keys = runtime.sqlKeyStore(store, {});
      deleted = await keys.forget(subject);
      pauseForTest("forget-purge");
      // Also when nothing was deleted now: a run whose purge was held back is finished by the next.
      purge = await keys.purge?.();
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    if (deleted === 0 && (await headOf(store)) === 0) {
      throw new CliError(
        `the store holds no events, so nothing of subject ${JSON.stringify(subject)} can be encrypted there: is it the right store? ` +
          `Check --store, EDA_STORE or the config's "store" (nothing was deleted)`,
      );
    }
    term.out(
      deleted === 0
        ? `no key of subject ${JSON.stringify(subject)}: nothing of theirs is encrypted (or they were forgotten before)\n`
        : `forgot subject ${JSON.stringify(subject)}: ${deleted} key${deleted === 1 ? "" : "s"} deleted; their personal data now reads as forgotten\n`,
    );
    return reportPurge(purge, `eda forget ${JSON.stringify(subject)}`, term);
  } finally {
    await store.close();
  }
}

/**
 * What a purge of deleted keys did (`KeyStore.purge`; undefined: a runtime without it): complete,
 * a line on stdout and exit 0; held back, a warning on stderr and exit 1 — the keys are deleted,
 * but a copy may remain in the database's files until `again` runs.
 */
export function reportPurge(purge: PurgeReport | undefined, again: string, term: Terminal): number {
  if (purge === undefined) return EXIT.ok;
  if (purge.complete) {
    term.out(`purged: ${purge.detail}\n`);
    return EXIT.ok;
  }
  term.err(`warning: not purged yet: ${purge.detail}; run ${again} again\n`);
  return EXIT.problems;
}

/** The store's head position (0: no events), when the project's runtime says it (`eda keys` asks too). */
export async function headOf(store: object): Promise<number | undefined> {
  const head = (store as { headPosition?: () => Promise<number> }).headPosition;
  return typeof head === "function" ? head.call(store) : undefined;
}
