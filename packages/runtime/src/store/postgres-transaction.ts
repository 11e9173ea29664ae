/** The PostgreSQL store's transaction: `client` has an open transaction. */
import type { Pool, PoolClient } from "pg";
import { rowJson } from "./checks.js";
import { Mutex } from "./mutex.js";
import type { Checkpoint, QueryOptions, SqlExecutor, StoreTransaction } from "./event-store.js";

/** Raw SQL through a pool (each statement on whichever connection is free) or one client. */
export function postgresSql(target: Pool | PoolClient): SqlExecutor {
  return {
    dialect: "postgres",
    query: async <Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Row[]> =>
      (await (options?.name === undefined ? target.query(sql, [...params]) : target.query({ name: options.name, text: sql, values: [...params] }))).rows as Row[],
  };
}

/** A `StoreTransaction` over a pooled client inside `BEGIN … COMMIT`. */
export class PostgresTransaction implements StoreTransaction {
  readonly sql: SqlExecutor;

  constructor(private readonly client: PoolClient) {
    this.sql = postgresSql(client);
  }

  async getRows(table: string, keys: readonly string[]): Promise<Map<string, unknown>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.client.query<{ row_key: string; row_value: unknown }>(
      "SELECT row_key, row_value FROM eda_rows WHERE table_name = $1 AND row_key = ANY($2::text[])",
      [table, [...keys]],
    );
    return new Map(rows.map((r) => [r.row_key, r.row_value]));
  }

  async listRows(table: string): Promise<Map<string, unknown>> {
    const { rows } = await this.client.query<{ row_key: string; row_value: unknown }>(
      "SELECT row_key, row_value FROM eda_rows WHERE table_name = $1 ORDER BY row_key",
      [table],
    );
    return new Map(rows.map((r) => [r.row_key, r.row_value]));
  }

  async putRow(table: string, key: string, row: unknown): Promise<void> {
    await this.client.query(
      "INSERT INTO eda_rows (table_name, row_key, row_value) VALUES ($1, $2, $3::jsonb) " +
        "ON CONFLICT (table_name, row_key) DO UPDATE SET row_value = excluded.row_value",
      [table, key, rowJson(table, key, row)],
    );
  }

  async deleteRow(table: string, key: string): Promise<void> {
    await this.client.query("DELETE FROM eda_rows WHERE table_name = $1 AND row_key = $2", [table, key]);
  }

  async clearRows(table: string): Promise<void> {
    await this.client.query("DELETE FROM eda_rows WHERE table_name = $1", [table]);
  }

  async getCheckpoint(name: string): Promise<Checkpoint | null> {
    // Held until commit: a second runner of the same projection waits, then sees the moved checkpoint.
    await this.client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`eda_checkpoint:${name}`]);
    const { rows } = await this.client.query<{ position: string; last_event_time: string | null }>(
      "SELECT position, last_event_time FROM eda_checkpoints WHERE name = $1",
      [name],
    );
    const row = rows[0];
    return row === undefined ? null : { position: Number(row.position), lastEventTime: row.last_event_time };
  }

  async setCheckpoint(name: string, checkpoint: Checkpoint): Promise<void> {
    await this.client.query(
      "INSERT INTO eda_checkpoints (name, position, last_event_time) VALUES ($1, $2, $3) " +
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position, last_event_time = excluded.last_event_time",
      [name, checkpoint.position, checkpoint.lastEventTime],
    );
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.client.query("DELETE FROM eda_checkpoints WHERE name = $1", [name]);
  }

  async markProcessed(consumer: string, messageId: string): Promise<boolean> {
    const result = await this.client.query(
      "INSERT INTO eda_processed (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [consumer, messageId],
    );
    return result.rowCount === 1;
  }
}

/**
 * `client` whose queries run one after another, in call order. A transaction's work may query
 * concurrently (a workflow walks a row's messages at once), and a failed query's ROLLBACK must not
 * be sent while the others still run: `pg` deprecates (and pg@9 refuses) a query sent to a client
 * that is executing one.
 */
export function oneQueryAtATime(client: PoolClient): PoolClient {
  const mutex = new Mutex();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  return new Proxy(client, {
    get: (target, prop) => {
      if (prop === "query") return (...args: unknown[]) => mutex.run(() => query(...args));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
