/**
 * The default key store: the subjects' data keys in `eda_subject_keys`, a table of the event
 * store's own database (SQLite or PostgreSQL; store/key-tables.ts). With a `masterKey` every
 * data key is stored wrapped (AES-256-GCM under the master key, bound to subject and key id), so
 * a copy of the database alone does not read the personal data; without one the keys are stored
 * as they are and the database's own protection is all there is (SECURITY.md). `forget` and
 * `rotate` move the key epoch (`eda_key_epoch`) in the same transaction, which tells every
 * process's cache that its keys may be stale.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EventStore, SqlExecutor } from "../store/event-store.js";
import { KEY_TABLES_SQL, KEYS_TABLE_SQL } from "../store/key-tables.js";
import type { DataKey } from "./field-cipher.js";
import { newDataKey, newDataKeys, type KeysRead, type KeyStore } from "./key-store.js";
import { FORGET_STEP } from "./key-epoch.js";
import { purgeDeletedKeys, withSecureDelete } from "./purge.js";
import { describeSubject, hasLoneSurrogate } from "./subject-id.js";

export { KEYS_TABLE_SQL };

export interface SqlKeyStoreOptions {
  /** 32 bytes that wrap every data key (e.g. from `EDA_MASTER_KEY`, base64). */
  readonly masterKey?: Buffer;
}

/**
 * Thrown when the master key does not fit the keys stored: none given where they are wrapped,
 * another one than wrapped them, or one given where they are stored unwrapped. A configuration
 * error of the process (EDA_MASTER_KEY), not of the data: `eda store verify` says so and stops.
 */
export class MasterKeyError extends Error {
  override readonly name = "MasterKeyError";
}

/** A row of the key table as the wrapping reads it. */
export interface KeyRow {
  key_id: string;
  key_data: string;
}

