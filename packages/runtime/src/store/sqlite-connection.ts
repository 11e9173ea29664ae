/**
 * One SQLite connection per database file per process, shared by every store opened on that
 * file. better-sqlite3 is synchronous: two connections of one process to one file would
 * deadlock (the second's BEGIN IMMEDIATE blocks the thread the first needs to commit), so the
 * stores share the connection and its mutex instead.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Sqlite from "better-sqlite3";
import type { Database, Statement } from "better-sqlite3";
import type { AppendResult, ExpectedVersion, NewEvent } from "../types.js";
import { checkExpected } from "./checks.js";
import { EVENT_COLUMNS, type RawEventRow } from "./event-rows.js";
import { DuplicateCommandError, type AppendOptions, type CommandRecord } from "./event-store.js";
import { SQLITE_IMMUTABLE_HISTORY } from "./immutable-history.js";
import { DataKeyConflictError, KEY_TABLES_SQL, type AppendKeys } from "./key-tables.js";
import { Mutex } from "./mutex.js";
import { SQLITE_PROCESSED_AT_INDEX, SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from "./sqlite-schema.js";
import { SqliteSideTables } from "./sqlite-transaction.js";

type AppendArgs = [string, readonly NewEvent[], ExpectedVersion, AppendOptions, string];

/** A row of `eda_commands`. */
export interface CommandRow {
  command_id: string;
  stream: string;
  result: string;
  last_global_position: number | null;
  time: string;
}
/** A row of `eda_snapshots`. */
export interface SnapshotRow {
  stream: string;
  position: number;
  state: string;
  schema_tag: string;
  time: string;
}

/** Prepared statements for events, outbox, snapshots and commands. */
export class Statements {
  readonly head: Statement<[], number>;
  readonly streamHead: Statement<[string], number | null>;
  readonly insertEvent: Statement<unknown[]>;
  readonly insertOutbox: Statement<[number, number]>;
  readonly readStream: Statement<[string, number, number, string | null, string | null], RawEventRow>;
  readonly readAll: Statement<[number, number], RawEventRow>;
  readonly command: Statement<[string], CommandRow>;
  readonly insertCommand: Statement<[string, string, string, number | null, string]>;
  readonly saveSnapshot: Statement<[string, number, string, string, string]>;
  readonly loadSnapshot: Statement<[string], SnapshotRow>;
  readonly unsent: Statement<[number], RawEventRow>;
  readonly markSent: Statement<[number]>;
  readonly keyEpoch: Statement<[], number>;
  readonly insertFirstKey: Statement<[string, string, string, string]>;

  constructor(db: Database) {
    this.head = db.prepare<[], number>("SELECT coalesce(max(global_position), 0) FROM eda_events").pluck();
    this.streamHead = db
      .prepare<[string], number | null>("SELECT max(position) FROM eda_events WHERE stream = ?")
      .pluck();
    this.insertEvent = db.prepare(`INSERT INTO eda_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertOutbox = db.prepare(
      "INSERT INTO eda_outbox (id) SELECT global_position FROM eda_events WHERE global_position BETWEEN ? AND ?",
    );
    // Raw mode (rows as arrays) reads about half again as fast as rows as objects.
    this.readStream = db
      .prepare<[string, number, number, string | null, string | null], RawEventRow>(
        `SELECT ${EVENT_COLUMNS} FROM eda_events WHERE stream = ? AND position >= ? AND position <= ? ` +
          "AND (? IS NULL OR time <= ?) ORDER BY position",
      )
      .raw(true);
    this.readAll = db
      .prepare<[number, number], RawEventRow>(
        `SELECT ${EVENT_COLUMNS} FROM eda_events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
      )
      .raw(true);
    this.command = db.prepare(
      "SELECT command_id, stream, result, last_global_position, time FROM eda_commands WHERE command_id = ?",
    );
    this.insertCommand = db.prepare(
      "INSERT INTO eda_commands (command_id, stream, result, last_global_position, time) VALUES (?, ?, ?, ?, ?)",
    );
    this.saveSnapshot = db.prepare(
      "INSERT INTO eda_snapshots (stream, position, state, schema_tag, time) VALUES (?, ?, ?, ?, ?) " +
        "ON CONFLICT (stream) DO UPDATE SET position = excluded.position, state = excluded.state, " +
        "schema_tag = excluded.schema_tag, time = excluded.time",
    );
    this.loadSnapshot = db.prepare("SELECT stream, position, state, schema_tag, time FROM eda_snapshots WHERE stream = ?");
    this.unsent = db
      .prepare<[number], RawEventRow>(
        `SELECT ${EVENT_COLUMNS.replace("global_position", "e.global_position")} FROM eda_outbox o ` +
          "JOIN eda_events e ON e.global_position = o.id ORDER BY o.id LIMIT ?",
      )
      .raw(true);
    this.markSent = db.prepare("DELETE FROM eda_outbox WHERE id = ?");
    this.keyEpoch = db.prepare<[], number>("SELECT epoch FROM eda_key_epoch WHERE id = 1").pluck();
    // No ON CONFLICT: a subject that has a key already fails the append (DataKeyConflictError).
    this.insertFirstKey = db.prepare("INSERT INTO eda_subject_keys (subject, key_id, key_data, created_at, seq) VALUES (?, ?, ?, ?, 1)");
  }
}

