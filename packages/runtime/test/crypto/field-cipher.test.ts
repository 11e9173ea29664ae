/**
 * The sealed entry's two formats and two implementations: ChaCha20-Poly1305 entries (`"a":
 * "c20p"`) written and read through sodium-native and through node:crypto give and take the same
 * bytes (checked against a decryption written here from node:crypto alone); AES-256-GCM entries
 * of earlier versions (no `"a"`) still read; altering either, or moving it to another subject,
 * is detected.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { aeadBackend, useAead, type AeadBackend } from "../../src/crypto/aead.js";
import { CHACHA20_POLY1305, openFields, sealFields, TamperedFieldError, type SealedFields } from "../../src/crypto/field-cipher.js";

const key = { id: "k-1", key: randomBytes(32) };
const FIELDS = { email: "ada.lovelace@example.org", phone: "+44 20 7946 0001" };

/** Flips one bit of the sealed bytes at `at` (negative: from the end). */
function flip(sealed: SealedFields, at: number): SealedFields {
  const bytes = Buffer.from(sealed.v, "base64");
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = (bytes[i] ?? 0) ^ 1;
  return { ...sealed, v: bytes.toString("base64") };
}

/** What an earlier @eda/runtime wrote: AES-256-GCM, `iv ‖ tag ‖ ciphertext`, no `"a"`. */
function gcmEntry(subject: string, fields: object): SealedFields {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(subject, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(fields), "utf8"), cipher.final()]);
  return { k: key.id, v: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
}

afterAll(() => useAead("auto"));

it("uses sodium-native when it is installed (it is an optional dependency of @eda/runtime), node:crypto when EDA_AEAD=node", () => {
  useAead("auto");
  expect(aeadBackend()).toEqual({ backend: "sodium" });
  process.env["EDA_AEAD"] = "node";
  try {
    useAead("auto");
    expect(aeadBackend()).toEqual({ backend: "node", reason: "EDA_AEAD=node" });
  } finally {
    delete process.env["EDA_AEAD"];
    useAead("auto");
  }
});

describe.each(["sodium", "node"] satisfies AeadBackend[])("ChaCha20-Poly1305 entries through %s", (backend) => {
  const other: AeadBackend = backend === "sodium" ? "node" : "sodium";
  const seal = (subject: string, fields: object): SealedFields => {
    useAead(backend);
    return sealFields(key, subject, fields as Record<string, unknown>);
  };
  const open = (subject: string, sealed: SealedFields, through: AeadBackend = backend): Record<string, unknown> => {
    useAead(through);
    return openFields(key.key, subject, sealed);
  };

  it("writes nonce ‖ ciphertext ‖ tag of the fields' JSON, the subject authenticated, read back by either implementation", () => {
    const sealed = seal("c-ada", FIELDS);
    expect(sealed.k).toBe("k-1");
    expect(sealed.a).toBe(CHACHA20_POLY1305);
    const bytes = Buffer.from(sealed.v, "base64");
    const json = Buffer.from(JSON.stringify(FIELDS));
    expect(bytes.length).toBe(12 + json.length + 16);
    // Decrypted here with node:crypto alone: the format is the standard AEAD, nothing of ours.
    const decipher = createDecipheriv("chacha20-poly1305", key.key, bytes.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(Buffer.from("c-ada"), { plaintextLength: json.length });
    decipher.setAuthTag(bytes.subarray(-16));
    expect(Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).equals(json)).toBe(true);
    expect(open("c-ada", sealed)).toEqual(FIELDS);
    expect(open("c-ada", sealed, other)).toEqual(FIELDS);
  });

  it("draws a new nonce for every message", () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => Buffer.from(seal("c-ada", FIELDS).v, "base64").subarray(0, 12).toString("hex")));
    expect(nonces.size).toBe(1000);
  });

  it("seals any JSON values, long and non-ASCII ones too, one after another through its reused buffers", () => {
    const long = { email: "é🙂".repeat(40_000), phone: "x", nested: { list: [1, null, "ü"] } };
    const sealedLong = seal("c-ünïcode-🙂", long);
    const sealedShort = seal("c-bob", { email: "b@example.org" });
    expect(open("c-bob", sealedShort)).toEqual({ email: "b@example.org" });
    expect(open("c-ünïcode-🙂", sealedLong)).toEqual(long);
    expect(open("c-ünïcode-🙂", sealedLong, other)).toEqual(long);
    expect(open("c-ada", seal("c-ada", {}))).toEqual({});
  });

  it("detects an altered nonce, ciphertext or tag, another subject, another key, and a truncated entry", () => {
    const sealed = seal("c-ada", FIELDS);
    for (const at of [0, 11, 12, 20, -17, -1]) expect(() => open("c-ada", flip(sealed, at)), `byte ${at}`).toThrow(TamperedFieldError);
    expect(() => open("c-bob", sealed)).toThrow(TamperedFieldError);
    expect(() => openFields(randomBytes(32), "c-ada", sealed)).toThrow(TamperedFieldError);
    expect(() => open("c-ada", { ...sealed, v: Buffer.from(sealed.v, "base64").subarray(0, 20).toString("base64") })).toThrow(TamperedFieldError);
    expect(() => open("c-ada", { ...sealed, v: "" })).toThrow(TamperedFieldError);
  });

  it("reads AES-256-GCM entries of earlier versions (no \"a\") and detects their tampering", () => {
    const old = gcmEntry("c-ada", FIELDS);
    expect(open("c-ada", old)).toEqual(FIELDS);
    for (const at of [0, 12, 28, -1]) expect(() => open("c-ada", flip(old, at)), `byte ${at}`).toThrow(TamperedFieldError);
    expect(() => open("c-bob", old)).toThrow(TamperedFieldError);
  });

  it("says an entry of an unknown cipher needs a newer runtime rather than calling it altered", () => {
    expect(() => open("c-ada", { ...seal("c-ada", FIELDS), a: "x99" })).toThrow(/cipher this version of @eda\/runtime does not know \("a": "x99"\)/);
  });
});
