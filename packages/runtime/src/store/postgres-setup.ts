/**
 * What opening a PostgreSQL store does to its database before anything else: tell whether it
 * holds an event store (`openStore(url, { existing: true })` refuses one that does not), and
 * create or complete the schema — tables, append-only triggers, key tables and functions.
 */
import type pg from "pg";
import { PG_IMMUTABLE_HISTORY } from "./immutable-history.js";
import { KEY_TABLES_SQL } from "./key-tables.js";
import { PG_APPEND_FUNCTION } from "./postgres-append.js";
import { PG_APPEND_MANY_FUNCTION } from "./postgres-append-batch.js";
import { PG_READ_FUNCTIONS } from "./postgres-read.js";
import { PG_SCHEMA, PG_SCHEMA_LOCK } from "./postgres-schema.js";

/** Whether the database holds an event store: `eda_events` on the search path. */
export async function holdsEventStore(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>("SELECT to_regclass('eda_events') IS NOT NULL AS found");
  return rows[0]?.found === true;
}

/** Creates the schema under an advisory lock, so that processes starting together do not race. */
export async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  // Checked-out clients have no listener of the pool's: a connection lost now must not crash.
  let broken: Error | undefined;
  client.on("error", (error) => void (broken = error));
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [PG_SCHEMA_LOCK]);
    await client.query(PG_SCHEMA);
    await client.query(PG_IMMUTABLE_HISTORY);
    for (const sql of KEY_TABLES_SQL) await client.query(sql);
    await client.query(PG_APPEND_FUNCTION);
    await client.query(PG_APPEND_MANY_FUNCTION);
    await client.query(PG_READ_FUNCTIONS);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch((e: unknown) => void (broken ??= e instanceof Error ? e : new Error(String(e))));
    throw error;
  } finally {
    client.release(broken);
  }
}