/** A command record from its row. */
export function commandFromRow(row: CommandRow): CommandRecord {
  const result = JSON.parse(row.result) as unknown;
  return { commandId: row.command_id, stream: row.stream, result, lastGlobalPosition: row.last_global_position, time: row.time };
}

/** Opens (creating if needed) a SQLite database file with the pragmas the store relies on. */
function openDatabase(file: string): Database {
  if (file !== ":memory:") makeDirectory(dirname(file));
  const db = new Sqlite(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode survives a killed process; only an OS crash can lose the last commits.
  db.pragma("synchronous = NORMAL");
  // Deleted content overwritten with zeros in its page, as are the pages SQLite splits or
  // rebuilds — at no extra I/O — so a forgotten data key leaves no copy in the file's pages
  // (crypto/purge.ts: a forget also zeroes any page it frees, then truncates the log).
  db.pragma("secure_delete = FAST");
  db.exec(SQLITE_SCHEMA);
  db.exec(SQLITE_IMMUTABLE_HISTORY);
  for (const sql of KEY_TABLES_SQL) db.exec(sql);
  migrateProcessedAt(db);
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  return db;
}

/**
 * Adds `eda_processed.processed_at` to a store made before it (schema version 1), stamping its
 * rows with the migration time so they are kept a whole retention window from then. Checked and
 * run in one immediate transaction: two processes opening the same old file do not both alter it.
 */
function migrateProcessedAt(db: Database): void {
  db.transaction(() => {
    const columns = db.prepare("SELECT name FROM pragma_table_info('eda_processed')").pluck().all() as string[];
    if (!columns.includes("processed_at")) {
      db.exec("ALTER TABLE eda_processed ADD COLUMN processed_at TEXT");
      db.prepare("UPDATE eda_processed SET processed_at = ? WHERE processed_at IS NULL").run(new Date().toISOString());
    }
    db.exec(SQLITE_PROCESSED_AT_INDEX);
  }).immediate();
}

function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`the directory ${dir} cannot be created (${code})`, { cause: error });
  }
}

/** A shared connection: the database, its statements, one mutex, and append listeners. */
export class SqliteConnection {
  readonly st: Statements;
  readonly side: SqliteSideTables;
  readonly mutex = new Mutex();
  /** Called after every append through this connection (in-process wake-up of waiters). */
  readonly appended = new Set<() => void>();
  readonly appendTx: (...args: AppendArgs) => AppendResult;
  private refs = 0;

  private constructor(
    readonly db: Database,
    private readonly key: string | undefined,
  ) {
    this.st = new Statements(db);
    this.side = new SqliteSideTables(db);
    this.appendTx = db.transaction((...args: AppendArgs) => this.appendNow(...args)).immediate;
  }

  /** The process's connection to `file` (`:memory:` is always a new, private database). */
  static acquire(file: string): SqliteConnection {
    const key = file === ":memory:" ? undefined : resolve(file);
    let connection = key === undefined ? undefined : open.get(key);
    if (connection === undefined) {
      connection = new SqliteConnection(openDatabase(file), key);
      if (key !== undefined) open.set(key, connection);
    }
    connection.refs += 1;
    return connection;
  }

  /** Drops one reference; the last one closes the database (after queued work). */
  async release(): Promise<void> {
    this.refs -= 1;
    if (this.refs > 0) return;
    if (this.key !== undefined) open.delete(this.key);
    await this.mutex.run(() => this.db.close());
  }

  private appendNow(...[stream, events, expected, options, time]: AppendArgs): AppendResult {
    const current = this.st.streamHead.get(stream) ?? null;
    checkExpected(stream, expected, current);
    const command = options.command;
    const recorded = command === undefined ? undefined : this.st.command.get(command.id);
    if (recorded !== undefined) throw new DuplicateCommandError(commandFromRow(recorded));
    if (options.keys !== undefined) this.writeKeys(options.keys, time);
    let position = current ?? -1;
    let global = this.st.head.get() ?? 0;
    for (const e of events) {
      position += 1;
      global += 1;
      this.st.insertEvent.run(
        global, stream, position, e.messageId, e.type, e.version, time, e.correlationId, e.causationId,
        JSON.stringify(e.metadata ?? {}), JSON.stringify(e.payload),
      );
    }
    if (events.length > 0) this.st.insertOutbox.run(global - events.length + 1, global);
    if (command !== undefined) {
      const lastGlobal = events.length === 0 ? null : global;
      this.st.insertCommand.run(command.id, stream, JSON.stringify(command.result), lastGlobal, time);
    }
    return { lastPosition: position, lastGlobalPosition: global };
  }

  /** `AppendOptions.keys`, inside the append's transaction (a throw rolls the append back). */
  private writeKeys(keys: AppendKeys, time: string): void {
    if (keys.epoch !== null && this.st.keyEpoch.get() !== keys.epoch) throw new DataKeyConflictError("changed");
    for (const row of keys.made) {
      try {
        this.st.insertFirstKey.run(row.subject, row.keyId, row.keyData, time);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") throw new DataKeyConflictError("taken", { cause: error });
        throw error;
      }
    }
  }
}

const open = new Map<string, SqliteConnection>();