/** Keys in the event store's database. Throws for the memory store (use `memoryKeyStore`). */
export function sqlKeyStore(store: EventStore, options: SqlKeyStoreOptions = {}): KeyStore {
  const master = options.masterKey;
  if (master !== undefined && master.length !== 32) throw new Error(`the master key must be 32 bytes, not ${master.length}`);
  let ready: Promise<void> | undefined;
  let tablesReady = false;
  // Whether the master key matches the keys stored (`checkMaster`): checked once, before the
  // first call that reads or makes keys (`forget` deletes them and needs no master key).
  let masterCheck: Promise<void> | undefined;
  let masterChecked = false;
  const placeholder = (sql: SqlExecutor) => (n: number) => (sql.dialect === "postgres" ? `$${n}` : "?");
  const run = async <T>(fn: (sql: SqlExecutor, p: (n: number) => string) => Promise<T>, within?: SqlExecutor, oneStatement = false, checksMaster = true): Promise<T> => {
    if (within !== undefined) {
      // Once the tables are known to be there, a transaction's lookups need no DDL first.
      if (!tablesReady) for (const sql of KEY_TABLES_SQL) await within.query(sql);
      if (checksMaster && !masterChecked) {
        await checkMaster(within, master);
        masterChecked = true;
      }
      return fn(within, placeholder(within));
    }
    // Stores create the tables when they open; a database opened by an older version meets them here.
    ready ??= store.transaction(async (tx) => {
      for (const sql of KEY_TABLES_SQL) await executor(tx.sql).query(sql);
    }).then(() => void (tablesReady = true), (error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    if (checksMaster && !masterChecked) {
      const check = store.autocommit === undefined ? store.transaction((tx) => checkMaster(executor(tx.sql), master)) : checkMaster(store.autocommit, master);
      masterCheck ??= check.then(() => void (masterChecked = true), (error: unknown) => {
        masterCheck = undefined;
        throw error;
      });
      await masterCheck;
    }
    // One statement needs no transaction around it (PostgreSQL: one round trip, not three).
    if (oneStatement && store.autocommit !== undefined) return fn(store.autocommit, placeholder(store.autocommit));
    return store.transaction((tx) => {
      const sql = executor(tx.sql);
      return fn(sql, (n) => (sql.dialect === "postgres" ? `$${n}` : "?"));
    });
  };
  const wrap = (subject: string, key: DataKey): string => (master === undefined ? key.key.toString("base64") : wrapKey(master, subject, key));
  const unwrap = (subject: string, row: KeyRow): Buffer => (master === undefined ? unwrappedKey(row) : unwrapKey(master, subject, row));
  // A row that does not read (altered, or wrapped under another master key than the one
  // `checkMaster` found the table's keys under) fails its own subject's events, not the page's.
  const keyOfRow = (row: KeyRow & { subject: string }): DataKey => {
    try {
      return { id: row.key_id, key: unwrap(row.subject, row) };
    } catch (error) {
      return { id: row.key_id, key: Buffer.alloc(0), damaged: error instanceof Error ? error.message : String(error) };
    }
  };
  const keysOf = async (sql: SqlExecutor, p: (n: number) => string, subjects: readonly string[]): Promise<Map<string, DataKey[]>> => {
    const out = new Map<string, DataKey[]>();
    for (let i = 0; i < subjects.length; i += CHUNK) {
      const chunk = subjects.slice(i, i + CHUNK);
      const rows =
        sql.dialect === "postgres"
          ? await sql.query<KeyRow & { subject: string }>(KEYS_OF_PG, [chunk], { name: "eda_keys_of" })
          : await sql.query<KeyRow & { subject: string }>(
              `SELECT subject, key_id, key_data FROM eda_subject_keys WHERE subject IN (${chunk.map((_, j) => p(j + 1)).join(", ")}) ORDER BY subject, seq`,
              chunk,
            );
      for (const row of rows) out.set(row.subject, [...(out.get(row.subject) ?? []), keyOfRow(row)]);
    }
    return out;
  };
  /** The key as the subject's next one; false when a key another transaction committed meanwhile took its `seq`. */
  const insert = async (sql: SqlExecutor, p: (n: number) => string, subject: string, key: DataKey): Promise<boolean> => {
    const rows = await sql.query(
      `INSERT INTO eda_subject_keys (subject, key_id, seq, key_data, created_at) ` +
        `SELECT ${p(1)}, ${p(2)}, coalesce(max(seq), 0) + 1, ${p(3)}, ${p(4)} FROM eda_subject_keys WHERE subject = ${p(5)} ON CONFLICT DO NOTHING RETURNING key_id`,
      [subject, key.id, wrap(subject, key), new Date().toISOString(), subject],
    );
    return rows.length > 0;
  };
  /**
   * PostgreSQL, one statement: a candidate first key for every subject, inserted where the subject
   * has none (the unique (subject, seq) refuses it otherwise), beside the keys that were there.
   * The statement's snapshot does not show a first key another writer is committing meanwhile:
   * those subjects are read again.
   */
  const ensureInOne = async (sql: SqlExecutor, subjects: readonly string[]): Promise<Map<string, DataKey[]>> => {
    const fresh = newDataKeys(subjects.length);
    const made = new Map(subjects.map((subject, i) => [subject, fresh[i]!] as const));
    const now = new Date().toISOString();
    const values = subjects.map((_, j) => `($${j * 3 + 2}, $${j * 3 + 3}, $${j * 3 + 4}, $1, 1)`).join(", ");
    const params = [now, ...[...made].flatMap(([subject, key]) => [subject, key.id, wrap(subject, key)])];
    const rows = await sql.query<KeyRow & { subject: string; made: boolean }>(
      `WITH made AS (INSERT INTO eda_subject_keys (subject, key_id, key_data, created_at, seq) VALUES ${values} ON CONFLICT DO NOTHING RETURNING subject, key_id) ` +
        `SELECT k.subject, k.key_id, k.key_data, k.seq, false AS made FROM ${keysOfSet(`$${params.length + 1}`)} ` +
        `UNION ALL SELECT subject, key_id, '' AS key_data, 1 AS seq, true AS made FROM made ORDER BY subject, seq`,
      [...params, subjects],
    );
    const found = new Map<string, DataKey[]>();
    for (const row of rows) {
      const key = row.made ? made.get(row.subject) : keyOfRow(row);
      if (key !== undefined) found.set(row.subject, [...(found.get(row.subject) ?? []), key]);
    }
    const raced = subjects.filter((s) => !found.has(s));
    if (raced.length > 0) for (const [subject, keys] of await keysOf(sql, (n) => `$${n}`, raced)) found.set(subject, keys);
    return found;
  };
  /** PostgreSQL, one statement (one snapshot): the epoch and the subjects' keys. */
  const readInOne = async (sql: SqlExecutor, subjects: readonly string[]): Promise<KeysRead> => {
    // Prepared once per connection: planning it cost as much as running it (a replay reads keys per page).
    const rows = await sql.query<{ epoch: string | number } & { [K in keyof KeyRow]: KeyRow[K] | null } & { subject: string | null }>(READ_KEYS_PG, [subjects], {
      name: "eda_keys_read",
    });
    const keys = new Map<string, DataKey[]>();
    for (const row of rows) {
      if (row.subject === null || row.key_id === null || row.key_data === null) continue;
      const key = keyOfRow({ subject: row.subject, key_id: row.key_id, key_data: row.key_data });
      keys.set(row.subject, [...(keys.get(row.subject) ?? []), key]);
    }
    return { epoch: Number(rows[0]?.epoch ?? 0), keys };
  };
  return {
    keysOf: (subjects, within) => {
      const all = unique(subjects);
      return run((sql, p) => keysOf(sql, p, all), within, all.length <= CHUNK);
    },
    ensureKeys: (subjects, within) => {
      const all = unique(subjects);
      if (within === undefined && store.autocommit?.dialect === "postgres" && all.length <= CHUNK) return run((sql) => ensureInOne(sql, all), undefined, true);
      return run(async (sql, p) => {
        const all = unique(subjects);
        const found = await keysOf(sql, p, all);
        const missing = all.filter((s) => !found.has(s));
        if (missing.length === 0) return found;
        const now = new Date().toISOString();
        for (let i = 0; i < missing.length; i += CHUNK) {
          const chunk = missing.slice(i, i + CHUNK);
          const values = chunk.map((_, j) => `(${[1, 2, 3, 4].map((k) => p(j * 4 + k)).join(", ")}, 1)`).join(", ");
          const fresh = newDataKeys(chunk.length);
          const made = new Map(chunk.map((subject, j) => [subject, fresh[j]!] as const));
          const params = [...made].flatMap(([subject, key]) => [subject, key.id, wrap(subject, key), now]);
          // Two writers giving a subject its first key at once: the unique (subject, seq) keeps one.
          // A subject whose insert went through had no key, so the returned row is all its keys.
          const rows = await sql.query<{ subject: string }>(
            `INSERT INTO eda_subject_keys (subject, key_id, key_data, created_at, seq) VALUES ${values} ON CONFLICT DO NOTHING RETURNING subject`,
            params,
          );
          for (const { subject } of rows) found.set(subject, [made.get(subject)!]);
        }
        // The subjects another writer gave a key meanwhile: read what it wrote.
        const raced = missing.filter((s) => !found.has(s));
        if (raced.length > 0) for (const [subject, keys] of await keysOf(sql, p, raced)) found.set(subject, keys);
        return found;
      }, within);
    },
    readKeys: async (subjects, within) => {
      const all = unique(subjects);
      if (within === undefined && store.autocommit?.dialect === "postgres" && all.length <= CHUNK) return run((sql) => readInOne(sql, all), undefined, true);
      // The epoch first: keys read after it are at least as new, so a cache never holds a key
      // older than its epoch says.
      const epoch = await run((sql) => epochOf(sql), within, true);
      return { epoch, keys: all.length === 0 ? new Map() : await run((sql, p) => keysOf(sql, p, all), within, all.length <= CHUNK) };
    },
    draftKeys: (subjects) => {
      const fresh = newDataKeys(subjects.length);
      const keys = new Map(subjects.map((subject, i) => [subject, fresh[i]!] as const));
      return { keys, rows: [...keys].map(([subject, key]) => ({ subject, keyId: key.id, keyData: wrap(subject, key) })) };
    },
    database: store,
    // The epoch first, in `rotate` and `forget`: its row lock waits for the appends under way
    // (they share-lock it) and for other rotations and forgets, so the statements after it see
    // what those committed — on PostgreSQL a statement does not see rows of a transaction still open.
    rotate: async (subject) => {
      refuseIllFormed(subject, "rotate the key of");
      return run(async (sql, p) => {
        await bumpEpoch(sql, "rotate");
        const key = newDataKey();
        // A first key made in a transaction that holds no epoch lock (a workflow's) may still take the seq.
        for (let attempt = 1; !(await insert(sql, p, subject, key)); attempt++) {
          if (attempt >= ROTATE_ATTEMPTS) throw new Error(`could not rotate the key of a data subject: ${ROTATE_ATTEMPTS} keys made meanwhile`);
        }
        return key.id;
      });
    },
    forget: async (subject) => {
      refuseIllFormed(subject, "forget");
      return run(
        async (sql, p) => {
          await bumpEpoch(sql, "forget");
          // The deleted rows' bytes overwritten in place (SQLite); `purge` removes the other copies.
          const rows = await withSecureDelete(sql, () => sql.query<{ key_id: string }>(`DELETE FROM eda_subject_keys WHERE subject = ${p(1)} RETURNING key_id`, [subject]));
          return rows.length;
        },
        undefined,
        false,
        false,
      );
    },
    purge: () => purgeDeletedKeys(store),
  };
}

/**
 * A subject id the database would store as another one (a lone surrogate becomes U+FFFD): a
 * forget would delete someone else's keys, a rotation give them a key.
 */
function refuseIllFormed(subject: string, what: string): void {
  if (hasLoneSurrogate(subject)) throw new RangeError(`cannot ${what} the data subject ${describeSubject(subject)}: the id is not well-formed Unicode (it holds a lone surrogate)`);
}

/**
 * Refuses a key store whose master key does not match the keys stored, before the first call that
 * reads or makes keys: keys made by a process without the master key would be stored unwrapped
 * in a database whose keys are wrapped, and under another master key no other process could open
 * them — those subjects' data would read as an error everywhere else. Whether any key is stored
 * wrapped (or, with a master key, unwrapped) is asked of the whole table: processes started with
 * and without EDA_MASTER_KEY must not both write keys, each their own way. Which master key: a
 * few wrapped rows are tried, and one that opens is enough, so one damaged row, or a few written
 * under the old key while `eda keys rotate-master` was under way, stop no process.
 */
async function checkMaster(sql: SqlExecutor, master: Buffer | undefined): Promise<void> {
  if (master === undefined) {
    const wrapped = await sql.query(`SELECT 1 AS one FROM eda_subject_keys WHERE key_data LIKE 'w1:%' LIMIT 1`);
    if (wrapped.length > 0) throw new MasterKeyError(MASTER_MISSING);
    return;
  }
  // An unwrapped key is base64 of 32 bytes (44 characters): a row altered into something else is
  // a damaged row, which fails its own subject's events only (`keyOfRow`), not every process.
  const unwrapped = await sql.query(`SELECT 1 AS one FROM eda_subject_keys WHERE key_data NOT LIKE 'w1:%' AND length(key_data) = 44 LIMIT 1`);
  if (unwrapped.length > 0) throw new MasterKeyError(UNWRAPPED_STORED);
  const wrapped = await sql.query<KeyRow & { subject: string }>(`SELECT subject, key_id, key_data FROM eda_subject_keys ORDER BY subject, key_id LIMIT ${MASTER_CHECK_ROWS}`);
  if (wrapped.length === 0) return;
  let failure: unknown;
  for (const row of wrapped) {
    try {
      unwrapKey(master, row.subject, row);
      return;
    } catch (error) {
      failure = error;
    }
  }
  throw failure; // "does not unwrap under the master key"
}

/** Rows `checkMaster` looks at. */
const MASTER_CHECK_ROWS = 8;

const MASTER_MISSING = "the data keys are stored wrapped under a master key, but the key store has none: set EDA_MASTER_KEY (base64 of 32 bytes)";

const UNWRAPPED_STORED =
  "data keys are stored unwrapped, but the key store has a master key: stop the processes that run without EDA_MASTER_KEY, then wrap the keys with `eda keys rotate-master` (EDA_OLD_MASTER_KEY unset)";

/** The data key of a row stored as it is (a key store without a master key). */
function unwrappedKey(row: KeyRow): Buffer {
  if (row.key_data.startsWith("w1:")) throw new MasterKeyError(MASTER_MISSING);
  const key = Buffer.from(row.key_data, "base64");
  // The key id finds the row; the subject id (maybe personal data) stays out of logs.
  if (key.length !== 32) throw new Error(`the data key ${row.key_id} is ${key.length} bytes, not 32: the key table was altered`);
  return key;
}

async function epochOf(sql: SqlExecutor): Promise<number> {
  const rows = await sql.query<{ epoch: string | number }>("SELECT epoch FROM eda_key_epoch WHERE id = 1");
  return Number(rows[0]?.epoch ?? 0);
}

/**
 * Every forget and rotation moves the epoch, in its own transaction: other processes' caches drop
 * their keys. A forget by `FORGET_STEP`, a rotation by 1 (`forgetsIn`).
 */
async function bumpEpoch(sql: SqlExecutor, by: "forget" | "rotate"): Promise<void> {
  await sql.query(`UPDATE eda_key_epoch SET epoch = epoch + ${by === "forget" ? FORGET_STEP : 1} WHERE id = 1`);
}

/** Inserts a rotation tries before giving up (each failed one met a key committed meanwhile). */
const ROTATE_ATTEMPTS = 5;

/** Subjects per statement (well under SQLite's and PostgreSQL's parameter limits). */
const CHUNK = 500;

function unique(subjects: readonly string[]): string[] {
  return [...new Set(subjects)];
}

function executor(sql: SqlExecutor | undefined): SqlExecutor {
  if (sql === undefined) throw new Error("the SQL key store needs a SQLite or PostgreSQL store; use memoryKeyStore() with the memory store");
  return sql;
}

/** A data key as stored under a master key: `w1:` + base64(iv ‖ tag ‖ AES-256-GCM of the key), bound to subject and key id. */
export function wrapKey(master: Buffer, subject: string, key: DataKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", master, iv);
  cipher.setAAD(Buffer.from(`${subject}\u0000${key.id}`, "utf8"));
  const body = Buffer.concat([cipher.update(key.key), cipher.final()]);
  return `w1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** The data key of a row wrapped by `wrapKey`; throws when it does not unwrap under `master`. */
export function unwrapKey(master: Buffer, subject: string, row: KeyRow): Buffer {
  if (!row.key_data.startsWith("w1:")) throw new MasterKeyError("a data key is stored unwrapped, but the key store has a master key");
  const bytes = Buffer.from(row.key_data.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", master, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(`${subject}\u0000${row.key_id}`, "utf8"));
  decipher.setAuthTag(bytes.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  } catch (error) {
    throw new MasterKeyError("a data key does not unwrap under the master key (a different EDA_MASTER_KEY? After a rotation, a process still on the old key may have written it: run `eda keys rotate-master` again with EDA_OLD_MASTER_KEY)", { cause: error });
  }
}

/** PostgreSQL: the keys of the subjects in the text array `$1`, in order. */
const KEYS_OF_PG = `SELECT k.subject, k.key_id, k.key_data FROM ${keysOfSet("$1")} ORDER BY k.subject, k.seq`;

/** PostgreSQL, one snapshot: the key epoch and the keys of the subjects in `$1` (a row with the epoch alone when none has any). */
const READ_KEYS_PG =
  "SELECT (SELECT epoch FROM eda_key_epoch WHERE id = 1) AS epoch, k.subject, k.key_id, k.key_data " +
  `FROM (SELECT 1) one LEFT JOIN (${keysOfSet("$1")}) ON true ORDER BY k.subject, k.seq`;

/**
 * PostgreSQL: the keys (`k`) of the subjects in the text array `param` (each once), one index
 * lookup per subject. Not `subject = ANY(…)` or `IN (…)`: on a key table of a few thousand rows the
 * planner answers those with a scan comparing every row with every subject (5 ms for 100
 * subjects among 1,000 keys, once the plan is cached); the lateral lookup stays near 1 ms
 * from a thousand keys to a hundred thousand.
 */
function keysOfSet(param: string): string {
  return `(SELECT DISTINCT unnest(${param}::text[]) AS subject) s CROSS JOIN LATERAL (SELECT subject, key_id, key_data, seq FROM eda_subject_keys WHERE subject = s.subject ORDER BY seq) k`;
}
