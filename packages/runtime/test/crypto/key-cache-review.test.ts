/**
 * The key cache against answers that arrive late, on both SQL engines. A key-store call that
 * read before a `forget` may return after it, when another caller has moved the cache to the new
 * epoch already: what it read must not sit in the cache as if it were of that epoch — neither a
 * read adopting its older epoch (a transaction that checked the epoch once trusts the cache
 * afterwards), nor `ensureKeys`' answer (a key store without `draftKeys`, as a KMS adapter). And
 * an append that failed leaves its drafted first key out of the cache.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import type { KeyStore } from "../../src/crypto/key-store.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { WrongExpectedVersionError } from "../../src/types.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { table, registered, emails, signal, storeMessage, messageEmail } from "./registered.js";

/** A gate for one call: `entered` once the call reached it, the call goes on after `release`. */
function gate() {
  const entered = signal();
  const released = signal();
  return { entered: entered.promise, release: released.resolve, pass: async () => (entered.resolve(), released.promise) };
}

/**
 * `keys` where the next `readKeys` outside a transaction can be held once it has read (its answer
 * arrives late), and the next `ensureKeys` before and after it runs. `kms`: without `draftKeys`
 * and `database`, as a KMS adapter (first keys made by `ensureKeys`, not in the append).
 */
function lateAnswers(keys: KeyStore, kms = false) {
  let read: ReturnType<typeof gate> | undefined;
  let ensure: { before: ReturnType<typeof gate>; after: ReturnType<typeof gate> } | undefined;
  const store: KeyStore = {
    keysOf: (subjects, within) => keys.keysOf(subjects, within),
    rotate: (subject) => keys.rotate(subject),
    forget: (subject) => keys.forget(subject),
    ...(kms ? {} : { draftKeys: keys.draftKeys!.bind(keys), database: keys.database! }),
    readKeys: async (subjects, within) => {
      const answer = await keys.readKeys!(subjects, within);
      const held = within === undefined ? read : undefined;
      if (held !== undefined) {
        read = undefined;
        await held.pass();
      }
      return answer;
    },
    ensureKeys: async (subjects, within) => {
      const held = ensure;
      ensure = undefined;
      await held?.before.pass();
      const answer = await keys.ensureKeys(subjects, within);
      await held?.after.pass();
      return answer;
    },
  };
  return { store, holdRead: () => (read = gate()), holdEnsure: () => (ensure = { before: gate(), after: gate() }) };
}

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe.each(["sqlite", "postgres"] as const)("late key-store answers on %s", (engine) => {
  it("a read that began before a forget and ends after it does not hand a transaction the forgotten key", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const keys = lateAnswers(sqlKeyStore(inner));
    const store = encryptedStore(inner, table, keys.store);
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    await store.transaction(async (tx) => {
      await storeMessage(tx, engine, "ada-1", "c-ada", "ada@example.org");
      await storeMessage(tx, engine, "bob-1", "c-bob", "bob@example.org");
    });
    await store.rotate("c-zed"); // empties the cache: the next read of Ada's stream asks for her keys
    const late = keys.holdRead();
    const reading = emails(store, "customer-ada");
    await late.entered; // it read Ada's key, before the forget; its answer is held
    expect(await sqlKeyStore(await harness.open()).forget("c-ada")).toBe(1); // another process
    const checked = gate();
    const inTransaction = store.transaction(async (tx) => {
      const bob = await messageEmail(tx, engine, "bob-1"); // reads the epoch: the forget's
      await checked.pass();
      const ada = await messageEmail(tx, engine, "ada-1");
      await storeMessage(tx, engine, "ada-2", "c-ada", "ada@new.example.org"); // her data from now on
      return [bob, ada];
    });
    await checked.entered;
    late.release();
    expect(await reading).toEqual(["ada@example.org"]); // it began before the forget
    checked.release();
    expect(await inTransaction).toEqual(["bob@example.org", FORGOTTEN]);
    // What the transaction sealed after the forget reads, here and in another process.
    const fresh = encryptedStore(await harness.open(), table, sqlKeyStore(await harness.open()));
    for (const reader of [store, fresh]) expect(await reader.transaction((tx) => messageEmail(tx, engine, "ada-2"))).toBe("ada@new.example.org");
  });

  it("a KMS-like key store's first-key answer that read a key before a forget does not enter the cache after it", async () => {
    harness = await createHarness(engine);
    const innerA = await harness.open();
    const keys = lateAnswers(sqlKeyStore(innerA), true);
    const a = encryptedStore(innerA, table, keys.store);
    const innerB = await harness.open();
    const b = encryptedStore(innerB, table, sqlKeyStore(innerB)); // another process
    await a.append("customer-bob", [registered("c-bob", "bob@example.org")], { kind: "no-stream" }); // A knows the epoch
    const late = keys.holdEnsure();
    const appending = a.append("customer-ada-a", [registered("c-ada", "ada@a.example.org")], { kind: "no-stream" });
    await late.before.entered; // A found no key for Ada and is about to give her one
    await b.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" }); // B was first
    late.before.release();
    await late.after.entered; // A's key store answered with B's key for Ada
    expect(await b.forget("c-ada")).toBe(1);
    expect(await emails(a, "customer-bob")).toEqual(["bob@example.org"]); // A's cache moves to the forget's epoch
    late.after.release();
    await appending;
    expect(await emails(a, "customer-ada")).toEqual([FORGOTTEN]);
    const fresh = encryptedStore(await harness.open(), table, sqlKeyStore(await harness.open()));
    expect(await emails(fresh, "customer-ada")).toEqual([FORGOTTEN]);
  });

  it("an append that failed keeps its drafted key out of the cache: the next one does not seal under a key never stored", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("customer-ada", [registered("c-ada", "ada@example.org")], { kind: "no-stream" });
    await expect(store.append("customer-ada", [registered("c-zed", "zed@example.org")], { kind: "no-stream" })).rejects.toThrow(WrongExpectedVersionError);
    await store.append("customer-zed", [registered("c-zed", "zed@example.org")], { kind: "no-stream" });
    const fresh = encryptedStore(await harness.open(), table, sqlKeyStore(await harness.open()));
    expect(await emails(fresh, "customer-zed")).toEqual(["zed@example.org"]);
  });
});
