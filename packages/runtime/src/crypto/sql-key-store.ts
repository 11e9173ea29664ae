/**
 * The default key store: the subjects' data keys in `eda_subject_keys`, a table of the event
 * store's own database (SQLite or PostgreSQL), created on first use. With a `masterKey` every
 * data key is stored wrapped (AES-256-GCM under the master key, bound to subject and key id), so
 * a copy of the database alone does not read the personal data; without one the keys are stored
 * as they are and the database's own protection is all there is (SECURITY.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EventStore, SqlExecutor } from "../store/event-store.js";
import type { DataKey } from "./field-cipher.js";
import { newDataKey, type KeyStore } from "./key-store.js";

const TABLE = `
CREATE TABLE IF NOT EXISTS eda_subject_keys (
  subject TEXT NOT NULL,
  key_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  key_data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (subject, key_id),
  UNIQUE (subject, seq)
)`;

export interface SqlKeyStoreOptions {
  /** 32 bytes that wrap every data key (e.g. from `EDA_MASTER_KEY`, base64). */
  readonly masterKey?: Buffer;
}

interface KeyRow {
  key_id: string;
  key_data: string;
}

/** Keys in the event store's database. Throws for the memory store (use `memoryKeyStore`). */
export function sqlKeyStore(store: EventStore, options: SqlKeyStoreOptions = {}): KeyStore {
  const master = options.masterKey;
  if (master !== undefined && master.length !== 32) throw new Error(`the master key must be 32 bytes, not ${master.length}`);
  let ready: Promise<void> | undefined;
  const run = async <T>(fn: (sql: SqlExecutor, p: (n: number) => string) => Promise<T>, within?: SqlExecutor): Promise<T> => {
    if (within !== undefined) {
      await within.query(TABLE);
      return fn(within, (n) => (within.dialect === "postgres" ? `$${n}` : "?"));
    }
    ready ??= store.transaction(async (tx) => void (await executor(tx.sql).query(TABLE))).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return store.transaction((tx) => {
      const sql = executor(tx.sql);
      return fn(sql, (n) => (sql.dialect === "postgres" ? `$${n}` : "?"));
    });
  };
  const wrap = (subject: string, key: DataKey): string => (master === undefined ? key.key.toString("base64") : seal(master, subject, key));
  const unwrap = (subject: string, row: KeyRow): Buffer => (master === undefined ? Buffer.from(row.key_data, "base64") : open(master, subject, row));
  const insert = (sql: SqlExecutor, p: (n: number) => string, subject: string, key: DataKey, onlyIfNone: boolean): Promise<unknown> =>
    sql.query(
      `INSERT INTO eda_subject_keys (subject, key_id, seq, key_data, created_at) ` +
        `SELECT ${p(1)}, ${p(2)}, coalesce(max(seq), 0) + 1, ${p(3)}, ${p(4)} FROM eda_subject_keys WHERE subject = ${p(5)} ` +
        `${onlyIfNone ? "HAVING count(*) = 0 " : ""}ON CONFLICT DO NOTHING`,
      [subject, key.id, wrap(subject, key), new Date().toISOString(), subject],
    );
  const current = async (sql: SqlExecutor, p: (n: number) => string, subject: string): Promise<DataKey | undefined> => {
    const [row] = await sql.query<KeyRow>(`SELECT key_id, key_data FROM eda_subject_keys WHERE subject = ${p(1)} ORDER BY seq DESC LIMIT 1`, [subject]);
    return row === undefined ? undefined : { id: row.key_id, key: unwrap(subject, row) };
  };
  return {
    currentKey: (subject, within) =>
      run(async (sql, p) => {
        const found = await current(sql, p, subject);
        if (found !== undefined) return found;
        await insert(sql, p, subject, newDataKey(), true);
        const made = await current(sql, p, subject);
        if (made === undefined) throw new Error(`no key could be made for a data subject`);
        return made;
      }, within),
    key: (subject, id, within) =>
      run(async (sql, p) => {
        const [row] = await sql.query<KeyRow>(`SELECT key_id, key_data FROM eda_subject_keys WHERE subject = ${p(1)} AND key_id = ${p(2)}`, [subject, id]);
        return row === undefined ? undefined : unwrap(subject, row);
      }, within),
    rotate: (subject) =>
      run(async (sql, p) => {
        const key = newDataKey();
        await insert(sql, p, subject, key, false);
        return key.id;
      }),
    forget: (subject) =>
      run(async (sql, p) => {
        const rows = await sql.query<{ key_id: string }>(`DELETE FROM eda_subject_keys WHERE subject = ${p(1)} RETURNING key_id`, [subject]);
        return rows.length;
      }),
  };
}

function executor(sql: SqlExecutor | undefined): SqlExecutor {
  if (sql === undefined) throw new Error("the SQL key store needs a SQLite or PostgreSQL store; use memoryKeyStore() with the memory store");
  return sql;
}

function seal(master: Buffer, subject: string, key: DataKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", master, iv);
  cipher.setAAD(Buffer.from(`${subject}\u0000${key.id}`, "utf8"));
  const body = Buffer.concat([cipher.update(key.key), cipher.final()]);
  return `w1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

function open(master: Buffer, subject: string, row: KeyRow): Buffer {
  if (!row.key_data.startsWith("w1:")) throw new Error("a data key is stored unwrapped, but the key store has a master key");
  const bytes = Buffer.from(row.key_data.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", master, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(`${subject}\u0000${row.key_id}`, "utf8"));
  decipher.setAuthTag(bytes.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  } catch (error) {
    throw new Error("a data key does not unwrap under the master key (a different EDA_MASTER_KEY?)", { cause: error });
  }
}
