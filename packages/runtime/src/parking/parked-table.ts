/**
 * Where parked events are kept, written through a `StoreTransaction` so that parking commits
 * with the runner's checkpoint: `eda_parked` on SQLite and PostgreSQL (created with the store's
 * schema), the row tables of the in-memory store.
 */
import type { SqlExecutor, StoreTransaction } from "../store/event-store.js";
import type { ParkedEvent, ParkReason } from "./parked.js";

/** The parked events of a store, inside one transaction. */
export interface ParkedTable {
  /** Records (or replaces) the parked event of `record.runner` at `record.globalPosition`. */
  park(record: ParkedEvent): Promise<void>;
  /** Forgets a parked event (it went through). */
  unpark(runner: string, globalPosition: number): Promise<void>;
  /** One parked event, or null. */
  get(runner: string, globalPosition: number): Promise<ParkedEvent | null>;
  /** Parked events of one runner, or of all, by runner then global position. */
  list(runner?: string): Promise<ParkedEvent[]>;
}

/** The table for a transaction of any store. */
export function parkedTable(tx: StoreTransaction): ParkedTable {
  return tx.sql === undefined ? new RowParkedTable(tx) : new SqlParkedTable(tx.sql);
}

const ROWS = "eda_parked";

class RowParkedTable implements ParkedTable {
  constructor(private readonly tx: StoreTransaction) {}

  park(record: ParkedEvent): Promise<void> {
    return this.tx.putRow(ROWS, key(record.runner, record.globalPosition), record);
  }

  unpark(runner: string, globalPosition: number): Promise<void> {
    return this.tx.deleteRow(ROWS, key(runner, globalPosition));
  }

  async get(runner: string, globalPosition: number): Promise<ParkedEvent | null> {
    const k = key(runner, globalPosition);
    return ((await this.tx.getRows(ROWS, [k])).get(k) as ParkedEvent | undefined) ?? null;
  }

  async list(runner?: string): Promise<ParkedEvent[]> {
    const all = [...(await this.tx.listRows(ROWS)).values()] as ParkedEvent[];
    return all
      .filter((p) => runner === undefined || p.runner === runner)
      .sort((a, b) => (a.runner < b.runner ? -1 : a.runner > b.runner ? 1 : a.globalPosition - b.globalPosition));
  }
}

function key(runner: string, globalPosition: number): string {
  return `${runner}\u0001${String(globalPosition).padStart(16, "0")}`;
}

const COLUMNS = "runner, global_position, stream, position, message_id, type, version, reason, path, error, blocking, attempts, parked_at";

interface ParkedRow {
  runner: string;
  global_position: number | string;
  stream: string;
  position: number | string;
  message_id: string;
  type: string;
  version: number;
  reason: string;
  path: string | null;
  error: string;
  blocking: boolean | number;
  attempts: number;
  parked_at: string;
}

class SqlParkedTable implements ParkedTable {
  constructor(private readonly sql: SqlExecutor) {}

  async park(p: ParkedEvent): Promise<void> {
    await this.query(
      `INSERT INTO eda_parked (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ` +
        "ON CONFLICT (runner, global_position) DO UPDATE SET reason = excluded.reason, path = excluded.path, " +
        "error = excluded.error, blocking = excluded.blocking, attempts = excluded.attempts, parked_at = excluded.parked_at",
      [p.runner, p.globalPosition, p.stream, p.position, p.messageId, p.type, p.version, p.reason, p.path, p.error, this.flag(p.blocking), p.attempts, p.parkedAt],
    );
  }

  async unpark(runner: string, globalPosition: number): Promise<void> {
    await this.query("DELETE FROM eda_parked WHERE runner = ? AND global_position = ?", [runner, globalPosition]);
  }

  async get(runner: string, globalPosition: number): Promise<ParkedEvent | null> {
    const rows = await this.query<ParkedRow>(`SELECT ${COLUMNS} FROM eda_parked WHERE runner = ? AND global_position = ?`, [runner, globalPosition]);
    const row = rows[0];
    return row === undefined ? null : fromRow(row);
  }

  async list(runner?: string): Promise<ParkedEvent[]> {
    const rows =
      runner === undefined
        ? await this.query<ParkedRow>(`SELECT ${COLUMNS} FROM eda_parked ORDER BY runner, global_position`, [])
        : await this.query<ParkedRow>(`SELECT ${COLUMNS} FROM eda_parked WHERE runner = ? ORDER BY global_position`, [runner]);
    return rows.map(fromRow);
  }

  private flag(value: boolean): boolean | number {
    return this.sql.dialect === "postgres" ? value : value ? 1 : 0;
  }

  /** Runs `sql` written with `?` placeholders, numbered `$n` for PostgreSQL. */
  private query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    if (this.sql.dialect === "sqlite") return this.sql.query<Row>(sql, params);
    let n = 0;
    return this.sql.query<Row>(sql.replace(/\?/g, () => `$${++n}`), params);
  }
}

function fromRow(row: ParkedRow): ParkedEvent {
  return {
    runner: row.runner,
    globalPosition: Number(row.global_position),
    stream: row.stream,
    position: Number(row.position),
    messageId: row.message_id,
    type: row.type,
    version: row.version,
    reason: row.reason as ParkReason,
    path: row.path,
    error: row.error,
    blocking: row.blocking === true || row.blocking === 1,
    attempts: row.attempts,
    parkedAt: row.parked_at,
  };
}
