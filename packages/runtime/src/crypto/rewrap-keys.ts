/**
 * Master-key rotation: every data key in `eda_subject_keys` rewrapped from the old master key (or
 * from none: keys stored as they are) to a new one, in ONE transaction of the event store's own
 * database, so a failure — a row that opens under neither key — rolls everything back and
 * nothing is half-written. A row that already opens under the new key is left as it is, so a
 * re-run finishes what a process still on the old key wrote meanwhile. On PostgreSQL the table
 * is locked against writers while it runs (readers go on). `eda keys rotate-master` runs it.
 */
import type { EventStore, SqlExecutor } from "../store/event-store.js";
import { KEY_TABLES_SQL } from "../store/key-tables.js";
import { unwrapKey, wrapKey, type KeyRow } from "./sql-key-store.js";
import { purgeDeletedKeys, withSecureDelete, type PurgeReport } from "./purge.js";

/** The old master key (absent: the keys are stored unwrapped) and the new one. */
export interface RewrapOptions {
  readonly from?: Buffer;
  readonly to: Buffer;
}

/** What a rotation did. */
export interface RewrapReport {
  /** Keys now wrapped under the new master key that were not before. */
  readonly rewrapped: number;
  /** Keys that already were (a re-run, or a process already on the new key). */
  readonly already: number;
  /**
   * Whether the keys as they were stored before (unwrapped, or under the old master key) are gone
   * from the database's files too (`purgeDeletedKeys`, run after the rotation commits).
   */
  readonly purge: PurgeReport;
}

/** Thrown (and nothing written) when a data key opens under neither master key. */
export class KeyRewrapError extends Error {
  override readonly name = "KeyRewrapError";
}

type Row = KeyRow & { subject: string };
const PAGE = 500;

/** Rewraps every data key of `store`'s key table; see the module comment. */
export async function rewrapKeys(store: EventStore, options: RewrapOptions): Promise<RewrapReport> {
  for (const [name, key] of [["old", options.from], ["new", options.to]] as const) {
    if (key !== undefined && key.length !== 32) throw new KeyRewrapError(`the ${name} master key must be 32 bytes, not ${key.length}`);
  }
  if (options.from?.equals(options.to) === true) throw new KeyRewrapError("the old and the new master keys are the same");
  const done = await store.transaction(async (tx) => {
    const sql = tx.sql;
    if (sql === undefined) throw new KeyRewrapError("the memory store keeps its keys in memory: there is nothing to rewrap");
    for (const statement of KEY_TABLES_SQL) await sql.query(statement);
    // The key epoch first, as forget and rotate move it: an append takes its row (shared) before
    // the key table, so locking the table first and the row last could deadlock with one. Its
    // row's version then names the last transaction that left key bytes, which the purge waits
    // for every reader to pass.
    await sql.query("UPDATE eda_key_epoch SET epoch = epoch + 1 WHERE id = 1");
    if (sql.dialect === "postgres") await sql.query("LOCK TABLE eda_subject_keys IN SHARE ROW EXCLUSIVE MODE");
    let rewrapped = 0;
    let already = 0;
    // Each row's old bytes overwritten where SQLite frees them (`withSecureDelete`).
    await withSecureDelete(sql, async () => {
      for (let after: Row | undefined, rows: Row[]; (rows = await page(sql, after)).length > 0; after = rows.at(-1)) {
        for (const row of rows) {
          if (opensUnder(options.to, row)) {
            already += 1;
            continue;
          }
          const key = plainKeyOf(row, options.from);
          if (key === undefined) {
            throw new KeyRewrapError(
              `the data key ${row.key_id} of subject ${JSON.stringify(row.subject)} opens under neither the old nor the new master key` +
                (options.from === undefined ? " (it is wrapped: give the old master key)" : ""),
            );
          }
          const p = (n: number): string => (sql.dialect === "postgres" ? `$${n}` : "?");
          const data = wrapKey(options.to, row.subject, { id: row.key_id, key });
          await sql.query(`UPDATE eda_subject_keys SET key_data = ${p(1)} WHERE subject = ${p(2)} AND key_id = ${p(3)}`, [data, row.subject, row.key_id]);
          rewrapped += 1;
        }
      }
    });
    return { rewrapped, already };
  });
  return { ...done, purge: await purgeDeletedKeys(store) };
}

/** The rows after `after`, in key order (keyset paging: the table may be large). */
function page(sql: SqlExecutor, after: Row | undefined): Promise<Row[]> {
  const p = (n: number): string => (sql.dialect === "postgres" ? `$${n}` : "?");
  const where = after === undefined ? "" : `WHERE (subject, key_id) > (${p(1)}, ${p(2)}) `;
  const params = after === undefined ? [] : [after.subject, after.key_id];
  return sql.query<Row>(`SELECT subject, key_id, key_data FROM eda_subject_keys ${where}ORDER BY subject, key_id LIMIT ${PAGE}`, params);
}

function opensUnder(master: Buffer, row: Row): boolean {
  if (!row.key_data.startsWith("w1:")) return false;
  try {
    unwrapKey(master, row.subject, row);
    return true;
  } catch {
    return false;
  }
}

/** The data key of a row: stored as it is, or wrapped under `master`; undefined when neither opens it. */
function plainKeyOf(row: Row, master: Buffer | undefined): Buffer | undefined {
  if (!row.key_data.startsWith("w1:")) {
    const key = Buffer.from(row.key_data, "base64");
    return key.length === 32 ? key : undefined;
  }
  if (master === undefined) return undefined;
  try {
    return unwrapKey(master, row.subject, row);
  } catch {
    return undefined;
  }
}
