/**
 * The key cache under concurrency, on both SQL engines: a key a transaction made is not used by
 * anyone else before that transaction commits (it may roll back, and a message sealed under it
 * would read as forgotten for ever), and a read that found its subject's key does not lose it to
 * another caller changing the cache meanwhile (a rolled-back transaction, an eviction, a
 * rotation). Both once sealed or read a confirmation e-mail's address as forgotten while a
 * PostgreSQL failover rolled workflow transactions back (test/generated/failover.test.ts). And a
 * read that took a key from the cache before another caller moved the cache's epoch does not
 * trust that key: it may be one another process forgot.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import type { KeyStore } from "../../src/crypto/key-store.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { table, registered, emails, allEmails, signal, storeMessage } from "./registered.js";

/** `keys` whose reads outside a transaction can be held at their start (after the cache was checked). */
function holdableReads(keys: KeyStore) {
  let held: { entered: () => void; released: Promise<void> } | undefined;
  const store: KeyStore = {
    ...keys,
    readKeys: async (subjects, within) => {
      const hold = within === undefined ? held : undefined;
      if (hold !== undefined) {
        held = undefined;
        hold.entered();
        await hold.released;
      }
      return keys.readKeys!(subjects, within);
    },
  };
  /** Holds the next read: resolves `entered` when it starts; it goes on after `release`. */
  const holdNext = () => {
    const entered = signal();
    const released = signal();
    held = { entered: entered.resolve, released: released.promise };
    return { entered: entered.promise, release: released.resolve };
  };
  return { store, holdNext };
}

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe.each(["sqlite", "postgres"] as const)("data keys under concurrency on %s", (engine) => {
  it("an append meanwhile never seals under a first key made by a transaction that then rolls back", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" }); // the epoch is known
    const sealed = signal();
    const rollBack = signal();
    const failing = store.transaction(async (tx) => {
      await storeMessage(tx, engine, "c-new", "c-new", "c-new@example.org"); // gives c-new a first key, in this transaction
      sealed.resolve();
      await rollBack.promise;
      throw new Error("rolled back");
    });
    await sealed.promise;
    // Sealed as it is called (SQLite then waits for the transaction to end, PostgreSQL need not).
    const appending = store.append("customer-new", [registered("c-new", "new@example.org")], { kind: "no-stream" });
    rollBack.resolve();
    await expect(failing).rejects.toThrow("rolled back");
    await appending;
    const reader = encryptedStore(await harness.open(), table, sqlKeyStore(await harness.open()));
    expect(await emails(reader, "customer-new")).toEqual(["new@example.org"]);
    expect(await emails(store, "customer-new")).toEqual(["new@example.org"]);
  });

  it("a read keeps the key it found while a transaction that sealed for the same subject rolls back", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const keys = holdableReads(sqlKeyStore(inner));
    const store = encryptedStore(inner, table, keys.store);
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    expect(await emails(store, "customer-ada")).toEqual(["ada@example.org"]); // Ada's key is cached
    const hold = keys.holdNext();
    const reading = emails(store, "customer-ada");
    await hold.entered; // the read found Ada's key cached and checks the epoch
    const failing = store.transaction(async (tx) => {
      await storeMessage(tx, engine, "c-ada", "c-ada", "c-ada@example.org");
      throw new Error("rolled back");
    });
    await expect(failing).rejects.toThrow("rolled back");
    hold.release();
    expect(await reading).toEqual(["ada@example.org"]);
  });

  it("a read keeps the key it found while another read evicts it from a full cache", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const keys = holdableReads(sqlKeyStore(inner));
    const store = encryptedStore(inner, table, keys.store, { keyCacheSize: 1 });
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    await store.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" });
    expect(await emails(store, "customer-ada")).toEqual(["ada@example.org"]); // only Ada's key is cached
    const hold = keys.holdNext();
    const reading = emails(store, "customer-ada");
    await hold.entered;
    expect(await emails(store, "customer-bob")).toEqual(["bob@example.org"]); // Bob's key takes Ada's place
    hold.release();
    expect(await reading).toEqual(["ada@example.org"]);
  });

  it("a read does not trust a key it took from the cache when another read moved the cache's epoch meanwhile", async () => {
    harness = await createHarness(engine);
    const innerA = await harness.open();
    const keysA = holdableReads(sqlKeyStore(innerA));
    const a = encryptedStore(innerA, table, keysA.store);
    const innerB = await harness.open();
    const b = encryptedStore(innerB, table, sqlKeyStore(innerB)); // another process, same database
    await a.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    expect(await emails(a, "customer-ada")).toEqual(["ada@example.org"]); // A caches Ada's key
    await b.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" }); // A never saw Bob's key
    expect(await b.forget("c-ada")).toBe(1); // the epoch moves; A's cache does not know yet
    const hold = keysA.holdNext();
    const reading = allEmails(a); // takes Ada's key from the cache, reads Bob's (held)
    await hold.entered;
    // Another read on A reads the new epoch first: A's cache is emptied and adopts it.
    expect(await emails(a, "customer-ada")).toEqual([FORGOTTEN]);
    hold.release();
    // The held read meets the epoch the cache is at already, not the one Ada's key was taken at.
    expect(await reading).toEqual([
      ["c-ada", FORGOTTEN],
      ["c-bob", "bob@example.org"],
    ]);
  });
});
