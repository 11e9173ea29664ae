/**
 * The tables of crypto-shredding's default key store (crypto/sql-key-store.ts), part of every SQL
 * store's schema because an append may write a subject's first data key in its own transaction,
 * beside the events that key seals (`AppendOptions.keys`):
 *
 * - `eda_subject_keys`: each subject's data keys, oldest first by `seq`; the unique
 *   `(subject, seq)` lets two writers giving a subject its first key at once keep only one.
 * - `eda_key_epoch`: one row counting every `forget` and `rotate` ever done on this database. A
 *   process may keep keys cached only while the count it read stays the same, so a subject
 *   forgotten by any process is never read from another's cache.
 */

/** The key table (one statement: the key store also runs it on databases made before it was here). */
export const KEYS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS eda_subject_keys (
  subject TEXT NOT NULL,
  key_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  key_data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (subject, key_id),
  UNIQUE (subject, seq)
)`;

/** Every table of the key store, one statement each (SQLite and PostgreSQL alike), the forget counter's row included. */
export const KEY_TABLES_SQL: readonly string[] = [
  KEYS_TABLE_SQL,
  "CREATE TABLE IF NOT EXISTS eda_key_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch BIGINT NOT NULL)",
  "INSERT INTO eda_key_epoch (id, epoch) VALUES (1, 0) ON CONFLICT DO NOTHING",
];

/** A first data key as the append stores it (`key_data` already wrapped by the key store). */
export interface SubjectKeyRow {
  readonly subject: string;
  readonly keyId: string;
  readonly keyData: string;
}

/** `AppendOptions.keys`: written, or checked, in the append's own transaction. */
export interface AppendKeys {
  /** First keys of subjects that have none; each is inserted with `seq` 1. */
  readonly made: readonly SubjectKeyRow[];
  /** The key epoch the sealing keys were read at (checked unchanged); null: no key came from a cache. */
  readonly epoch: number | null;
}

/**
 * Thrown by an append with `keys` that wrote nothing because a subject it gave a first key
 * already has one (`taken`: another writer was first), or because a key was forgotten or rotated
 * since the sealing keys were read (`changed`). The encrypted store reads the keys again and retries.
 */
export class DataKeyConflictError extends Error {
  override readonly name = "DataKeyConflictError";
  constructor(readonly reason: "taken" | "changed", options?: { cause?: unknown }) {
    super(reason === "taken" ? "a data subject was given a first key by another writer meanwhile" : "a data key was forgotten or rotated since it was read", options);
  }
}
