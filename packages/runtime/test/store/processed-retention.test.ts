/**
 * Retention of processed-message ids: a store made with the schema before `processed_at`
 * (version 1) gains the column when opened, its ids stamped with the migration time and still
 * deduplicated; `pruneProcessedMessages` drops only the ids older than the window, in batches,
 * on SQLite and PostgreSQL; a started app prunes to its `retention` window.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/app.js";
import { openStore } from "../../src/engine/open-store.js";
import { pruneProcessedMessages } from "../../src/consumer/processed-messages.js";
import type { EventStore } from "../../src/store/event-store.js";
import type { EventCodec } from "../../src/types.js";
import { acceptAll } from "../support/codec.js";
import { createPgDatabase, eventually } from "./support.js";

const DAY = 24 * 3_600_000;
/** The table as version 1 of both schemas made it. */
const OLD_TABLE = "CREATE TABLE eda_processed (consumer TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (consumer, message_id))";

interface OldStore {
  readonly url: string;
  /** Plain SQL from outside the runtime. */
  run(sql: string, params?: unknown[]): Promise<void>;
  dispose(): Promise<void>;
}

async function oldSqlite(): Promise<OldStore> {
  const dir = mkdtempSync(join(tmpdir(), "eda-retention-"));
  const file = join(dir, "old.db");
  const db = new Sqlite(file);
  db.exec(`${OLD_TABLE} WITHOUT ROWID`);
  db.pragma("user_version = 1");
  db.close();
  return {
    url: `sqlite:${file}`,
    run: async (sql, params = []) => {
      const c = new Sqlite(file);
      c.prepare(sql).run(...params);
      c.close();
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function oldPostgres(): Promise<OldStore> {
  const database = await createPgDatabase();
  const run = async (sql: string, params: unknown[] = []): Promise<void> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split("?").length}`), params);
    await client.end();
  };
  await run(OLD_TABLE);
  return { url: database.url, run, dispose: database.drop };
}

const mark = (store: EventStore, id: string): Promise<boolean> => store.transaction((tx) => tx.markProcessed("Shipping.onOrderPaid", id));

const opened: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of opened.reverse()) await close().catch(() => undefined);
  opened.length = 0;
});

describe.each([
  ["SQLite", oldSqlite],
  ["PostgreSQL", oldPostgres],
])("processed-message retention on %s", (_name, makeOld) => {
  it("migrates a store of the previous schema and prunes only the ids older than the window", async () => {
    const old = await makeOld();
    opened.push(() => old.dispose());
    await old.run("INSERT INTO eda_processed (consumer, message_id) VALUES (?, ?)", ["Shipping.onOrderPaid", "before-migration"]);

    const store = await openStore(old.url);
    opened.unshift(() => store.close());
    // The id recorded before the column existed is still a duplicate, and is kept a window from now.
    expect(await mark(store, "before-migration")).toBe(false);
    expect(await pruneProcessedMessages(store, { olderThanMs: DAY })).toBe(0);

    expect(await mark(store, "recent")).toBe(true);
    for (let i = 0; i < 5; i++) expect(await mark(store, `stale-${i}`)).toBe(true);
    await old.run("UPDATE eda_processed SET processed_at = ? WHERE message_id LIKE 'stale-%' OR message_id = 'before-migration'", [
      store.engine === "postgres" ? new Date(Date.now() - 40 * DAY) : new Date(Date.now() - 40 * DAY).toISOString(),
    ]);
    // A window longer than their age keeps them; the default (30 days) drops them, two per transaction.
    expect(await pruneProcessedMessages(store, { olderThanMs: 50 * DAY })).toBe(0);
    expect(await pruneProcessedMessages(store, { batchSize: 2 })).toBe(6);
    expect(await mark(store, "stale-3")).toBe(true); // forgotten: a redelivery now would run again
    expect(await mark(store, "before-migration")).toBe(true);
    expect(await mark(store, "recent")).toBe(false);

    // Opening the migrated store again changes nothing.
    await store.close();
    const again = await openStore(old.url);
    opened.unshift(() => again.close());
    expect(await mark(again, "recent")).toBe(false);
    expect(await pruneProcessedMessages(again)).toBe(0);
  }, 60_000);
});

describe("pruneProcessedMessages", () => {
  it("refuses a window that is not a positive duration, and leaves the memory store alone", async () => {
    const store = await openStore("memory:");
    opened.push(() => store.close());
    await expect(pruneProcessedMessages(store, { olderThanMs: 0 })).rejects.toThrow("the processed-message retention must be a positive number of milliseconds, not 0");
    expect(await mark(store, "a")).toBe(true);
    expect(await pruneProcessedMessages(store, { olderThanMs: 1 })).toBe(0);
    expect(await mark(store, "a")).toBe(false);
  });
});

describe("the app's retention", () => {
  const codec: EventCodec = { deserialize: (stored) => ({ type: stored.type }), currentVersion: () => 1, redact: () => ({}), ...acceptAll() };
  const model = { codec, routes: {}, projections: [] };

  it("prunes the ids older than its window when started, and refuses a bad window", async () => {
    const old = await oldSqlite();
    opened.push(() => old.dispose());
    const store = await openStore(old.url);
    opened.unshift(() => store.close());
    for (const id of ["stale", "recent"]) await mark(store, id);
    await old.run("UPDATE eda_processed SET processed_at = ? WHERE message_id = 'stale'", [new Date(Date.now() - 2 * DAY).toISOString()]);
    await expect(createApp(model, { store, bus: "memory:", retention: { processedMessagesMs: -1 } })).rejects.toThrow("retention.processedMessagesMs must be a positive number of milliseconds, not -1");

    const app = await createApp(model, { store, bus: "memory:", retention: { processedMessagesMs: DAY } });
    app.start();
    await eventually("the stale id pruned", async () => (await mark(store, "stale")) === true);
    expect(await mark(store, "recent")).toBe(false);
    await app.close();
  }, 30_000);
});
