/**
 * Deleting a data key must make it unrecoverable, not merely unlisted: a database keeps a deleted
 * row's bytes on disk until something overwrites them — SQLite in the page the row was on and in
 * the write-ahead log, PostgreSQL in the dead row version until `VACUUM` removes it — and anyone
 * who copies the files could read a forgotten subject's key there, and with it their data.
 *
 * - `withSecureDelete` runs a deletion (a forget, a master-key rewrap's updates) with SQLite's
 *   `secure_delete` on, so the deleted cells and any page they free are overwritten with zeros.
 * - `purgeDeletedKeys` afterwards removes the older copies: on SQLite a checkpoint that copies the
 *   log into the database and truncates it (`wal_checkpoint(TRUNCATE)`); on PostgreSQL
 *   `VACUUM eda_subject_keys`, which removes dead row versions no open transaction can still see
 *   (leaving their bytes in the pages' free space), then `VACUUM FULL`, which writes the table
 *   anew without them.
 *
 * What stays beyond the engine's files — backups, PostgreSQL's WAL archives and replicas, blocks a
 * file system or SSD has not reused — is the operator's to expire (SECURITY.md).
 */
import type { EventStore, SqlExecutor } from "../store/event-store.js";

/** What `purgeDeletedKeys` did. */
export interface PurgeReport {
  /** Whether the engine reports no copy of a deleted key left in the database's files. */
  readonly complete: boolean;
  /** What was done and, when not complete, what holds it back and what to do (for an operator). */
  readonly detail: string;
}

/**
 * Runs `fn` (deletions on `sql`, inside the caller's transaction) with SQLite's `secure_delete`
 * on, the connection's setting restored after; PostgreSQL runs `fn` as it is.
 */
export async function withSecureDelete<T>(sql: SqlExecutor, fn: () => Promise<T>): Promise<T> {
  if (sql.dialect !== "sqlite") return fn();
  const [before] = await sql.query<{ secure_delete: number }>("PRAGMA secure_delete");
  await sql.query("PRAGMA secure_delete = ON");
  try {
    return await fn();
  } finally {
    await sql.query(`PRAGMA secure_delete = ${Number(before?.secure_delete ?? 0)}`);
  }
}

/**
 * Removes the copies of deleted keys the database still keeps (see the module comment). Never
 * waits for other connections: when one holds what the purge needs (a SQLite reader inside a
 * transaction, a PostgreSQL transaction older than the deletion), the report says so and a later
 * call finishes the job.
 */
export async function purgeDeletedKeys(store: EventStore): Promise<PurgeReport> {
  const sql = store.autocommit;
  if (sql === undefined) return { complete: true, detail: "the keys live in this process's memory only" };
  if (sql.dialect === "sqlite") return purgeSqlite(sql);
  // On a connection of its own, so that its lock timeout applies to the purge alone.
  return store.session === undefined ? purgePostgres(sql, false) : store.session((own) => purgePostgres(own, true));
}

async function purgeSqlite(sql: SqlExecutor): Promise<PurgeReport> {
  // Not waiting for a reader of another process: its read transaction may last, and the
  // connection is synchronous — every caller in this process would wait with it.
  const [timeout] = await sql.query<{ timeout: number }>("PRAGMA busy_timeout");
  await sql.query("PRAGMA busy_timeout = 0");
  let result: { busy: number } | undefined;
  try {
    [result] = await sql.query<{ busy: number }>("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    await sql.query(`PRAGMA busy_timeout = ${Number(timeout?.timeout ?? 0)}`);
  }
  if (result === undefined || result.busy === 0) return { complete: true, detail: "the write-ahead log was checkpointed into the database and truncated" };
  return {
    complete: false,
    detail:
      "another connection is reading the database, so its write-ahead log could not be truncated and may still hold a deleted key: " +
      "run the purge again (eda forget with the same subject does) when no transaction of another process is open",
  };
}

/** The longest a purge waits for the key table's lock (`VACUUM FULL` queues every other user of the table behind it). */
const LOCK_WAIT = "2s";

async function purgePostgres(sql: SqlExecutor, ownConnection: boolean): Promise<PurgeReport> {
  // VACUUM skips a table of another owner with a warning only: say so instead of "left N".
  const [owner] = await sql.query<{ owns: boolean; who: string }>(
    "SELECT pg_has_role(current_user, c.relowner, 'MEMBER') AS owns, current_user AS who FROM pg_class c WHERE c.oid = 'eda_subject_keys'::regclass",
  );
  if (owner !== undefined && !owner.owns) {
    return { complete: false, detail: `the database user ${JSON.stringify(owner.who)} does not own eda_subject_keys, so VACUUM would skip it: run VACUUM eda_subject_keys as its owner` };
  }
  // VACUUM removes the dead row versions no transaction can still see, and counts those it must
  // keep. It does not overwrite what it removes: the bytes stay in the page's free space until a
  // later row lands there. VACUUM FULL then writes the table anew, without them, into a new file
  // (the old one is truncated when it commits); it locks the key table meanwhile, so appends
  // making first keys wait — for a table of a million keys, a few seconds.
  await sql.query("VACUUM eda_subject_keys");
  const [stats] = await sql.query<{ dead: string | number | null }>("SELECT n_dead_tup AS dead FROM pg_stat_user_tables WHERE relid = 'eda_subject_keys'::regclass");
  const dead = Number(stats?.dead ?? 0);
  if (dead === 0) {
    // A transaction using the key table (a workflow's, a long one) holds VACUUM FULL back, and
    // while it waits every append and key read queues behind it: it waits LOCK_WAIT at most.
    if (ownConnection) await sql.query(`SET lock_timeout = '${LOCK_WAIT}'`);
    try {
      await sql.query("VACUUM FULL eda_subject_keys");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "55P03") throw error; // lock_not_available
      return {
        complete: false,
        detail: `a transaction kept the key table locked for more than ${LOCK_WAIT}, so VACUUM FULL eda_subject_keys did not run and the deleted keys' bytes may remain in the table's file: run the purge again (eda forget with the same subject does)`,
      };
    }
    return { complete: true, detail: "VACUUM FULL eda_subject_keys wrote the key table anew without any deleted key" };
  }
  return {
    complete: false,
    detail:
      `VACUUM eda_subject_keys left ${dead} deleted row version${dead === 1 ? "" : "s"}: a transaction that began before the deletion can still see ${dead === 1 ? "it" : "them"}; ` +
      "run the purge again (eda forget with the same subject does) once long transactions, and replication slots holding back old rows, have moved on",
  };
}
