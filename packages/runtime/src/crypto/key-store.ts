/**
 * Where the data keys of subjects live. One key per data subject (plus the older keys a rotation
 * keeps, so that events written under them still read); forgetting a subject deletes every key
 * of theirs, which makes each field encrypted under them unreadable for good (crypto-shredding).
 *
 * `sqlKeyStore(store)` keeps the keys in a table of the event store's own database;
 * `memoryKeyStore()` in this process. A KMS adapter implements the same interface — e.g. data
 * keys wrapped by a KMS master key in a table, unwrapped through the KMS's decrypt call and
 * forgotten by deleting the row (see SECURITY.md).
 */
import { randomBytes } from "node:crypto";
import type { SqlExecutor } from "../store/event-store.js";
import type { DataKey } from "./field-cipher.js";

export interface KeyStore {
  /**
   * The subject's current key, created on first use. `within`: the SQL of a transaction the
   * caller is in (a SQL key store then works in it instead of opening another one).
   */
  currentKey(subject: string, within?: SqlExecutor): Promise<DataKey>;
  /** A key of the subject by id; undefined when it does not exist (forgotten, or never made). */
  key(subject: string, id: string, within?: SqlExecutor): Promise<Buffer | undefined>;
  /** Makes a new current key for the subject; older keys stay for reading. Returns the new key's id. */
  rotate(subject: string): Promise<string>;
  /** Deletes every key of the subject; returns how many there were. */
  forget(subject: string): Promise<number>;
}

/** A fresh 256-bit data key with a random id. */
export function newDataKey(): DataKey {
  return { id: randomBytes(8).toString("hex"), key: randomBytes(32) };
}

/** Keys in this process only (tests, the memory store). */
export function memoryKeyStore(): KeyStore {
  const keys = new Map<string, DataKey[]>();
  const add = (subject: string): DataKey => {
    const key = newDataKey();
    keys.set(subject, [...(keys.get(subject) ?? []), key]);
    return key;
  };
  return {
    currentKey: async (subject) => keys.get(subject)?.at(-1) ?? add(subject),
    key: async (subject, id) => keys.get(subject)?.find((k) => k.id === id)?.key,
    rotate: async (subject) => add(subject).id,
    forget: async (subject) => {
      const n = keys.get(subject)?.length ?? 0;
      keys.delete(subject);
      return n;
    },
  };
}
