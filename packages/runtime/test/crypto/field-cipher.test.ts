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
import { CHACHA20_POLY1305, openFields, openFieldsMany, sealFields, TamperedFieldError, type SealedFields } from "../../src/crypto/field-cipher.js";

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

/** A ChaCha20-Poly1305 entry of any plaintext (what only a holder of the key could write), sealed here with node:crypto. */
function chachaEntry(subject: string, plaintext: string): SealedFields {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("chacha20-poly1305", key.key, nonce, { authTagLength: 16 });
  const message = Buffer.from(plaintext, "utf8");
  cipher.setAAD(Buffer.from(subject, "utf8"), { plaintextLength: message.length });
  const body = Buffer.concat([cipher.update(message), cipher.final()]);
  return { k: key.id, a: CHACHA20_POLY1305, v: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64") };
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

  describe("a page of entries opened together (openFieldsMany)", () => {
    const many = (entries: readonly (readonly [string, SealedFields])[], keys: readonly Buffer[] = entries.map(() => key.key)) => {
      useAead(backend);
      return openFieldsMany(keys, entries.map(([subject]) => subject), entries.map(([, sealed]) => sealed));
    };

    it("gives what openFields gives each entry: both formats, empty, long and non-ASCII fields, in order", () => {
      const long = { email: "é🙂".repeat(20_000), nested: { list: [1, null, "ü"] } };
      const page: [string, SealedFields][] = [
        ["c-ada", seal("c-ada", FIELDS)],
        ["c-ada", gcmEntry("c-ada", { email: "old@example.org" })],
        ["c-ünïcode-🙂", seal("c-ünïcode-🙂", long)],
        ["c-bob", seal("c-bob", {})],
        ["c-gcm-ü", gcmEntry("c-gcm-ü", { phone: "ü🙂" })],
      ];
      for (let n = 0; n < 200; n++) page.push([`c-${n}`, seal(`c-${n}`, { email: `person${n}@example.com`, n })]);
      expect(many(page)).toEqual(page.map(([subject, sealed]) => open(subject, sealed)));
      expect(many([])).toEqual([]);
    });

    it("gives nothing (openFields then says which entry and why) when one entry is altered, moved, under another key, of an unknown cipher or truncated", () => {
      const good: [string, SealedFields] = ["c-ada", seal("c-ada", FIELDS)];
      const sealed = seal("c-bob", FIELDS);
      for (const bad of [
        ["c-bob", flip(sealed, 20)],
        ["c-eve", sealed],
        ["c-bob", { ...sealed, a: "x99" }],
        ["c-bob", { ...sealed, v: "" }],
        ["c-bob", flip(gcmEntry("c-bob", FIELDS), -1)],
      ] as [string, SealedFields][]) {
        expect(many([good, bad, good])).toBeUndefined();
      }
      expect(many([good, ["c-bob", sealed]], [key.key, randomBytes(32)])).toBeUndefined();
      expect(many([good, ["c-bob", sealed]])).toEqual([FIELDS, FIELDS]);
      expect(many([good, ["c-ada", chachaEntry("c-ada", '{"email":"a@example.org"}')]])).toEqual([FIELDS, { email: "a@example.org" }]);
    });

    it("gives nothing for an authentic entry that does not hold one object of fields (it would shift the others)", () => {
      const good: [string, SealedFields] = ["c-ada", seal("c-ada", FIELDS)];
      for (const json of ['{"a":1},{"b":2}', "[1]", "1", "null", '{"a":1', ""]) {
        const odd = chachaEntry("c-ada", json);
        expect(many([good, ["c-ada", odd]]), json).toBeUndefined();
        expect(() => open("c-ada", odd), json).toThrow(TamperedFieldError);
      }
    });
  });
});
