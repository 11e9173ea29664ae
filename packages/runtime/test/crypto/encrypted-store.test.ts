/**
 * Crypto-shredding on every engine: stored bytes never hold a `@pii(subject)` value in plain text,
 * reads decrypt before the codec (upcasts included), `forget` turns a subject's fields into the
 * placeholder (or absent) everywhere while every event still deserializes and verifies, events
 * written before encryption still read, and rotation keeps old events readable.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodec } from "../../src/codec/codec.js";
import { defineCodecTable } from "../../src/codec/table.js";
import { encryptedStore, type EncryptedEventStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN, TamperedFieldError } from "../../src/crypto/field-cipher.js";
import { memoryKeyStore, type KeyStore } from "../../src/crypto/key-store.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import type { EventStore } from "../../src/store/event-store.js";
import { verifyStore } from "../../src/verify/verify-store.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "../store/support.js";

const ADA = { customerId: "c-ada", email: "ada.lovelace@example.org", phone: "+44 20 7946 0001" };
const BOB = { customerId: "c-bob", email: "bob.builder@example.org", phone: "+44 20 7946 0002" };

/** v1 keeps the e-mail as `mail`; v2 renames it (an upcast) and adds an optional phone. */
const table = defineCodecTable({
  events: {
    Registered: {
      current: 2,
      versions: {
        1: {
          schema: z.object({ customerId: z.string(), mail: z.string().min(3) }),
          up: (d: { customerId: string; mail: string }) => ({ customerId: d.customerId, email: d.mail }),
          next: 2,
          encrypt: { subject: "customerId", fields: { mail: "placeholder" } },
        },
        2: {
          schema: z.object({ customerId: z.string(), email: z.union([z.email(), z.literal(FORGOTTEN)]), phone: z.string().optional() }),
          encrypt: { subject: "customerId", fields: { email: "placeholder", phone: "absent" } },
        },
      },
    },
    Noted: { current: 1, versions: { 1: { schema: z.object({ text: z.string() }) } } },
  },
  commands: {},
});
const codec = createCodec(table, {});

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Every byte the store keeps: the SQLite files, or every table of the PostgreSQL database as text. */
async function storedBytes(h: StoreHarness): Promise<string> {
  if (h.engine === "sqlite") {
    const file = h.url.slice("sqlite:".length);
    const dir = dirname(file);
    return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString("latin1")).join("\n");
  }
  const client = new pg.Client({ connectionString: h.url });
  await client.connect();
  try {
    const tables = await client.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
    const dumps: string[] = [];
    for (const { t } of tables.rows) dumps.push(JSON.stringify((await client.query(`SELECT * FROM ${t}`)).rows));
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

describe.each(ENGINES)("encrypted store on %s", (engine) => {
  async function open(options: { masterKey?: Buffer } = {}): Promise<{ inner: EventStore; store: EncryptedEventStore; keys: KeyStore }> {
    harness ??= await createHarness(engine);
    const inner = await harness.open();
    const keys = engine === "memory" ? memoryKeyStore() : sqlKeyStore(inner, options);
    return { inner, store: encryptedStore(inner, table, keys), keys };
  }
  const registered = (who: { readonly customerId: string; readonly email: string; readonly phone?: string }, version = 2) =>
    newEvent("Registered", version === 1 ? { customerId: who.customerId, mail: who.email } : who, { version });
  const emails = async (store: EventStore) => (await store.readAll(1, 100)).map((e) => (e.type === "Registered" ? codec.deserialize(e).data : e.payload));

  it("stores and publishes ciphertext only, and reads the values back through the upcast", async () => {
    const { store } = await open();
    await store.append("customer-ada", [registered(ADA, 1), registered(ADA)], { kind: "no-stream" });
    await store.append("customer-bob", [registered(BOB), newEvent("Noted", { text: "plain" })], { kind: "no-stream" });
    expect(await emails(store)).toEqual([{ customerId: "c-ada", email: ADA.email }, ADA, BOB, { text: "plain" }]);
    expect((await store.readStream("customer-bob")).map((e) => e.payload)).toEqual([BOB, { text: "plain" }]);
    const published = JSON.stringify(await store.outbox.fetchUnsent(10));
    if (engine !== "memory") {
      const bytes = await storedBytes(harness!);
      expect(bytes).toContain("c-ada");
      expect(bytes).toContain("plain");
      // Needles are never made of hex digits alone: ids and key ids are hex, and "7946" turned up in one in CI.
      for (const value of [ADA.email, ADA.phone, BOB.email, BOB.phone, "ada.lovelace", "20 7946"]) expect(bytes).not.toContain(value);
    }
    for (const value of [ADA.email, ADA.phone, BOB.email]) expect(published).not.toContain(value);
    const [first] = await store.outbox.fetchUnsent(1);
    expect((await store.decryptEnvelope(first!.envelope)).payload).toEqual({ customerId: "c-ada", mail: ADA.email });
  });

  it("after forget, the subject's fields read as the placeholder or absent; the others, verify and upcasts go on", async () => {
    const { store } = await open();
    await store.append("customer-ada", [registered(ADA, 1), registered(ADA)], { kind: "no-stream" });
    await store.append("customer-bob", [registered(BOB)], { kind: "no-stream" });
    expect(await store.forget("c-ada")).toBe(1);
    expect(await emails(store)).toEqual([
      { customerId: "c-ada", email: FORGOTTEN },
      { customerId: "c-ada", email: FORGOTTEN },
      BOB,
    ]);
    expect(await verifyStore(store, codec)).toEqual({ events: 3, unreadable: 0, complete: true });
    // Another store on the same database (a restarted process) forgets as well.
    if (engine !== "memory") {
      const again = encryptedStore(await harness!.open(), table, sqlKeyStore(await harness!.open()));
      expect((await again.readStream("customer-ada")).map((e) => e.payload)).toEqual([
        { customerId: "c-ada", mail: FORGOTTEN },
        { customerId: "c-ada", email: FORGOTTEN },
      ]);
    }
    // A new event of the forgotten subject gets a new key; the old ones stay forgotten.
    await store.append("customer-ada", [registered({ ...ADA, email: "ada@new.example.org" })], { kind: "exact", position: 1 });
    expect((await emails(store)).at(-1)).toEqual({ ...ADA, email: "ada@new.example.org" });
    expect((await emails(store))[1]).toEqual({ customerId: "c-ada", email: FORGOTTEN });
  });

  it("reads events written before encryption was switched on", async () => {
    const { inner, store } = await open();
    await inner.append("customer-ada", [registered(ADA, 1), registered(ADA)], { kind: "no-stream" });
    await store.append("customer-ada", [registered({ ...ADA, email: "ada2@example.org" })], { kind: "exact", position: 1 });
    expect(await emails(store)).toEqual([{ customerId: "c-ada", email: ADA.email }, ADA, { ...ADA, email: "ada2@example.org" }]);
    await store.forget("c-ada");
    // What was stored in plain text before stays as it was (immutable history): only encrypted fields are forgotten.
    expect(await emails(store)).toEqual([{ customerId: "c-ada", email: ADA.email }, ADA, { customerId: "c-ada", email: FORGOTTEN }]);
  });

  it("reads AES-256-GCM entries written by earlier versions beside ChaCha20-Poly1305 ones, and detects tampering of either", async () => {
    const { inner, store, keys } = await open();
    const key = (await keys.ensureKeys(["c-ada"])).get("c-ada")![0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key.key, iv);
    cipher.setAAD(Buffer.from("c-ada"));
    const body = Buffer.concat([cipher.update(JSON.stringify({ email: ADA.email, phone: ADA.phone })), cipher.final()]);
    const old = { k: key.id, v: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
    await inner.append("customer-ada", [newEvent("Registered", { customerId: "c-ada", "eda:enc": old }, { version: 2 })], { kind: "no-stream" });
    await store.append("customer-ada", [registered({ ...ADA, email: "ada2@example.org" })], { kind: "exact", position: 0 });
    const raw = await inner.readStream("customer-ada");
    expect(raw.map((e) => (e.payload as { "eda:enc": { a?: string } })["eda:enc"].a)).toEqual([undefined, "c20p"]);
    expect(await emails(store)).toEqual([ADA, { ...ADA, email: "ada2@example.org" }]);
    for (const event of raw) {
      const sealed = (event.payload as { "eda:enc": { k: string; v: string } })["eda:enc"];
      const bytes = Buffer.from(sealed.v, "base64");
      bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
      const altered = { ...event, payload: { customerId: "c-ada", "eda:enc": { ...sealed, v: bytes.toString("base64") } } };
      await expect(store.decryptEnvelope(altered)).rejects.toThrow(TamperedFieldError);
    }
    await store.forget("c-ada");
    expect(await emails(store)).toEqual([{ customerId: "c-ada", email: FORGOTTEN }, { customerId: "c-ada", email: FORGOTTEN }]);
  });

  it("rotates a subject's key: old events read under the old key, new ones use the new key, forget removes both", async () => {
    const { store, inner } = await open();
    await store.append("customer-ada", [registered(ADA)], { kind: "no-stream" });
    const newId = await store.rotate("c-ada");
    await store.append("customer-ada", [registered({ ...ADA, email: "ada@rotated.example.org" })], { kind: "exact", position: 0 });
    const raw = await inner.readStream("customer-ada");
    const ids = raw.map((e) => (e.payload as { "eda:enc": { k: string } })["eda:enc"].k);
    expect(raw.map((e) => Object.keys(e.payload as object).sort())).toEqual([["customerId", "eda:enc"], ["customerId", "eda:enc"]]);
    expect(ids[1]).toBe(newId);
    expect(ids[0]).not.toBe(newId);
    expect((await emails(store)).map((d) => (d as { email: string }).email)).toEqual([ADA.email, "ada@rotated.example.org"]);
    expect(await store.forget("c-ada")).toBe(2);
    expect((await emails(store)).map((d) => (d as { email: string }).email)).toEqual([FORGOTTEN, FORGOTTEN]);
  });

  it("reads a page of mixed events together, and names the event whose authentic entry holds more than one object of fields", async () => {
    const { inner, store, keys } = await open();
    const CY = { customerId: "c-cy", email: "cy@example.org" };
    await inner.append("customer-early", [registered(ADA)], { kind: "no-stream" });
    await store.append("customer-bob", [registered(BOB), newEvent("Noted", { text: "hi" }), registered(BOB, 1)], { kind: "no-stream" });
    await store.append("customer-cy", [registered(CY)], { kind: "no-stream" });
    await store.append("customer-ada", [registered({ ...ADA, email: "ada2@example.org" })], { kind: "no-stream" });
    await store.forget("c-cy");
    const page = [ADA, BOB, { text: "hi" }, { customerId: "c-bob", email: BOB.email }, { customerId: "c-cy", email: FORGOTTEN }, { ...ADA, email: "ada2@example.org" }];
    expect(await emails(store)).toEqual(page);
    // Sealed under Bob's own key, for Bob: authentic, but two objects where one belongs.
    const key = (await keys.keysOf(["c-bob"])).get("c-bob")![0]!;
    const nonce = randomBytes(12);
    const plain = Buffer.from('{"email":"x@example.org"},{"email":"y@example.org"}');
    const cipher = createCipheriv("chacha20-poly1305", key.key, nonce, { authTagLength: 16 });
    cipher.setAAD(Buffer.from("c-bob"), { plaintextLength: plain.length });
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const entry = { k: key.id, a: "c20p", v: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64") };
    await inner.append("customer-bob", [newEvent("Registered", { customerId: "c-bob", "eda:enc": entry }, { version: 2 })], { kind: "exact", position: 2 });
    await store.append("customer-bob", [registered(BOB)], { kind: "exact", position: 3 });
    const error: unknown = await store.readAll(1, 100).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TamperedFieldError);
    expect((error as TamperedFieldError).event).toMatchObject({ stream: "customer-bob", position: 3, globalPosition: 7 });
    // The pages before it read as they did.
    expect(await Promise.all((await store.readAll(1, 6)).map((e) => (e.type === "Registered" ? codec.deserialize(e).data : e.payload)))).toEqual(page);
  });

  it("refuses a ciphertext moved to another subject (the subject is authenticated)", async () => {
    const { store, inner } = await open();
    await store.append("customer-ada", [registered(ADA)], { kind: "no-stream" });
    await store.append("customer-bob", [registered(BOB)], { kind: "no-stream" });
    type Sealed = { "eda:enc": { k: string; v: string } };
    const ada = (await inner.readStream("customer-ada"))[0]!;
    const bobKey = ((await inner.readStream("customer-bob"))[0]!.payload as Sealed)["eda:enc"].k;
    // Ada's ciphertext under Bob's id and key id, as someone moving rows would make it.
    const forged = { ...ada, payload: { customerId: "c-bob", "eda:enc": { ...(ada.payload as Sealed)["eda:enc"], k: bobKey } } };
    await expect(store.decryptEnvelope(forged)).rejects.toThrow(TamperedFieldError);
    expect((await store.decryptEnvelope(ada)).payload).toEqual(ADA);
  });

  if (engine !== "memory") {
    it("wraps the data keys under a master key when given one, and says so when the master key differs", async () => {
      const masterKey = Buffer.alloc(32, 7);
      const { store, inner } = await open({ masterKey });
      await store.append("customer-ada", [registered(ADA)], { kind: "no-stream" });
      const rows = await inner.transaction((tx) => tx.sql!.query<{ key_data: string }>("SELECT key_data FROM eda_subject_keys"));
      expect(rows.map((r) => r.key_data.startsWith("w1:"))).toEqual([true]);
      const wrong = encryptedStore(inner, table, sqlKeyStore(inner, { masterKey: Buffer.alloc(32, 8) }));
      await expect(wrong.readAll(1, 10)).rejects.toThrow(/does not unwrap under the master key/);
      expect(await emails(encryptedStore(inner, table, sqlKeyStore(inner, { masterKey })))).toEqual([ADA]);
    });

    it("gives each subject one first key when two key stores ask at once, and returns every key of a known subject", async () => {
      const { inner, keys } = await open();
      const other = sqlKeyStore(await harness!.open());
      const rotated = await keys.rotate("c-old"); // a known subject, with a key from before
      const subjects = ["c-old", ...Array.from({ length: 40 }, (_, i) => `c-${i}`)];
      const [mine, theirs] = await Promise.all([keys.ensureKeys(subjects), other.ensureKeys([...subjects].reverse())]);
      for (const s of subjects) {
        expect(mine.get(s)?.map((k) => k.id), s).toEqual(theirs.get(s)?.map((k) => k.id));
        expect(mine.get(s)?.[0]?.key.equals(theirs.get(s)![0]!.key), s).toBe(true);
      }
      expect(mine.get("c-old")?.map((k) => k.id)).toEqual([rotated]);
      const rows = await inner.transaction((tx) => tx.sql!.query<{ n: number | string }>("SELECT count(*) AS n FROM eda_subject_keys"));
      expect(Number(rows[0]?.n)).toBe(subjects.length);
    });

    it("keeps the history immutable: forget deletes keys, never events", async () => {
      const { store, inner } = await open();
      await store.append("customer-ada", [registered(ADA)], { kind: "no-stream" });
      const before = JSON.stringify(await inner.readAll(1, 10));
      await store.forget("c-ada");
      expect(JSON.stringify(await inner.readAll(1, 10))).toBe(before);
      await expect(inner.transaction((tx) => tx.sql!.query("DELETE FROM eda_events"))).rejects.toThrow(/append-only/);
    });
  }
});
