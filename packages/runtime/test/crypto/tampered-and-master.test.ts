/**
 * Stored rows altered, and a master key that does not match the keys stored, on SQLite and
 * PostgreSQL.
 *
 * An event whose sealed entry is there but is not one (`"eda:enc": 5`), or that holds an entry
 * but names no subject, was read as it was: its personal fields were simply missing, which an
 * optional field then read as "never given". A process without EDA_MASTER_KEY in a database whose
 * keys are wrapped read every event as `TamperedFieldError` ("the stored value was altered"),
 * failed appends with libsodium's assertion, and stored new subjects' keys unwrapped; one with
 * another master key stored keys no other process could open. Each now fails clearly, and
 * writes nothing. `verifyStore` stopped at the first altered event (the encrypting store refuses
 * the whole read); it now reports it as `tampered` and reads on — a damaged key row as
 * `damaged-key`, an entry of a later cipher as `unknown-cipher` (both stopped it with an internal error).
 * Processes with and without a master key on one table each refuse the other's keys (a few rows
 * were sampled: a mix passed). An appended event holding an entry and a plain personal field is refused.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCodecTable } from "../../src/codec/table.js";
import { masterKeyFromEnv } from "../../src/crypto/app-encryption.js";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { TamperedFieldError } from "../../src/crypto/field-cipher.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { createCodec } from "../../src/codec/codec.js";
import { verifyStore, type UnreadableEvent } from "../../src/verify/verify-store.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";

/** A sign-up whose phone number is optional personal data (absent once forgotten). */
const table = defineCodecTable({
  events: {
    SignedUp: {
      current: 1,
      versions: {
        1: {
          schema: z.object({ customerId: z.string(), phone: z.string().optional() }),
          encrypt: { subject: "customerId", fields: { phone: "absent" } },
        },
      },
    },
  },
  commands: {},
});

const signedUp = (customerId: string, phone: string) => newEvent("SignedUp", { customerId, phone });

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function keyRows(inner: EventStore): Promise<{ subject: string; key_data: string }[]> {
  return inner.transaction((tx) => tx.sql!.query("SELECT subject, key_data FROM eda_subject_keys ORDER BY subject"));
}

