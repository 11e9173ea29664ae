/**
 * The key cache and the append's own keys: a subject forgotten by another process is never read
 * (nor sealed for) from this process's cache; a new subject's first key is written in the
 * append's transaction, once, even when two writers race; a rolled-back append leaves no key; the
 * cache is bounded.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import { KeyCache } from "../../src/crypto/key-cache.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import type { EventStore } from "../../src/store/event-store.js";
import { WrongExpectedVersionError } from "../../src/types.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { table, registered, emails } from "./registered.js";
import { recordStatements } from "../support/pg-statements.js";

let harness: StoreHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.dispose();
  harness = undefined;
});

/** Forgets `subject` from a child process through the built package (what `eda forget` does). */
async function forgetInAnotherProcess(url: string, subject: string): Promise<number> {
  const child = join(import.meta.dirname, "children", "forget-child.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [child, url, subject], { timeout: 30_000 });
  return (JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as { deleted: number }).deleted;
}

describe.each(["sqlite", "postgres"] as const)("data keys on %s", (engine) => {
  async function open() {
    harness ??= await createHarness(engine);
    const inner = await harness.open();
    return { inner, store: encryptedStore(inner, table, sqlKeyStore(inner)) };
  }
  const keyRows = async (inner: EventStore, subject: string) =>
    inner.transaction((tx) => tx.sql!.query<{ key_id: string }>(`SELECT key_id FROM eda_subject_keys WHERE subject = ${engine === "sqlite" ? "?" : "$1"}`, [subject]));

  it("never reads nor seals from its cache a key another process forgot", async () => {
    const { store } = await open();
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    expect(await emails(store, "customer-ada")).toEqual(["ada@example.org"]); // Ada's key is cached now
    expect(await forgetInAnotherProcess(harness!.url, "c-ada")).toBe(1);
    expect(await emails(store, "customer-ada")).toEqual([FORGOTTEN]);
    expect((await store.readAll(1, 10)).map((e) => (e.payload as { email: string }).email)).toEqual([FORGOTTEN]);
    // Her next event gets a new key (not the forgotten one, still cached until the epoch said otherwise).
    await store.append("customer-ada", [registered("c-ada", "ada@new.example.org")], { kind: "exact", position: 0 });
    const fresh = encryptedStore(await harness!.open(), table, sqlKeyStore(await harness!.open()));
    expect(await emails(fresh, "customer-ada")).toEqual([FORGOTTEN, "ada@new.example.org"]);
    expect(await keyRows(fresh, "c-ada")).toHaveLength(1);
  });

  it("an append sealing with a key forgotten meanwhile writes nothing, then seals under a new key", async () => {
    const { store, inner } = await open();
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    // Forgotten by a key store that is not this encrypted store's: only the database knows.
    expect(await sqlKeyStore(await harness!.open()).forget("c-ada")).toBe(1);
    await store.append("customer-ada", [registered("c-ada", "ada@later.example.org")], { kind: "exact", position: 0 });
    expect(await emails(store, "customer-ada")).toEqual([FORGOTTEN, "ada@later.example.org"]);
    expect(await keyRows(inner, "c-ada")).toHaveLength(1);
  });

  it("gives a new subject one first key when two writers append for it at once, and both events read", async () => {
    const { store: first } = await open();
    const second = encryptedStore(await harness!.open(), table, sqlKeyStore(await harness!.open()));
    await second.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" }); // its cache knows the epoch
    await first.append("order-1", [registered("c-new", "one@example.org")], { kind: "no-stream" });
    // The second writer has never heard of c-new: it drafts a key, meets the first's, and retries.
    await second.append("order-2", [registered("c-new", "two@example.org")], { kind: "no-stream" });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? first : second).append(`order-race-${i}`, [registered("c-race", `r${i}@example.org`)], { kind: "no-stream" })),
    );
    const reader = encryptedStore(await harness!.open(), table, sqlKeyStore(await harness!.open()));
    expect([...(await emails(reader, "order-1")), ...(await emails(reader, "order-2"))]).toEqual(["one@example.org", "two@example.org"]);
    for (let i = 0; i < 6; i++) expect(await emails(reader, `order-race-${i}`)).toEqual([`r${i}@example.org`]);
    expect(await keyRows(reader, "c-new")).toHaveLength(1);
    expect(await keyRows(reader, "c-race")).toHaveLength(1);
  });

  it("an append refused for its expected version leaves no key behind", async () => {
    const { store, inner } = await open();
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    await expect(store.append("customer-ada", [registered("c-zed", "zed@example.org")], { kind: "no-stream" })).rejects.toThrow(WrongExpectedVersionError);
    expect(await keyRows(inner, "c-zed")).toEqual([]);
  });
});

describe("encrypted appends on PostgreSQL", () => {
  it("cost one statement each, for new subjects and known ones alike, once the key epoch is read", async () => {
    harness = await createHarness("postgres");
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    const statements = recordStatements();
    const counted = async (stream: string, subject: string): Promise<number> => {
      statements.length = 0;
      await store.append(stream, [registered(subject, `${subject}@example.org`)], { kind: "no-stream" });
      // The NOTIFY that announces a committed append is sent after it, not waited for.
      return statements.filter((s) => !s.includes("pg_notify")).length;
    };
    // Once per key store: its tables made sure of (one transaction), the epoch read; then eda_append.
    await counted("first", "c-0");
    expect(statements.filter((s) => s.includes("eda_key_epoch WHERE id = 1"))).toHaveLength(1);
    expect(statements.filter((s) => s.includes("eda_append"))).toHaveLength(1);
    for (let i = 1; i <= 5; i++) expect(await counted(`new-${i}`, `c-${i}`)).toBe(1);
    for (let i = 1; i <= 5; i++) expect(await counted(`known-${i}`, `c-${i}`)).toBe(1);
    expect(statements.find((s) => !s.includes("pg_notify"))).toContain("eda_append");
  });
});

describe("the key cache", () => {
  it("keeps the most recently used subjects up to its size, and empties when the epoch moves", () => {
    const cache = new KeyCache(2);
    const key = (id: string) => [{ id, key: Buffer.alloc(32) }];
    cache.at(0);
    cache.set("a", key("ka"));
    cache.set("b", key("kb"));
    expect(cache.get("a")?.[0]?.id).toBe("ka"); // a is now the most recent
    cache.set("c", key("kc"));
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([true, false, true]);
    expect(cache.at(0)).toBe(false);
    expect(cache.size).toBe(2);
    expect(cache.at(1)).toBe(true);
    expect(cache.size).toBe(0);
  });
});
