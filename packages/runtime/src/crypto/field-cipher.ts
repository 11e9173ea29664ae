/**
 * The personal fields of one message — its `@pii(subject)` fields — are encrypted together (one
 * AEAD call per message, not per field) into a single stored entry that takes their place in the
 * payload:
 *
 *     "eda:enc": { "k": keyId, "a": "c20p", "v": base64(nonce ‖ ciphertext ‖ tag) }
 *
 * `"a": "c20p"` is ChaCha20-Poly1305 (IETF, a random 96-bit nonce; `aead.ts`), what is written
 * now. An entry without `"a"` was written by earlier versions with AES-256-GCM,
 * `"v": base64(iv ‖ tag ‖ ciphertext)`, and still reads. The plaintext is the JSON of
 * `{field: value, …}`; the subject id is the associated data, so an entry moved to another
 * subject fails to decrypt instead of reading as someone else's data. A payload without the
 * entry was written before encryption was on and reads as it is.
 */
import { createDecipheriv, randomBytes } from "node:crypto";
import { NONCE_BYTES, openInto, sealInto, TAG_BYTES } from "./aead.js";
import type { StoredEvent } from "../types.js";
import { Scratch } from "./scratch.js";

/** What a `@pii` field reads as once its subject's key is forgotten (a required text field). */
export const FORGOTTEN = "[forgotten]";

/** The payload key of the sealed entry (no model field can be named so: names are identifiers). */
export const ENCRYPTED_MARK = "eda:enc";

/** The `a` of an entry sealed with ChaCha20-Poly1305 (an entry without `a` is AES-256-GCM). */
export const CHACHA20_POLY1305 = "c20p";

/** The sealed entry as stored. */
export interface SealedFields {
  /** The id of the subject's key that sealed it. */
  readonly k: string;
  /** The cipher: `"c20p"`, or absent for AES-256-GCM (entries written before `"a"` existed). */
  readonly a?: string;
  /** base64 of the sealed bytes. */
  readonly v: string;
}

/**
 * Why an event's sealed entry cannot be read: `altered` (it does not authenticate, or is not an
 * entry), `unknown-cipher` (sealed by a later version of @eda/runtime), `damaged-key` (its
 * subject's stored data key cannot be read: the key row was altered, or wrapped under another
 * master key).
 */
export type SealedEntryProblem = "altered" | "unknown-cipher" | "damaged-key";

/**
 * Thrown when an event's sealed entry cannot be read (`problem`); an encrypting store's reads
 * throw it for the event, `eda store verify` reports the event and reads on.
 */
export class TamperedFieldError extends Error {
  override readonly name = "TamperedFieldError";
  /** Why the entry cannot be read. */
  readonly problem: SealedEntryProblem;
  /**
   * Where the event it was met in is, when a store's read met it — no payload: an error may be
   * logged whole, and the payload's plain `@pii` fields are redacted only by the codec.
   */
  event?: Pick<StoredEvent, "stream" | "position" | "globalPosition" | "messageId" | "type" | "version">;
  /** `reason`: what is wrong, when it is not that the entry fails to authenticate. */
  constructor(readonly subject: string, options?: { cause?: unknown; reason?: string; problem?: SealedEntryProblem }) {
    super(options?.reason ?? "the encrypted personal data of an event does not decrypt under its subject's key: the stored value was altered", options);
    this.problem = options?.problem ?? "altered";
  }
}

/** A subject's data key as the cipher uses it. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
  /**
   * Why the stored key cannot be used, when it cannot (`key` is then empty): its row was altered
   * or wrapped under another master key. The subject's events read as `damaged-key`, each on its
   * own; no other subject's read fails for it.
   */
  readonly damaged?: string;
}

/** Seals `fields` (JSON values by field name) for `subject`. */
export function sealFields(key: DataKey, subject: string, fields: Readonly<Record<string, unknown>>): SealedFields {
  const json = JSON.stringify(fields);
  const length = plainBytes.grow(json.length * 3).write(json, 0, "utf8");
  const size = NONCE_BYTES + length + TAG_BYTES;
  const out = sealedBytes.grow(size);
  nextNonce(out);
  try {
    sealInto(sealedBytes.view(NONCE_BYTES, size), sealedBytes.view(0, NONCE_BYTES), key.key, associatedData(subject), plainBytes.view(0, length));
  } finally {
    plainBytes.grow(0).fill(0, 0, length); // no personal data left in a buffer that lives on
  }
  return { k: key.id, a: CHACHA20_POLY1305, v: out.toString("base64", 0, size) };
}

/** Opens what `sealFields` wrote (or AES-256-GCM wrote before); throws `TamperedFieldError` when it does not authenticate. */
export function openFields(key: Buffer, subject: string, sealed: SealedFields): Record<string, unknown> {
  if (sealed.a !== undefined && sealed.a !== CHACHA20_POLY1305) {
    const reason = `an event's personal data is sealed with a cipher this version of @eda/runtime does not know ("a": ${JSON.stringify(sealed.a.slice(0, 40))}): upgrade @eda/runtime`;
    throw new TamperedFieldError(subject, { reason, problem: "unknown-cipher" });
  }
  let text: string;
  try {
    text = sealed.a === undefined ? openGcm(key, subject, sealed.v) : openChaCha(key, subject, sealed.v);
  } catch (error) {
    throw new TamperedFieldError(subject, { cause: error });
  }
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch (error) {
    throw new TamperedFieldError(subject, { cause: error });
  }
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new TamperedFieldError(subject, { cause: new Error("not an object of fields") });
  return fields as Record<string, unknown>;
}

