/**
 * Test support shared by the runtime's store, pipeline, projection and fault tests: one factory
 * per engine, each giving a fresh store (a temp SQLite file, or a PostgreSQL database with a
 * random name that is dropped afterwards).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { MemoryEventStore } from "../../src/store/memory-store.js";
import { PostgresEventStore } from "../../src/store/postgres-store.js";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import type { EventStore, StoreOptions } from "../../src/store/event-store.js";
import type { NewEvent } from "../../src/types.js";

/** The server the tests use; its `postgres` database is only used to create and drop others. */
export const PG_ADMIN_URL = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A place for one test's store: `open` may be called several times (several connections). */
export interface StoreHarness {
  readonly engine: "memory" | "sqlite" | "postgres";
  /** The store URL (`memory:` cannot be reopened: every open shares one instance). */
  readonly url: string;
  open(options?: StoreOptions): Promise<EventStore>;
  /** Closes every store opened here and removes the file or database. */
  dispose(): Promise<void>;
}

/** Creates a PostgreSQL database with a random name; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `eda_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh harness for one engine. */
export async function createHarness(engine: StoreHarness["engine"]): Promise<StoreHarness> {
  const opened: EventStore[] = [];
  const track = (store: EventStore): EventStore => (opened.push(store), store);
  const closeAll = async (): Promise<void> => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
  };
  if (engine === "memory") {
    let shared: MemoryEventStore | undefined;
    const open = async (options?: StoreOptions): Promise<EventStore> =>
      (shared ??= track(new MemoryEventStore(options)) as MemoryEventStore);
    return { engine, url: "memory:", open, dispose: closeAll };
  }
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "eda-store-"));
    const file = join(dir, "events.db");
    const open = async (options?: StoreOptions): Promise<EventStore> => track(new SqliteEventStore(file, options));
    const dispose = async (): Promise<void> => {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    };
    return { engine, url: `sqlite:${file}`, open, dispose };
  }
  const db = await createPgDatabase();
  const open = async (options?: StoreOptions): Promise<EventStore> =>
    track(await PostgresEventStore.open(db.url, { pollIntervalMs: 100, ...options }));
  const dispose = async (): Promise<void> => {
    await closeAll();
    await db.drop();
  };
  return { engine, url: db.url, open, dispose };
}

/** Every engine, for `describe.each`. */
export const ENGINES = ["memory", "sqlite", "postgres"] as const;

let counter = 0;

/** A new event with a unique message id. */
export function newEvent(type: string, payload: unknown, extra: Partial<NewEvent> = {}): NewEvent {
  counter += 1;
  return {
    messageId: `m-${process.pid}-${counter}-${randomBytes(3).toString("hex")}`,
    type,
    version: 1,
    correlationId: "corr-1",
    causationId: null,
    payload,
    ...extra,
  };
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws with `what`). */
export async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
