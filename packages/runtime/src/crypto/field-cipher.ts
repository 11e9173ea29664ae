/**
 * AES-256-GCM of one field's value (its JSON), bound to the data subject and the field name as
 * additional authenticated data, so that a ciphertext moved to another subject or field fails
 * to decrypt instead of reading as someone else's data. The stored form is a small JSON object
 * that no `@pii` value of the model can be mistaken for.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** What a `@pii` field reads as once its subject's key is forgotten (a required string field). */
export const FORGOTTEN = "[forgotten]";

/** The marker key of an encrypted field: `{ "eda:enc": keyId, "v": base64(iv ‖ tag ‖ ciphertext) }`. */
export const ENCRYPTED_MARK = "eda:enc";

/** An encrypted field as stored. */
export interface EncryptedField {
  readonly [ENCRYPTED_MARK]: string;
  readonly v: string;
}

/** Thrown when a ciphertext does not decrypt under a key that exists: the stored value was altered. */
export class TamperedFieldError extends Error {
  override readonly name = "TamperedFieldError";
  constructor(readonly field: string, options?: { cause?: unknown }) {
    super(`the encrypted field "${field}" does not decrypt under its subject's key: the stored value was altered`, options);
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A subject's data key as the cipher uses it. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Encrypts `value` (any JSON) for `field` of `subject`. */
export function encryptField(key: DataKey, subject: string, field: string, value: unknown): EncryptedField {
  const iv = nextIv();
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(aad(subject, field));
  const body = cipher.update(JSON.stringify(value), "utf8");
  cipher.final(); // GCM has no block padding: nothing is left to write.
  return { [ENCRYPTED_MARK]: key.id, v: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
}

// Random IVs drawn from a pool filled 4 KiB at a time: one call to the system's generator per
// 341 fields instead of one each (a 96-bit random IV per message, as GCM asks).
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 341);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** Decrypts what `encryptField` wrote; throws `TamperedFieldError` when it does not authenticate. */
export function decryptField(key: Buffer, subject: string, field: string, stored: EncryptedField): unknown {
  try {
    const bytes = Buffer.from(stored.v, "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(subject, field));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TamperedFieldError(field, { cause: error });
  }
}

/** An encrypted field, told apart from a plain value (events written before encryption was on). */
export function isEncryptedField(value: unknown): value is EncryptedField {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v[ENCRYPTED_MARK] === "string" && typeof v["v"] === "string";
}

function aad(subject: string, field: string): Buffer {
  return Buffer.from(`${subject}\u0000${field}`, "utf8");
}
