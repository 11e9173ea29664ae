/** The SQLite store's transaction: the caller has begun a transaction on `db`. */
import type { Database, Statement } from "better-sqlite3";
import { rowJson } from "./checks.js";
import type { Checkpoint, SqlExecutor, StoreTransaction } from "./event-store.js";

/** Prepared statements for the side tables, built once per connection. */
export class SqliteSideTables {
  readonly getRow: Statement<[string, string], { row_value: string }>;
  readonly listRows: Statement<[string], { row_key: string; row_value: string }>;
  readonly putRow: Statement<[string, string, string]>;
  readonly deleteRow: Statement<[string, string]>;
  readonly clearRows: Statement<[string]>;
  readonly getCheckpoint: Statement<[string], { position: number; last_event_time: string | null }>;
  readonly setCheckpoint: Statement<[string, number, string | null]>;
  readonly deleteCheckpoint: Statement<[string]>;
  readonly markProcessed: Statement<[string, string, string]>;
  private readonly prepared = new Map<string, Statement<unknown[]>>();

  constructor(readonly db: Database) {
    this.getRow = db.prepare("SELECT row_value FROM eda_rows WHERE table_name = ? AND row_key = ?");
    this.listRows = db.prepare("SELECT row_key, row_value FROM eda_rows WHERE table_name = ? ORDER BY row_key");
    this.putRow = db.prepare(
      "INSERT INTO eda_rows (table_name, row_key, row_value) VALUES (?, ?, ?) " +
        "ON CONFLICT (table_name, row_key) DO UPDATE SET row_value = excluded.row_value",
    );
    this.deleteRow = db.prepare("DELETE FROM eda_rows WHERE table_name = ? AND row_key = ?");
    this.clearRows = db.prepare("DELETE FROM eda_rows WHERE table_name = ?");
    this.getCheckpoint = db.prepare("SELECT position, last_event_time FROM eda_checkpoints WHERE name = ?");
    this.setCheckpoint = db.prepare(
      "INSERT INTO eda_checkpoints (name, position, last_event_time) VALUES (?, ?, ?) " +
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position, last_event_time = excluded.last_event_time",
    );
    this.deleteCheckpoint = db.prepare("DELETE FROM eda_checkpoints WHERE name = ?");
    this.markProcessed = db.prepare("INSERT OR IGNORE INTO eda_processed (consumer, message_id, processed_at) VALUES (?, ?, ?)");
  }

  /** A cached prepared statement for raw SQL. */
  statement(sql: string): Statement<unknown[]> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (this.prepared.size < 200) this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/** A `StoreTransaction` over a SQLite connection with an open transaction. */
export class SqliteTransaction implements StoreTransaction {
  readonly sql: SqlExecutor;

  constructor(private readonly s: SqliteSideTables) {
    this.sql = {
      dialect: "sqlite",
      query: async <Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
        const statement = s.statement(sql);
        if (statement.reader) return statement.all(...params) as Row[];
        statement.run(...params);
        return [];
      },
    };
  }

  async getRows(table: string, keys: readonly string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    for (const key of keys) {
      const row = this.s.getRow.get(table, key);
      if (row !== undefined) found.set(key, JSON.parse(row.row_value) as unknown);
    }
    return found;
  }

  async listRows(table: string): Promise<Map<string, unknown>> {
    const rows = this.s.listRows.all(table);
    return new Map(rows.map((r) => [r.row_key, JSON.parse(r.row_value) as unknown]));
  }

  async putRow(table: string, key: string, row: unknown): Promise<void> {
    this.s.putRow.run(table, key, rowJson(table, key, row));
  }

  async deleteRow(table: string, key: string): Promise<void> {
    this.s.deleteRow.run(table, key);
  }

  async clearRows(table: string): Promise<void> {
    this.s.clearRows.run(table);
  }

  async getCheckpoint(name: string): Promise<Checkpoint | null> {
    const row = this.s.getCheckpoint.get(name);
    return row === undefined ? null : { position: row.position, lastEventTime: row.last_event_time };
  }

  async setCheckpoint(name: string, checkpoint: Checkpoint): Promise<void> {
    this.s.setCheckpoint.run(name, checkpoint.position, checkpoint.lastEventTime);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.s.deleteCheckpoint.run(name);
  }

  async markProcessed(consumer: string, messageId: string): Promise<boolean> {
    return this.s.markProcessed.run(consumer, messageId, new Date().toISOString()).changes === 1;
  }
}