/**
 * Opens many entries at once (a page of a replay), each `entries[i]` under `keys[i]` for
 * `subjects[i]`: the same fields `openFields` gives, with the plaintexts decoded together (one
 * string, one `JSON.parse`, not one of each per entry). Undefined when any entry does not open,
 * or opens to something other than an object of fields: `openFields` then tells which and why.
 */
export function openFieldsMany(keys: readonly Buffer[], subjects: readonly string[], entries: readonly SealedFields[]): Record<string, unknown>[] | undefined {
  if (entries.length === 0) return [];
  // Sized once, up front (growing would leave plaintext behind in the old buffer): base64 decodes
  // to fewer bytes than characters; a GCM entry's text is re-encoded, at most 3 bytes a byte.
  let capacity = entries.length + 1;
  for (const sealed of entries) capacity += sealed.a === undefined ? sealed.v.length * 3 : sealed.v.length;
  const page = pageBytes.grow(capacity);
  let end = 0;
  try {
    page[end++] = 0x5b; // [
    for (let i = 0; i < entries.length; i++) {
      const sealed = entries[i]!;
      const key = keys[i]!;
      const subject = subjects[i]!;
      if (sealed.a === undefined) {
        end += page.write(openGcm(key, subject, sealed.v), end, "utf8");
      } else {
        if (sealed.a !== CHACHA20_POLY1305) return undefined;
        const size = sealedBytes.grow(sealed.v.length).write(sealed.v, 0, "base64");
        const length = size - NONCE_BYTES - TAG_BYTES;
        if (length < 0) return undefined;
        const plain = plainBytes.grow(length);
        try {
          openInto(plainBytes.view(0, length), sealedBytes.view(0, NONCE_BYTES), key, associatedData(subject), sealedBytes.view(NONCE_BYTES, size));
          end += plain.copy(page, end, 0, length);
        } finally {
          plain.fill(0, 0, length);
        }
      }
      page[end++] = 0x2c; // ,
    }
    page[end - 1] = 0x5d; // ], in place of the last comma
    const all: unknown = JSON.parse(page.toString("utf8", 0, end));
    // An entry holding more than one value (`{…},{…}`) would shift the rest: then the count differs.
    if (!Array.isArray(all) || all.length !== entries.length) return undefined;
    for (const fields of all) if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return undefined;
    return all as Record<string, unknown>[];
  } catch {
    return undefined;
  } finally {
    page.fill(0, 0, end); // no personal data left in a buffer that lives on
  }
}

/** A sealed entry, told apart from anything else. */
export function isSealed(value: unknown): value is SealedFields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v["k"] === "string" && typeof v["v"] === "string" && (v["a"] === undefined || typeof v["a"] === "string");
}

function openChaCha(key: Buffer, subject: string, base64: string): string {
  const size = sealedBytes.grow(base64.length).write(base64, 0, "base64"); // base64 decodes to fewer bytes than characters
  const length = size - NONCE_BYTES - TAG_BYTES;
  if (length < 0) throw new Error("a sealed entry shorter than its nonce and tag");
  const plain = plainBytes.grow(length);
  try {
    openInto(plainBytes.view(0, length), sealedBytes.view(0, NONCE_BYTES), key, associatedData(subject), sealedBytes.view(NONCE_BYTES, size));
    return plain.toString("utf8", 0, length);
  } finally {
    plain.fill(0, 0, length);
  }
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;

/** An entry of the earlier format: AES-256-GCM, `iv ‖ tag ‖ ciphertext`. */
function openGcm(key: Buffer, subject: string, base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, GCM_IV_BYTES));
  decipher.setAAD(Buffer.from(subject, "utf8"));
  decipher.setAuthTag(bytes.subarray(GCM_IV_BYTES, GCM_IV_BYTES + GCM_TAG_BYTES));
  const text = decipher.update(bytes.subarray(GCM_IV_BYTES + GCM_TAG_BYTES)).toString("utf8");
  decipher.final(); // authenticates (throws when altered)
  return text;
}

// Buffers reused by every seal and open (the calls are synchronous: nothing interleaves), grown
// to the largest message seen, with their views cached: each call then allocates only the
// strings it returns.
const plainBytes = new Scratch(1024);
const sealedBytes = new Scratch(1024);
const adBytes = new Scratch(256);
// The plaintexts of a page of entries, as one JSON array (`openFieldsMany`).
const pageBytes = new Scratch(64 * 1024);

// A replay meets each subject's events in runs: its associated data is written once per run.
let adSubject: string | undefined;
let adView: Buffer = Buffer.alloc(0);

function associatedData(subject: string): Buffer {
  if (subject !== adSubject) {
    adView = adBytes.view(0, adBytes.grow(subject.length * 3).write(subject, 0, "utf8"));
    adSubject = subject;
  }
  return adView;
}

// Random nonces drawn from a pool filled 4 KiB at a time: one call to the system's generator per
// 341 messages instead of one each (a 96-bit random nonce per message; at 2^32 messages under
// one key the chance of a repeat stays below 2^-32 — and each subject has its own key).
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;
function nextNonce(into: Buffer): void {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_BYTES * 341);
    nonceOffset = 0;
  }
  noncePool.copy(into, 0, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
}
