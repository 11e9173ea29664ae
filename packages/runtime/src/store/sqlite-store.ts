/**
 * The embedded default: an event store in one SQLite file (WAL mode) through better-sqlite3.
 * SQLite admits one writer at a time (`BEGIN IMMEDIATE`), so global positions are assigned and
 * committed in the same order: readers never see a gap, even with writers in other processes.
 * Stores opened on the same file in one process share one connection (sqlite-connection.ts).
 */
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { checkPositive, checkStream } from "./checks.js";
import { eventFromRaw } from "./event-rows.js";
import type {
  AppendOptions,
  CommandRecord,
  EventStore,
  ReadStreamOptions,
  Snapshot,
  SqlExecutor,
  StoreOptions,
  StoreTransaction,
} from "./event-store.js";
import { HeadNotifier } from "./head-notifier.js";
import type { Outbox, OutboxRow } from "./outbox.js";
import { commandFromRow, SqliteConnection, type Statements } from "./sqlite-connection.js";
import { SqliteTransaction } from "./sqlite-transaction.js";
import Sqlite from "better-sqlite3";
import { existsSync } from "node:fs";

/**
 * Whether the SQLite file holds an event store (its `eda_events` table), read without writing: no
 * for a missing file or a database without it. A file that cannot be read as a database answers
 * yes, so that the open that follows fails and says why (not a database, no permission).
 */
export function holdsEventStore(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'eda_events'").get() !== undefined;
  } catch {
    return true;
  } finally {
    db?.close();
  }
}

/** An `EventStore` in a SQLite file. */
export class SqliteEventStore implements EventStore {
  readonly engine = "sqlite";
  readonly outbox: Outbox;
  readonly autocommit: SqlExecutor;
  private readonly connection: SqliteConnection;
  private readonly st: Statements;
  private readonly notifier: HeadNotifier;
  private readonly wake: () => void;
  private readonly clock: () => Date;

  /** Opens `file` (created with its directory when missing); `:memory:` for a private database. */
  constructor(
    readonly file: string,
    options: StoreOptions = {},
  ) {
    this.connection = SqliteConnection.acquire(file);
    this.st = this.connection.st;
    this.clock = options.clock ?? (() => new Date());
    this.notifier = new HeadNotifier(options.pollIntervalMs ?? 250);
    this.wake = () => this.notifier.notify();
    this.connection.appended.add(this.wake);
    this.outbox = {
      fetchUnsent: async (limit) => this.fetchUnsent(limit),
      markSent: (ids) => this.markSent(ids),
    };
    // Under the mutex: never inside another caller's open transaction (its writes may roll back).
    const { side, mutex } = this.connection;
    const sql = new SqliteTransaction(side).sql;
    this.autocommit = { dialect: "sqlite", query: (text, params) => mutex.run(() => sql.query(text, params)) };
    this.session = (fn) => mutex.run(() => fn(sql));
  }

  /** `fn` with the connection to itself: no other work of this process runs until it is done. */
  readonly session: <T>(fn: (sql: SqlExecutor) => Promise<T>) => Promise<T>;

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkStream(stream);
    const { mutex, appendTx, appended } = this.connection;
    const time = this.clock().toISOString();
    const result = await mutex.run(() => appendTx(stream, events, expected, options, time));
    if (events.length > 0) for (const wake of appended) wake();
    return result;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const until = options.until?.toISOString() ?? null;
    const rows = this.st.readStream.all(
      stream, options.fromPosition ?? 0, options.toPosition ?? Number.MAX_SAFE_INTEGER, until, until,
    );
    return rows.map(eventFromRaw);
  }

  async streamPosition(stream: string): Promise<number | null> {
    return this.st.streamHead.get(stream) ?? null;
  }

  async readAll(fromGlobalPosition: number, batchSize: number): Promise<StoredEvent[]> {
    checkPositive("batchSize", batchSize);
    return this.st.readAll.all(fromGlobalPosition, batchSize).map(eventFromRaw);
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
    return this.connection.mutex.run(() => {
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
    const { db, mutex, side } = this.connection;
    return mutex.run(async () => {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(new SqliteTransaction(side));
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  private fetchUnsent(limit: number): OutboxRow[] {
    checkPositive("limit", limit);
    return this.st.unsent.all(limit).map((row) => ({ id: row[0], envelope: eventFromRaw(row) }));
  }

  private markSent(ids: readonly number[]): Promise<void> {
    const deleteAll = this.connection.db.transaction((list: readonly number[]) => {
      for (const id of list) this.st.markSent.run(id);
    });
    return this.connection.mutex.run(() => deleteAll.immediate(ids));
  }

  async close(): Promise<void> {
    if (!this.connection.appended.delete(this.wake)) return;
    this.notifier.close();
    await this.connection.release();
  }
}
