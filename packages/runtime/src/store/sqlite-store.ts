/**
 * The embedded default: an event store in one SQLite file (WAL mode) through better-sqlite3.
 * SQLite admits one writer at a time (`BEGIN IMMEDIATE`), so global positions are assigned and
 * committed in the same order: readers never see a gap, even with writers in other processes.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite from "better-sqlite3";
import type { Database, Statement } from "better-sqlite3";
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { checkExpected, checkPositive, checkStream } from "./checks.js";
import { EVENT_COLUMNS, eventFromRow, type EventRow } from "./event-rows.js";
import {
  DuplicateCommandError,
  type AppendOptions,
  type CommandRecord,
  type EventStore,
  type ReadStreamOptions,
  type Snapshot,
  type StoreOptions,
  type StoreTransaction,
} from "./event-store.js";
import { HeadNotifier } from "./head-notifier.js";
import { Mutex } from "./mutex.js";
import type { Outbox, OutboxRow } from "./outbox.js";
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from "./sqlite-schema.js";
import { SqliteSideTables, SqliteTransaction } from "./sqlite-transaction.js";

type AppendArgs = [string, readonly NewEvent[], ExpectedVersion, AppendOptions];
interface CommandRow {
  command_id: string;
  stream: string;
  result: string;
  last_global_position: number | null;
  time: string;
}
interface SnapshotRow {
  stream: string;
  position: number;
  state: string;
  schema_tag: string;
  time: string;
}

/** Prepared statements for events, outbox, snapshots and commands. */
class Statements {
  readonly head: Statement<[], number>;
  readonly streamHead: Statement<[string], number | null>;
  readonly insertEvent: Statement<unknown[]>;
  readonly insertOutbox: Statement<[number]>;
  readonly readStream: Statement<[string, number, number, string | null, string | null], EventRow>;
  readonly readAll: Statement<[number, number], EventRow>;
  readonly command: Statement<[string], CommandRow>;
  readonly insertCommand: Statement<[string, string, string, number | null, string]>;
  readonly saveSnapshot: Statement<[string, number, string, string, string]>;
  readonly loadSnapshot: Statement<[string], SnapshotRow>;
  readonly unsent: Statement<[number], EventRow>;
  readonly markSent: Statement<[number]>;

  constructor(db: Database) {
    this.head = db.prepare<[], number>("SELECT coalesce(max(global_position), 0) FROM eda_events").pluck();
    this.streamHead = db
      .prepare<[string], number | null>("SELECT max(position) FROM eda_events WHERE stream = ?")
      .pluck();
    this.insertEvent = db.prepare(`INSERT INTO eda_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertOutbox = db.prepare("INSERT INTO eda_outbox (id) VALUES (?)");
    this.readStream = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM eda_events WHERE stream = ? AND position >= ? AND position <= ? ` +
        "AND (? IS NULL OR time <= ?) ORDER BY position",
    );
    this.readAll = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM eda_events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
    );
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
    this.unsent = db.prepare(
      `SELECT ${EVENT_COLUMNS.replace("global_position", "e.global_position")} FROM eda_outbox o ` +
        "JOIN eda_events e ON e.global_position = o.id ORDER BY o.id LIMIT ?",
    );
    this.markSent = db.prepare("DELETE FROM eda_outbox WHERE id = ?");
  }
}

function commandFromRow(row: CommandRow): CommandRecord {
  const result = JSON.parse(row.result) as unknown;
  return { commandId: row.command_id, stream: row.stream, result, lastGlobalPosition: row.last_global_position, time: row.time };
}

/** Opens (creating if needed) a SQLite database file with the pragmas the store relies on. */
function openDatabase(file: string): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Sqlite(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode survives a killed process; only an OS crash can lose the last commits.
  db.pragma("synchronous = NORMAL");
  db.exec(SQLITE_SCHEMA);
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  return db;
}

/** An `EventStore` in a SQLite file. */
export class SqliteEventStore implements EventStore {
  readonly engine = "sqlite";
  readonly outbox: Outbox;
  private readonly db: Database;
  private readonly st: Statements;
  private readonly side: SqliteSideTables;
  private readonly mutex = new Mutex();
  private readonly notifier: HeadNotifier;
  private readonly clock: () => Date;
  private readonly appendTx: (...args: AppendArgs) => AppendResult;

