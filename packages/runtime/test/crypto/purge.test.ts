/**
 * A forgotten data key is gone from the database's files, not only from its table: after
 * `forget` (which purges), neither the SQLite file nor its write-ahead log, nor PostgreSQL's
 * table file, holds the key's bytes, though the subject's events were appended (their first key
 * written by the append) among enough other subjects for the key table to split its pages. A
 * reader holding an older snapshot keeps the purge from finishing, and the report says so; the
 * next purge, once it is gone, finishes. A master-key rotation leaves no unwrapped key behind.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { purgeDeletedKeys, type PurgeReport } from "../../src/crypto/purge.js";
import type { KeyStore } from "../../src/crypto/key-store.js";
import { rewrapKeys } from "../../src/crypto/rewrap-keys.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { emails, registered, table } from "./registered.js";

let harness: StoreHarness | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await harness?.dispose();
  harness = undefined;
});

/** The stored form of each key of `subject` (base64 of the key, or its wrapped form). */
async function storedKeys(store: EventStore, subject: string): Promise<string[]> {
  const p = store.engine === "postgres" ? "$1" : "?";
  const rows = await store.transaction((tx) => tx.sql!.query<{ key_data: string }>(`SELECT key_data FROM eda_subject_keys WHERE subject = ${p}`, [subject]));
  return rows.map((r) => r.key_data);
}

/** Whether any of the database's files holds `text` (SQLite: the file, its log and shared memory; PostgreSQL: the key table's file). */
async function filesHold(url: string, text: string): Promise<boolean> {
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length);
    return [file, `${file}-wal`, `${file}-shm`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(text)));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CHECKPOINT"); // the table's pages written to its file
    const { rows } = await client.query<{ holds: boolean }>(
      "SELECT position(convert_to($1, 'UTF8') IN pg_read_binary_file(pg_relation_filepath('eda_subject_keys'))) > 0 AS holds",
      [text],
    );
    return rows[0]!.holds;
  } finally {
    await client.end();
  }
}

