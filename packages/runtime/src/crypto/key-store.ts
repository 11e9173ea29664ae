/**
 * Where the data keys of subjects live. One key per data subject (plus the older keys a rotation
 * keeps, so that events written under them still read); forgetting a subject deletes every key
 * of theirs, which makes each field encrypted under them unreadable for good (crypto-shredding).
 * Keys are asked for many subjects at once, so that a batch of events costs one lookup.
 *
 * `sqlKeyStore(store)` keeps the keys in a table of the event store's own database;
 * `memoryKeyStore()` in this process. A KMS adapter implements the same interface — e.g. data
 * keys wrapped by a KMS master key in a table, unwrapped through the KMS's decrypt call and
 * forgotten by deleting the row (see SECURITY.md).
 */
import { randomBytes } from "node:crypto";
import type { EventStore, SqlExecutor } from "../store/event-store.js";
import type { SubjectKeyRow } from "../store/key-tables.js";
import type { DataKey } from "./field-cipher.js";
import type { PurgeReport } from "./purge.js";
import { FORGET_STEP } from "./key-epoch.js";

export interface KeyStore {
  /**
   * Every key of each subject, oldest first (the last is the current one); a subject without
   * keys (forgotten, or never given one) is absent. `within`: the SQL of a transaction the caller
   * is in (a SQL key store then works in it instead of opening another one).
   */
  keysOf(subjects: readonly string[], within?: SqlExecutor): Promise<Map<string, DataKey[]>>;
  /** As `keysOf`, after giving a first key to each subject that has none. */
  ensureKeys(subjects: readonly string[], within?: SqlExecutor): Promise<Map<string, DataKey[]>>;
  /** Makes a new current key for the subject; older keys stay for reading. Returns the new key's id. */
  rotate(subject: string): Promise<string>;
  /** Deletes every key of the subject; returns how many there were. */
  forget(subject: string): Promise<number>;
  /**
   * Optional: removes the copies of deleted keys the key store's storage still keeps (a
   * database's old row versions and log), so a forgotten key cannot be read back from its
   * files (`purgeDeletedKeys`). Run after `forget`; again later when the report is not complete.
   */
  purge?(): Promise<PurgeReport>;
  /**
   * Optional: the key epoch — a number every `forget` and `rotate` changes, in any process (a
   * forget by `FORGET_STEP`, so that `forgetsIn` counts forgets alone) — read
   * together with the keys of `subjects` (none: the epoch alone; `within`: as for `keysOf`). Keys may be cached across
   * calls only while the epoch stays the same; a key store without it is asked on every read.
   */
  readKeys?(subjects: readonly string[], within?: SqlExecutor): Promise<KeysRead>;
  /**
   * Optional, for a key store in an event store's own database (`database`): first keys for
   * `subjects`, not stored yet — the append stores them in its own transaction, beside the events
   * they seal (`AppendOptions.keys`).
   */
  draftKeys?(subjects: readonly string[]): KeyDrafts;
  /** The event store whose database holds the keys (a SQL key store), if any. */
  readonly database?: EventStore;
}

/** What `readKeys` read, from one state of the key store. */
export interface KeysRead {
  readonly epoch: number;
  readonly keys: Map<string, DataKey[]>;
}

/** What `draftKeys` made: each subject's new key, and the rows that store them. */
export interface KeyDrafts {
  readonly keys: Map<string, DataKey>;
  readonly rows: SubjectKeyRow[];
}

/** A fresh 256-bit data key with a random id. */
export function newDataKey(): DataKey {
  return newDataKeys(1)[0]!;
}

/**
 * `count` fresh data keys from one call to the system's random generator (a call costs about
 * as much as sealing an event, and an append may give many new subjects their first key).
 */
export function newDataKeys(count: number): DataKey[] {
  const bytes = randomBytes(40 * count);
  return Array.from({ length: count }, (_, i) => ({ id: bytes.toString("hex", 40 * i, 40 * i + 8), key: bytes.subarray(40 * i + 8, 40 * i + 40) }));
}

/** Keys in this process only (tests, the memory store). */
export function memoryKeyStore(): KeyStore {
  const keys = new Map<string, DataKey[]>();
  let epoch = 0;
  const keysOf = async (subjects: readonly string[]): Promise<Map<string, DataKey[]>> => {
    const out = new Map<string, DataKey[]>();
    for (const s of subjects) {
      const found = keys.get(s);
      if (found !== undefined) out.set(s, [...found]);
    }
    return out;
  };
  return {
    keysOf,
    ensureKeys: async (subjects) => {
      for (const s of subjects) if (!keys.has(s)) keys.set(s, [newDataKey()]);
      return keysOf(subjects);
    },
    readKeys: async (subjects) => ({ epoch, keys: await keysOf(subjects) }),
    rotate: async (subject) => {
      epoch += 1;
      const key = newDataKey();
      keys.set(subject, [...(keys.get(subject) ?? []), key]);
      return key.id;
    },
    forget: async (subject) => {
      const n = keys.get(subject)?.length ?? 0;
      keys.delete(subject);
      epoch += FORGET_STEP;
      return n;
    },
  };
}