  /** Opens `file` (created with its directory when missing); `:memory:` for a private database. */
  constructor(
    readonly file: string,
    options: StoreOptions = {},
  ) {
    this.db = openDatabase(file);
    this.st = new Statements(this.db);
    this.side = new SqliteSideTables(this.db);
    this.clock = options.clock ?? (() => new Date());
    this.notifier = new HeadNotifier(options.pollIntervalMs ?? 250);
    this.appendTx = this.db.transaction((...args: AppendArgs) => this.appendNow(...args)).immediate;
    this.outbox = {
      fetchUnsent: async (limit) => this.fetchUnsent(limit),
      markSent: (ids) => this.markSent(ids),
    };
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkStream(stream);
    const result = await this.mutex.run(() => this.appendTx(stream, events, expected, options));
    if (events.length > 0) this.notifier.notify();
    return result;
  }

  private appendNow(...[stream, events, expected, options]: AppendArgs): AppendResult {
    const current = this.st.streamHead.get(stream) ?? null;
    checkExpected(stream, expected, current);
    const command = options.command;
    const recorded = command === undefined ? undefined : this.st.command.get(command.id);
    if (recorded !== undefined) throw new DuplicateCommandError(commandFromRow(recorded));
    const time = this.clock().toISOString();
    let position = current ?? -1;
    let global = this.st.head.get() ?? 0;
    for (const e of events) {
      position += 1;
      global += 1;
      this.st.insertEvent.run(
        global, stream, position, e.messageId, e.type, e.version, time, e.correlationId, e.causationId,
        JSON.stringify(e.metadata ?? {}), JSON.stringify(e.payload),
      );
      this.st.insertOutbox.run(global);
    }
    if (command !== undefined) {
      const lastGlobal = events.length === 0 ? null : global;
      this.st.insertCommand.run(command.id, stream, JSON.stringify(command.result), lastGlobal, time);
    }
    return { lastPosition: position, lastGlobalPosition: global };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const until = options.until?.toISOString() ?? null;
    const rows = this.st.readStream.all(
      stream, options.fromPosition ?? 0, options.toPosition ?? Number.MAX_SAFE_INTEGER, until, until,
    );
    return rows.map((row) => eventFromRow(row, true));
  }

  async streamPosition(stream: string): Promise<number | null> {
    return this.st.streamHead.get(stream) ?? null;
  }

  async readAll(fromGlobalPosition: number, batchSize: number): Promise<StoredEvent[]> {
    checkPositive("batchSize", batchSize);
    return this.st.readAll.all(fromGlobalPosition, batchSize).map((row) => eventFromRow(row, true));
  }

  async headPosition(): Promise<number> {
    return this.st.head.get() ?? 0;
  }

  waitForEvents(afterGlobalPosition: number, signal?: AbortSignal): Promise<boolean> {
    return this.notifier.wait(afterGlobalPosition, () => this.headPosition(), signal);
  }

  async commandResult(commandId: string): Promise<CommandRecord | null> {
    const row = this.st.command.get(commandId);
    return row === undefined ? null : commandFromRow(row);
  }

  saveSnapshot(stream: string, position: number, state: unknown, schemaTag: string): Promise<void> {
    const time = this.clock().toISOString();
    return this.mutex.run(() => {
      this.st.saveSnapshot.run(stream, position, JSON.stringify(state), schemaTag, time);
    });
  }

  async loadSnapshot(stream: string): Promise<Snapshot | null> {
    const row = this.st.loadSnapshot.get(stream);
    if (row === undefined) return null;
    const state = JSON.parse(row.state) as unknown;
    return { stream: row.stream, position: row.position, state, schemaTag: row.schema_tag, time: row.time };
  }

  /** Runs `fn` between `BEGIN IMMEDIATE` and `COMMIT`; other writers of this store wait meanwhile. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(new SqliteTransaction(this.side));
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  private fetchUnsent(limit: number): OutboxRow[] {
    checkPositive("limit", limit);
    return this.st.unsent.all(limit).map((row) => ({ id: Number(row.global_position), envelope: eventFromRow(row, true) }));
  }

  private markSent(ids: readonly number[]): Promise<void> {
    const deleteAll = this.db.transaction((list: readonly number[]) => {
      for (const id of list) this.st.markSent.run(id);
    });
    return this.mutex.run(() => deleteAll.immediate(ids));
  }

  async close(): Promise<void> {
    this.notifier.close();
    await this.mutex.run(() => this.db.close());
  }
}