/** A reader that keeps a snapshot from before whatever comes next, until `end`. */
async function oldSnapshot(url: string): Promise<{ end: () => Promise<void> }> {
  if (url.startsWith("sqlite:")) {
    const db = new Sqlite(url.slice("sqlite:".length));
    db.exec("BEGIN");
    db.prepare("SELECT count(*) FROM eda_subject_keys").get();
    return { end: async () => void (db.exec("COMMIT"), db.close()) };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  await client.query("SELECT count(*) FROM eda_subject_keys");
  return { end: async () => void (await client.query("COMMIT"), await client.end()) };
}

/** A store of `engine` where Ada's first key was made by her append, among 300 other subjects' keys. */
async function open(engine: "sqlite" | "postgres") {
  harness ??= await createHarness(engine);
  const inner = await harness.open();
  const store = encryptedStore(inner, table, sqlKeyStore(inner));
  // Ada's first key written by her append, then enough subjects for the key table to split pages.
  await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
  // One at a time, as customers come: each append its own transaction (SQLite: each split of
  // a key table page its own, which without secure_delete leaves old bytes in the new pages).
  for (let i = 0; i < 300; i++) {
    await store.append(`customers-${Math.floor(i / 50)}`, [registered(`c-${i}-${randomBytes(6).toString("hex")}`, `someone${i}@example.org`)], { kind: i % 50 === 0 ? "no-stream" : "any" });
  }
  // And the newest key of all (PostgreSQL: the row nearest its page's free space).
  await store.append("customer-zed", [registered("c-zed", "zed@example.org")], { kind: "no-stream" });
  const [key] = await storedKeys(inner, "c-ada");
  expect(key).toBeDefined();
  expect(await filesHold(harness.url, key!)).toBe(true);
  return { inner, store, key: key! };
}

/**
 * Purges until no reader holds the deleted keys back, for at most 15 s: on the shared server, other
 * tests' transactions (in any database) come and go, and each holds them back while it runs.
 */
async function purged(keys: KeyStore): Promise<PurgeReport> {
  for (const until = Date.now() + 15_000; ; ) {
    const report = await keys.purge!();
    if (report.complete || Date.now() > until) return report;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.each(["sqlite", "postgres"] as const)("a forgotten key on %s", (engine) => {
  it("leaves no copy of the key in the database's files", async () => {
    const { store, inner, key } = await open(engine);
    const [newest] = await storedKeys(inner, "c-zed");
    expect(await store.forget("c-ada")).toBe(1);
    expect(await store.forget("c-zed")).toBe(1);
    expect((await purged(store.keys)).complete).toBe(true);
    expect(await filesHold(harness!.url, key)).toBe(false);
    expect(await filesHold(harness!.url, newest!)).toBe(false);
    expect(await emails(store, "customer-ada")).toEqual([FORGOTTEN]);
    // The others read as they were.
    expect((await store.readStream("customers-5")).length).toBe(50);
  });

  it("says when a reader's older snapshot keeps a copy, and finishes on the next purge", async () => {
    const { store, key } = await open(engine);
    const reader = await oldSnapshot(harness!.url);
    cleanups.push(() => reader.end().catch(() => undefined));
    expect(await store.forget("c-ada", { purge: false })).toBe(1);
    const held = await store.keys.purge!();
    expect(held.complete).toBe(false);
    expect(held.detail).toMatch(engine === "sqlite" ? /another process is using the database/ : /\d+ transactions? that began before the deletion .* can still see the deleted keys?;/);
    await reader.end();
    const done = await purged(store.keys);
    expect(done).toEqual({ complete: true, detail: expect.any(String) });
    expect(await filesHold(harness!.url, key)).toBe(false);
  });

  it("leaves no copy of a subject's many keys (pages the forget frees), and the connection's setting as it was", async () => {
    const { store, inner } = await open(engine);
    for (let i = 0; i < 150; i++) await store.rotate("c-ada");
    const keys = await storedKeys(inner, "c-ada");
    expect(keys).toHaveLength(151);
    expect(await store.forget("c-ada")).toBe(151);
    expect((await purged(store.keys)).complete).toBe(true);
    for (const key of keys) expect(await filesHold(harness!.url, key)).toBe(false);
    // SQLite: the forget's `secure_delete = ON` undone, back to the store's FAST (2).
    if (engine === "sqlite") expect(await inner.autocommit!.query("PRAGMA secure_delete")).toEqual([{ secure_delete: 2 }]);
  });

  it("leaves no copy in a page the key table split before the forget", async () => {
    harness ??= await createHarness(engine);
    const inner = await harness.open();
    const keys = sqlKeyStore(inner);
    // Two first keys in the table's first page, then subjects one by one until it splits.
    const key = (await keys.ensureKeys(["c-ada", "c-bob"])).get("c-ada")![0]!.key.toString("base64");
    for (let i = 0; i < 50; i++) await keys.ensureKeys([`filler-${i}`]);
    expect(await keys.forget("c-ada")).toBe(1);
    expect((await purged(keys)).complete).toBe(true);
    expect(await filesHold(harness.url, key)).toBe(false);
  });

  it("a master-key rotation leaves no unwrapped key behind", async () => {
    const { inner, key } = await open(engine);
    const report = await rewrapKeys(inner, { to: randomBytes(32) });
    expect(report.rewrapped).toBeGreaterThan(300);
    // Its own purge, or one run after it when another test's transaction held that one back.
    expect(report.purge.complete || (await purged(sqlKeyStore(inner))).complete).toBe(true);
    expect((await storedKeys(inner, "c-ada"))[0]).toMatch(/^w1:/);
    expect(await filesHold(harness!.url, key)).toBe(false);
  });
});

it("the memory store has nothing to purge", async () => {
  harness = await createHarness("memory");
  expect(await purgeDeletedKeys(await harness.open())).toEqual({ complete: true, detail: expect.stringMatching(/memory/) });
});

describe("a forgotten key on postgres", () => {
  it("is not reported purged while a transaction with an older id idles without a snapshot", async () => {
    const { store, key } = await open("postgres");
    // READ COMMITTED, it wrote (an id) and waits: no snapshot (backend_xmin), but VACUUM FULL keeps what it may see.
    const other = new pg.Client({ connectionString: harness!.url });
    await other.connect();
    cleanups.push(() => other.end().catch(() => undefined));
    await other.query("CREATE TABLE unrelated (x int)");
    await other.query("BEGIN");
    await other.query("INSERT INTO unrelated VALUES (1)");
    expect(await store.forget("c-ada", { purge: false })).toBe(1);
    const held = await store.keys.purge!();
    expect(held).toEqual({ complete: false, detail: expect.stringMatching(/transactions? that began before the deletion/) });
    await other.query("ROLLBACK");
    expect((await purged(store.keys)).complete).toBe(true);
    expect(await filesHold(harness!.url, key)).toBe(false);
  });

  it("waits at most 2 s for a transaction holding the key table, then says so", async () => {
    const { store, inner, key } = await open("postgres");
    expect(await store.forget("c-ada", { purge: false })).toBe(1);
    // Begun after the forget (no older snapshot), holding the table's lock until it ends.
    const holder = new pg.Client({ connectionString: harness!.url });
    await holder.connect();
    cleanups.push(() => holder.end().catch(() => undefined));
    await holder.query("BEGIN");
    await holder.query("SELECT count(*) FROM eda_subject_keys");
    const held = await store.keys.purge!();
    expect(held).toEqual({ complete: false, detail: expect.stringMatching(/kept the key table locked for more than 2 s/) });
    // The purge's lock timeout went with its connection: none of the pool's has it.
    const timeouts = await Promise.all(Array.from({ length: 4 }, () => inner.autocommit!.query<{ lock_timeout: string }>("SHOW lock_timeout")));
    expect(timeouts.map(([row]) => row!.lock_timeout)).toEqual(["0", "0", "0", "0"]);
    await holder.query("COMMIT");
    expect(await purged(store.keys)).toEqual({ complete: true, detail: expect.any(String) });
    expect(await filesHold(harness!.url, key)).toBe(false);
  });
});
