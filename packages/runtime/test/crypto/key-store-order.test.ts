/**
 * The SQL key store's `forget` and `rotate` against writers under way, on both engines. On
 * PostgreSQL a statement does not see rows another transaction has not committed: a `forget` that
 * deleted before waiting for the appends under way (they share-lock the key epoch) left the first
 * key such an append wrote, though the append committed before the forget returned; and a
 * `rotate` meeting another rotation (or a transaction's first key) for the same `seq` inserted
 * nothing and still returned its key id. SQLite runs one writer at a time: the same sequences
 * there check the outcome, not the interleaving.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, eventually, type StoreHarness } from "../store/support.js";
import { table, registered, emails, signal } from "./registered.js";

/** `store` whose next transaction, once armed, waits before it commits (its work done, its locks held). */
function holdableCommits(store: EventStore) {
  let held: { entered: () => void; released: Promise<void> } | undefined;
  const wrapped = new Proxy(store, {
    get: (target, prop) => {
      if (prop === "transaction") {
        return <T>(fn: Parameters<EventStore["transaction"]>[0]) =>
          target.transaction(async (tx) => {
            const result = (await fn(tx)) as T;
            const hold = held;
            held = undefined;
            if (hold !== undefined) {
              hold.entered();
              await hold.released;
            }
            return result;
          });
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const holdNext = () => {
    const entered = signal();
    const released = signal();
    held = { entered: entered.resolve, released: released.promise };
    return { entered: entered.promise, release: released.resolve };
  };
  return { store: wrapped, holdNext };
}

let harness: StoreHarness | undefined;
let client: pg.Client | undefined;
afterEach(async () => {
  await client?.end();
  client = undefined;
  await harness?.dispose();
  harness = undefined;
});

describe.each(["sqlite", "postgres"] as const)("forget and rotate beside writers on %s", (engine) => {
  const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
  const keyIds = async (inner: EventStore, subject: string) =>
    (await inner.transaction((tx) => tx.sql!.query<{ key_id: string }>(`SELECT key_id FROM eda_subject_keys WHERE subject = ${p(1)} ORDER BY seq`, [subject]))).map((r) => r.key_id);
  /** A key store of another process, its tables made sure of (that DDL would wait for the locks held below). */
  const otherKeys = async () => {
    const keys = sqlKeyStore(await harness!.open());
    await keys.keysOf(["c-nobody"]);
    return keys;
  };
  /** PostgreSQL: waits until `n` sessions of the test's database wait for a lock (SQLite queues in the process). */
  const lockWaits = async (n: number) => {
    if (engine === "sqlite") return;
    client ??= new pg.Client({ connectionString: harness!.url });
    if (client.listeners("error").length === 0) await client.connect().then(() => client!.on("error", () => undefined));
    await eventually(`${n} sessions waiting for a lock`, async () => {
      const { rows } = await client!.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      return Number(rows[0]!.n) >= n;
    });
  };

  it("a forget deletes the first key of an append that committed before it returned", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" }); // the epoch is known
    const other = await otherKeys();
    let blocker: pg.Client | undefined;
    if (engine === "postgres") {
      // Stops the append after it share-locked the epoch and wrote Ada's first key, before its outbox row.
      blocker = new pg.Client({ connectionString: harness.url });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE eda_outbox IN EXCLUSIVE MODE");
    }
    const appending = store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    await lockWaits(1);
    const forgetting = other.forget("c-ada"); // another process
    await lockWaits(2);
    await blocker?.query("ROLLBACK");
    await blocker?.end();
    await appending;
    await forgetting;
    expect(await keyIds(inner, "c-ada")).toEqual([]);
    const fresh = encryptedStore(await harness.open(), table, sqlKeyStore(await harness.open()));
    expect(await emails(fresh, "customer-ada")).toEqual([FORGOTTEN]);
  });

  it("two rotations of one subject at once both keep their key", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    const held = holdableCommits(await harness.open());
    const first = sqlKeyStore(held.store);
    await first.keysOf(["c-ada"]); // its tables made sure of: the next transaction is the rotation's
    const other = await otherKeys();
    const hold = held.holdNext();
    const rotating = first.rotate("c-ada");
    await hold.entered; // inserted its key and moved the epoch, not committed
    const second = other.rotate("c-ada"); // another process
    await lockWaits(1);
    hold.release();
    const ids = [await rotating, await second];
    const stored = await keyIds(inner, "c-ada");
    expect(stored).toHaveLength(3);
    expect(stored.slice(1).sort()).toEqual([...ids].sort());
    await store.append("customer-ada", [registered("c-ada", "ada@new.example.org")], { kind: "exact", position: 0 });
    expect(await emails(store, "customer-ada")).toEqual(["ada@example.org", "ada@new.example.org"]);
  });

  it("a rotation beside a transaction giving the subject its first key keeps its key", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const held = holdableCommits(await harness.open());
    const keys = sqlKeyStore(held.store);
    await keys.keysOf(["c-new"]);
    const other = await otherKeys();
    const hold = held.holdNext();
    // A workflow transaction's first key (ensureKeys in it), not committed yet.
    const making = held.store.transaction((tx) => keys.ensureKeys(["c-new"], tx.sql));
    await hold.entered;
    const rotating = other.rotate("c-new");
    await lockWaits(1);
    hold.release();
    const made = (await making).get("c-new")!.map((k) => k.id);
    const rotated = await rotating;
    expect(await keyIds(inner, "c-new")).toEqual([...made, rotated]);
  });
});
