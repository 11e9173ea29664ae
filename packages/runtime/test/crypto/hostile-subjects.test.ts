/**
 * Subject ids as users' data brings them, on SQLite and PostgreSQL. The key table keeps ids as
 * UTF-8 text: an id with a lone surrogate was stored as U+FFFD, so the key was filed under
 * another id than the one that sealed with it and the data read as "[forgotten]" straight after
 * the append (two such ids shared one key, and forgetting one forgot both); PostgreSQL refused
 * U+0000 and ids of a few kilobytes with its own words ("invalid byte sequence", "index row
 * requires 60032 bytes") and an empty id pooled every event without one under a single key. Each
 * is now refused before anything is written, naming the event and its subject field; ids that
 * are merely unusual (emoji, either Unicode normalisation, a number) keep working, each its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FORGOTTEN } from "../../src/crypto/field-cipher.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";
import type { EventStore } from "../../src/store/event-store.js";
import { table } from "./registered.js";

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** A `Registered` event whose subject is any JSON value. */
const registeredBy = (customerId: unknown, email: string) => newEvent("Registered", { customerId, email });

/** A store as a second process sees it: its own connection, its own key cache. */
async function otherProcess(h: StoreHarness) {
  const inner = await h.open();
  return encryptedStore(inner, table, sqlKeyStore(inner));
}

/** The e-mails of a stream as stored data reads (a numeric subject is not what the codec's schema takes). */
const emailsOf = async (store: EventStore, stream: string): Promise<unknown[]> => (await store.readStream(stream)).map((e) => (e.payload as { email: unknown }).email);

describe.each(["sqlite", "postgres"] as const)("hostile subject ids on %s", (engine) => {
  it.each([
    ["a lone high surrogate", "ada\uD800", /id is not well-formed Unicode: it holds a lone surrogate at character 3$/],
    ["a lone low surrogate", "😀\uDC00", /id is not well-formed Unicode: it holds a lone surrogate at character 2$/],
    ["U+0000", "a\u0000b", /id holds the character U\+0000 \(NUL\) at character 1$/],
    ["an empty id", "", /id is empty$/],
    ["100 KB of text", "x".repeat(100_000), /id is 100000 bytes long, above the limit of 1024$/],
    ["60 KB of CJK", "漢字".repeat(10_000), /id is 60000 bytes long, above the limit of 1024$/],
  ])("refuses %s as a subject, naming the event and field (not the id), with nothing written", async (_, subject, message) => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    const append = store.append("customer-1", [registeredBy(subject, "ada@example.org")], { kind: "no-stream" });
    await expect(append).rejects.toThrow(/^cannot encrypt Registered \(its subject field "customerId"\): the data subject id /);
    await expect(append).rejects.toThrow(message);
    expect(await inner.streamPosition("customer-1")).toBeNull();
    const keys = await inner.transaction((tx) => tx.sql!.query<{ n: number | string }>("SELECT count(*) AS n FROM eda_subject_keys"));
    expect(Number(keys[0]!.n)).toBe(0);
  });

  it("keeps unusual but well-formed ids apart: emoji, NFC and NFD of one name, a number", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    const subjects: [string, unknown][] = [
      ["emoji", "😀👩‍👩‍👧"],
      ["nfc", "caf\u00e9"],
      ["nfd", "cafe\u0301"],
      ["number", 42],
      ["longest", "é".repeat(512)],
    ];
    for (const [name, subject] of subjects) await store.append(`s-${name}`, [registeredBy(subject, `${name}@example.org`)], { kind: "no-stream" });
    const reader = await otherProcess(harness);
    for (const [name] of subjects) expect(await emailsOf(reader, `s-${name}`)).toEqual([`${name}@example.org`]);
    // Forgetting the NFC spelling leaves the NFD one: two ids, two keys.
    expect(await reader.forget("caf\u00e9")).toBe(1);
    expect(await emailsOf(store, "s-nfc")).toEqual([FORGOTTEN]);
    expect(await emailsOf(store, "s-nfd")).toEqual(["nfd@example.org"]);
    // A number and its text are one id (the key table keeps text).
    expect(await reader.forget("42")).toBe(1);
    expect(await emailsOf(store, "s-number")).toEqual([FORGOTTEN]);
  });

  it("refuses to forget or rotate an id with a lone surrogate, which the database would store as another id", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    await store.append("s-1", [registeredBy("\uFFFD", "replacement@example.org")], { kind: "no-stream" });
    await expect(store.forget("\uD800")).rejects.toThrow(/cannot forget the data subject "\\ud800": the id is not well-formed Unicode/);
    await expect(store.rotate("\uD800")).rejects.toThrow(/cannot rotate the key of the data subject "\\ud800"/);
    expect(await emailsOf(await otherProcess(harness), "s-1")).toEqual(["replacement@example.org"]);
  });
});