describe.each(["sqlite", "postgres"] as const)("altered rows and master keys on %s", (engine) => {
  it("refuses an entry that is not a sealed entry, or one whose subject is gone, instead of reading the fields as never given", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("c-1", [signedUp("ada", "+44 20 7946 0000")], { kind: "no-stream" });
    const [stored] = await inner.readStream("c-1");
    const { customerId: _, ...withoutSubject } = stored!.payload as Record<string, unknown>;
    // Written as an attacker with access to the database would: past the encrypting store.
    await inner.append("c-2", [newEvent("SignedUp", { customerId: "ada", "eda:enc": 5 })], { kind: "no-stream" });
    await inner.append("c-3", [newEvent("SignedUp", { customerId: "ada", "eda:enc": "x" })], { kind: "no-stream" });
    await inner.append("c-4", [newEvent("SignedUp", withoutSubject)], { kind: "no-stream" });
    const reader = encryptedStore(await harness.open(), table, sqlKeyStore(inner));
    expect((await reader.readStream("c-1"))[0]!.payload).toEqual({ customerId: "ada", phone: "+44 20 7946 0000" });
    for (const stream of ["c-2", "c-3"]) {
      const read = reader.readStream(stream);
      await expect(read).rejects.toBeInstanceOf(TamperedFieldError);
      await expect(read).rejects.toThrow(/is not a sealed entry/);
    }
    await expect(reader.readStream("c-4")).rejects.toThrow(/its subject field "customerId" holds no id: the stored value was altered/);
    await expect(reader.readAll(1, 10)).rejects.toBeInstanceOf(TamperedFieldError);
    // The error says where the event is, and carries none of its payload (errors get logged whole).
    const error = (await reader.readStream("c-2").catch((e: unknown) => e)) as TamperedFieldError;
    expect(error.event).toEqual({ stream: "c-2", position: 0, globalPosition: 2, messageId: expect.any(String), type: "SignedUp", version: 1 });
  });

  it("a missing master key says so, on reads and appends, and stores no key unwrapped", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const master = randomBytes(32);
    await encryptedStore(inner, table, sqlKeyStore(inner, { masterKey: master })).append("c-1", [signedUp("ada", "1")], { kind: "no-stream" });
    const other = await harness.open();
    const unwrapped = encryptedStore(other, table, sqlKeyStore(other));
    const missing = /the data keys are stored wrapped under a master key, but the key store has none: set EDA_MASTER_KEY/;
    await expect(unwrapped.append("c-2", [signedUp("bob", "2")], { kind: "no-stream" })).rejects.toThrow(missing);
    await expect(unwrapped.readStream("c-1")).rejects.toThrow(missing);
    await expect(unwrapped.append("c-1", [signedUp("ada", "3")], { kind: "any" })).rejects.toThrow(missing);
    expect(await other.streamPosition("c-2")).toBeNull();
    expect((await keyRows(inner)).map((r) => [r.subject, r.key_data.startsWith("w1:")])).toEqual([["ada", true]]);
    // Forgetting needs no master key (`eda forget` runs without one).
    expect(await unwrapped.forget("ada")).toBe(1);
  });

  it("another master key fails before it stores a key no other process could open", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const master = randomBytes(32);
    await encryptedStore(inner, table, sqlKeyStore(inner, { masterKey: master })).append("c-1", [signedUp("ada", "1")], { kind: "no-stream" });
    const other = await harness.open();
    const wrong = encryptedStore(other, table, sqlKeyStore(other, { masterKey: randomBytes(32) }));
    await expect(wrong.append("c-2", [signedUp("bob", "2")], { kind: "no-stream" })).rejects.toThrow(/does not unwrap under the master key/);
    expect(await other.streamPosition("c-2")).toBeNull();
    expect((await keyRows(inner)).map((r) => r.subject)).toEqual(["ada"]);
    const right = encryptedStore(await harness.open(), table, sqlKeyStore(inner, { masterKey: master }));
    await right.append("c-2", [signedUp("bob", "2")], { kind: "no-stream" });
    expect((await right.readAll(1, 10)).map((e) => e.payload)).toEqual([
      { customerId: "ada", phone: "1" },
      { customerId: "bob", phone: "2" },
    ]);
  });

  it("verifyStore reports an altered event as tampered, where it is, and reads on", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    for (let i = 1; i <= 3; i++) await store.append(`c-${i}`, [signedUp(`s-${i}`, `${i}`)], { kind: "no-stream" });
    const [sealed] = await inner.readStream("c-2");
    const entry = (sealed!.payload as { "eda:enc": { v: string } })["eda:enc"];
    const altered = { ...entry, v: `${entry.v[0] === "A" ? "B" : "A"}${entry.v.slice(1)}` };
    await inner.append("c-4", [newEvent("SignedUp", { customerId: "s-2", "eda:enc": altered })], { kind: "no-stream" });
    await inner.append("c-5", [newEvent("SignedUp", { customerId: "s-1", "eda:enc": 5 })], { kind: "no-stream" });
    for (let i = 6; i <= 7; i++) await store.append(`c-${i}`, [signedUp(`s-${i}`, `${i}`)], { kind: "no-stream" });
    const found: UnreadableEvent[] = [];
    const report = await verifyStore(store, createCodec(table, {}), { batchSize: 100, onUnreadable: (e) => found.push(e) });
    expect(report).toEqual({ events: 7, unreadable: 2, complete: true });
    expect(found.map((e) => [e.stream, e.position, e.reason])).toEqual([
      ["c-4", 0, "tampered"],
      ["c-5", 0, "tampered"],
    ]);
    expect(found[0]!.message).toMatch(/does not decrypt under its subject's key/);
  });

  it.each([
    ["no master key, a key row cut short", undefined, /the data key \w+ is 16 bytes, not 32: the key table was altered/],
    ["a master key, a wrapped key row altered", randomBytes(32), /does not unwrap under the master key/],
  ] as const)("%s: that subject fails clearly, every other one works", async (_, master, message) => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const options = master === undefined ? {} : { masterKey: master };
    const store = encryptedStore(inner, table, sqlKeyStore(inner, options));
    await store.append("c-ada", [signedUp("ada", "1")], { kind: "no-stream" });
    await store.append("c-bob", [signedUp("bob", "2")], { kind: "no-stream" });
    const [row] = (await keyRows(inner)).filter((r) => r.subject === "ada");
    const damaged = master === undefined ? randomBytes(16).toString("base64") : `${row!.key_data.slice(0, 10)}${row!.key_data[10] === "A" ? "B" : "A"}${row!.key_data.slice(11)}`;
    const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
    await inner.transaction((tx) => tx.sql!.query(`UPDATE eda_subject_keys SET key_data = ${p(1)} WHERE subject = ${p(2)}`, [damaged, "ada"]));
    const other = await harness.open();
    const reader = encryptedStore(other, table, sqlKeyStore(other, options));
    await expect(reader.readStream("c-ada")).rejects.toThrow(message);
    await expect(reader.append("c-ada", [signedUp("ada", "3")], { kind: "any" })).rejects.toThrow(message);
    expect((await reader.readStream("c-bob"))[0]!.payload).toEqual({ customerId: "bob", phone: "2" });
    await reader.append("c-cy", [signedUp("cy", "4")], { kind: "no-stream" });
    expect((await reader.readStream("c-cy"))[0]!.payload).toEqual({ customerId: "cy", phone: "4" });
  });

  it("verifyStore reports a damaged key's events as damaged-key and an unknown cipher as unknown-cipher, and reads on", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("c-ada", [signedUp("ada", "1")], { kind: "no-stream" });
    await store.append("c-bob", [signedUp("bob", "2")], { kind: "no-stream" });
    // A later version's cipher, written past the encrypting store.
    const [bob] = await inner.readStream("c-bob");
    const entry = (bob!.payload as { "eda:enc": { k: string; v: string } })["eda:enc"];
    await inner.append("c-bob-2", [newEvent("SignedUp", { customerId: "bob", "eda:enc": { ...entry, a: "zzz" } })], { kind: "no-stream" });
    await store.append("c-cy", [signedUp("cy", "3")], { kind: "no-stream" });
    const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
    await inner.transaction((tx) => tx.sql!.query(`UPDATE eda_subject_keys SET key_data = ${p(1)} WHERE subject = ${p(2)}`, [randomBytes(16).toString("base64"), "ada"]));
    const reader = encryptedStore(await harness.open(), table, sqlKeyStore(inner));
    // A page holding the event fails for it (where it is, and why), as an altered entry does.
    const failed = (await reader.readAll(1, 10).catch((e: unknown) => e)) as TamperedFieldError;
    expect(failed).toBeInstanceOf(TamperedFieldError);
    expect([failed.problem, failed.event?.stream]).toEqual(["damaged-key", "c-ada"]);
    const found: UnreadableEvent[] = [];
    const report = await verifyStore(reader, createCodec(table, {}), { batchSize: 100, onUnreadable: (e) => found.push(e) });
    expect(report).toEqual({ events: 4, unreadable: 2, complete: true });
    expect(found.map((e) => [e.stream, e.reason])).toEqual([
      ["c-ada", "damaged-key"],
      ["c-bob-2", "unknown-cipher"],
    ]);
    expect(found[0]!.message).toMatch(/the data key \w+ of the event's subject cannot be read: the data key \w+ is 16 bytes, not 32/);
    expect(found[1]!.message).toMatch(/sealed with a cipher this version of @eda\/runtime does not know \("a": "zzz"\): upgrade @eda\/runtime/);
    expect((await reader.readStream("c-cy"))[0]!.payload).toEqual({ customerId: "cy", phone: "3" });
  });

  it("processes with and without a master key never both write keys: either one refuses a table holding the other's", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const master = randomBytes(32);
    const plain = encryptedStore(inner, table, sqlKeyStore(inner));
    for (const s of ["a", "b", "c", "d", "e", "f", "g", "h", "i"]) await plain.append(`c-${s}`, [signedUp(s, "1")], { kind: "no-stream" });
    const withMaster = encryptedStore(await harness.open(), table, sqlKeyStore(inner, { masterKey: master }));
    const unwrappedStored = /data keys are stored unwrapped, but the key store has a master key: stop the processes that run without EDA_MASTER_KEY, then wrap the keys with `eda keys rotate-master`/;
    await expect(withMaster.append("c-z", [signedUp("z", "2")], { kind: "no-stream" })).rejects.toThrow(unwrappedStored);
    await expect(withMaster.readStream("c-a")).rejects.toThrow(unwrappedStored);
    expect((await keyRows(inner)).every((r) => !r.key_data.startsWith("w1:"))).toBe(true);
    // One wrapped row among many unwrapped ones (written past the check): a process without the master key refuses too.
    const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
    await inner.transaction((tx) =>
      tx.sql!.query(`INSERT INTO eda_subject_keys (subject, key_id, seq, key_data, created_at) VALUES (${p(1)}, ${p(2)}, 1, ${p(3)}, ${p(4)})`, ["zz", "k-zz", `w1:${randomBytes(60).toString("base64")}`, new Date().toISOString()]),
    );
    const late = encryptedStore(await harness.open(), table, sqlKeyStore(inner));
    await expect(late.append("c-y", [signedUp("y", "3")], { kind: "no-stream" })).rejects.toThrow(/the data keys are stored wrapped under a master key, but the key store has none/);
  });

  it("refuses an event that holds a sealed entry and a personal field in plain text beside it", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("c-1", [signedUp("ada", "+44 20 7946 0000")], { kind: "no-stream" });
    const [stored] = await inner.readStream("c-1");
    const entry = (stored!.payload as Record<string, unknown>)["eda:enc"];
    // Copied as stored, the event appends as it is (its fields stay sealed).
    await store.append("c-copy", [newEvent("SignedUp", { customerId: "ada", "eda:enc": entry })], { kind: "no-stream" });
    expect((await store.readStream("c-copy"))[0]!.payload).toEqual({ customerId: "ada", phone: "+44 20 7946 0000" });
    const mixed = newEvent("SignedUp", { customerId: "ada", phone: "+44 20 7946 9999", "eda:enc": entry });
    await expect(store.append("c-2", [mixed], { kind: "no-stream" })).rejects.toThrow(/cannot append SignedUp: it holds a sealed entry \("eda:enc"\) and its personal field "phone" in plain text beside it/);
    expect(await inner.streamPosition("c-2")).toBeNull();
  });

  it("one key row damaged in its first bytes under a master key fails that subject's events only, not every process", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const masterKey = randomBytes(32);
    const store = encryptedStore(inner, table, sqlKeyStore(inner, { masterKey }));
    await store.append("c-ada", [signedUp("ada", "1")], { kind: "no-stream" });
    await store.append("c-bob", [signedUp("bob", "2")], { kind: "no-stream" });
    const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
    // ada's row damaged in its first bytes (a bit flip, a truncated restore).
    await inner.transaction((tx) => tx.sql!.query(`UPDATE eda_subject_keys SET key_data = 'x' || substr(key_data, 2) WHERE subject = ${p(1)}`, ["ada"]));
    const restarted = encryptedStore(await harness.open(), table, sqlKeyStore(inner, { masterKey }));
    // It was taken for an unwrapped key: "data keys are stored unwrapped", for every process.
    expect((await restarted.readStream("c-bob"))[0]!.payload).toEqual({ customerId: "bob", phone: "2" });
  });
});

