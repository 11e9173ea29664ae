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

/** SQLite's `secure_delete` values as `PRAGMA secure_delete` reads them (a number written back would mean ON for 2). */
const SECURE_DELETE = ["OFF", "ON", "FAST"] as const;

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
    await sql.query(`PRAGMA secure_delete = ${SECURE_DELETE[before?.secure_delete ?? 0] ?? "OFF"}`);
  }
}

/**
 * Removes the copies of deleted keys the database still keeps (see the module comment). Waits at
 * most `LOCK_WAIT` for another connection: when one holds what the purge needs (a SQLite reader or
 * writer of another process, a PostgreSQL transaction older than the deletion or holding the key
 * table), the report says so and a later call finishes the job. Never throws: the keys are
 * deleted already, and a purge that fails (a statement timeout, a lost connection) is a report too.
 */
export async function purgeDeletedKeys(store: EventStore): Promise<PurgeReport> {
  if (store.autocommit === undefined) return { complete: true, detail: "the keys live in this process's memory only" };
  // On a connection of its own (PostgreSQL: its lock timeout applies to the purge alone; SQLite:
  // no other work of this process runs while its busy timeout is changed).
  if (store.session === undefined) return { complete: false, detail: "the store lends no connection of its own to purge on (EventStore.session): purge through the store itself" };
  try {
    return await store.session((sql) => (sql.dialect === "sqlite" ? purgeSqlite(sql) : purgePostgres(sql)));
  } catch (error) {
    return { complete: false, detail: `the purge failed (${error instanceof Error ? error.message : String(error)}): run it again (eda forget with the same subject does)` };
  }
}

/** The longest a purge waits for a lock: PostgreSQL's `VACUUM FULL` queues every other user of the key table behind it. */
const LOCK_WAIT_MS = 2000;

async function purgeSqlite(sql: SqlExecutor): Promise<PurgeReport> {
  // A short wait for the other processes: the connection is synchronous, so every caller in this
  // process waits with it.
  const [timeout] = await sql.query<{ timeout: number }>("PRAGMA busy_timeout");
  await sql.query(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}`);
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
      "another process is using the database (an open read or write), so its write-ahead log could not be truncated and may still hold a deleted key: " +
      "run the purge again (eda forget with the same subject does) when no transaction of another process is open",
  };
}

async function purgePostgres(sql: SqlExecutor): Promise<PurgeReport> {
  // VACUUM skips a table the user may not vacuum with a warning only: say so up front (the owner
  // of the table or of the database may, with the privileges of that role; a superuser may).
  const [may] = await sql.query<{ may: boolean; who: string }>(
    "SELECT pg_has_role(current_user, c.relowner, 'USAGE') OR pg_has_role(current_user, d.datdba, 'USAGE') AS may, current_user AS who " +
      "FROM pg_class c, pg_database d WHERE c.oid = 'eda_subject_keys'::regclass AND d.datname = current_database()",
  );
  if (may !== undefined && !may.may) {
    return { complete: false, detail: `the database user ${JSON.stringify(may.who)} may not vacuum eda_subject_keys: run VACUUM FULL eda_subject_keys as its owner` };
  }
  await sql.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
  const lockHeld = {
    complete: false,
    detail: `a transaction kept the key table locked for more than ${LOCK_WAIT_MS / 1000} s, so it was not vacuumed and the deleted keys' bytes may remain in its file: run the purge again (eda forget with the same subject does)`,
  };
  // VACUUM FULL writes the table anew into a new file (the old one is truncated when it commits),
  // without the deleted row versions — but for those a transaction that began before the deletion
  // can still see, which it copies along. Those readers are asked first (the statistics' dead row
  // count, the earlier test, counts a deletion only once its backend reports it, up to seconds
  // later). It locks the key table meanwhile, so appends making first keys wait — for a table of
  // a million keys, a few seconds.
  // A reader that comes and goes (an autovacuum's ANALYZE, a short transaction) is waited for, briefly.
  let holders = 0;
  for (const waitUntil = Date.now() + LOCK_WAIT_MS; ; ) {
    const [held] = await sql.query<{ holders: string | number }>(HOLDERS);
    holders = Number(held?.holders ?? 0);
    if (holders === 0 || Date.now() >= waitUntil) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (holders > 0) {
    return {
      complete: false,
      detail:
        `${holders} transaction${holders === 1 ? "" : "s"} that began before the deletion (or a replication slot, a standby's feedback, a prepared transaction) can still see the deleted key${holders === 1 ? "" : "s"}; ` +
        "run the purge again (eda forget with the same subject does) once long transactions, and replication slots holding back old rows, have moved on",
    };
  }
  const fileOf = async (): Promise<string> => String((await sql.query<{ node: string | number }>("SELECT pg_relation_filenode('eda_subject_keys') AS node"))[0]?.node);
  const before = await fileOf();
  if (!(await unlessLocked(sql, "VACUUM FULL eda_subject_keys"))) return lockHeld;
  // A table VACUUM may not touch is skipped with a warning only: a table written anew has a new file.
  if ((await fileOf()) === before) return { complete: false, detail: "VACUUM FULL eda_subject_keys did not write the table anew (a warning only: is the user allowed to vacuum it?)" };
  return { complete: true, detail: "VACUUM FULL eda_subject_keys wrote the key table anew without any deleted key" };
}

/**
 * The readers that may still see rows the last forget or rewrap deleted: that transaction is the
 * last to update the key epoch's row (its `xmin`); a snapshot whose horizon (`backend_xmin`), or a
 * running transaction whose id (`backend_xid`: one that wrote and idles without a snapshot), is
 * not past it keeps them: backends of any database (not this one: a transaction in another
 * database was found to make VACUUM FULL copy the deleted rows along), standbys' feedback,
 * replication slots and prepared transactions, and `vacuum_defer_cleanup_age` (PostgreSQL 15 and
 * before), which holds back that many more.
 */
const HOLDERS =
  "WITH last AS (SELECT age(xmin) AS age FROM eda_key_epoch WHERE id = 1) SELECT " +
  "(SELECT count(*) FROM pg_stat_activity, last WHERE pid <> pg_backend_pid() AND " +
  "((backend_xmin IS NOT NULL AND age(backend_xmin) >= last.age) OR (backend_xid IS NOT NULL AND age(backend_xid) >= last.age))) + " +
  "(SELECT count(*) FROM last WHERE last.age <= coalesce(nullif(current_setting('vacuum_defer_cleanup_age', true), '')::int, 0)) + " +
  "(SELECT count(*) FROM pg_stat_replication, last WHERE backend_xmin IS NOT NULL AND age(backend_xmin) >= last.age) + " +
  "(SELECT count(*) FROM pg_replication_slots, last WHERE xmin IS NOT NULL AND age(xmin) >= last.age) + " +
  "(SELECT count(*) FROM pg_prepared_xacts, last WHERE database = current_database() AND age(transaction) >= last.age) AS holders";

/** Runs `statement`; false when it gave up waiting for a lock (`lock_timeout`). */
async function unlessLocked(sql: SqlExecutor, statement: string): Promise<boolean> {
  try {
    await sql.query(statement);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "55P03") return false; // lock_not_available
    throw error;
  }
}