describe("EDA_MASTER_KEY as the app reads it", () => {
  it("is base64 of 32 bytes, strictly: a stray character is refused, not skipped, and the key is not quoted", () => {
    const key = randomBytes(32);
    const text = key.toString("base64");
    expect(masterKeyFromEnv({ EDA_MASTER_KEY: ` ${text}\n` })).toEqual(key);
    expect(masterKeyFromEnv({ EDA_MASTER_KEY: text.replace(/=$/, "") })).toEqual(key);
    expect(masterKeyFromEnv({})).toBeUndefined();
    // Node's decoder alone takes both of these as `key`.
    expect(() => masterKeyFromEnv({ EDA_MASTER_KEY: `${text.slice(0, 20)}$${text.slice(20)}` })).toThrow(/^EDA_MASTER_KEY must be 32 bytes in base64 .*character 21 is not a base64 digit$/);
    expect(() => masterKeyFromEnv({ EDA_MASTER_KEY: `${text}AAAA` })).toThrow(/character 44 is not a base64 digit/);
    expect(() => masterKeyFromEnv({ EDA_MASTER_KEY: "c2hvcnQ=" })).toThrow(/not 5 bytes$/);
    const refusal = (() => {
      try {
        masterKeyFromEnv({ EDA_MASTER_KEY: `${text.slice(0, 43)}!` });
        return "";
      } catch (error) {
        return String(error);
      }
    })();
    expect(refusal).toMatch(/character 44 is not a base64 digit/);
    expect(refusal).not.toContain(text.slice(0, 10));
  });
});
