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
   * Optional: the key epoch — a number every `forget` and `rotate` changes, in any process — read
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

/** The longest subject id, in UTF-8 bytes, a key can be made for (PostgreSQL indexes the key table by it). */
export const MAX_SUBJECT_BYTES = 1024;

// With the `u` flag a surrogate pair is one code point: only a lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` holds a lone surrogate (UTF-8 text, a database's, turns it into U+FFFD). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Why a key cannot be made for `subject` (undefined: it can): the key table keeps subject ids as
 * UTF-8 text, where a lone surrogate turns into U+FFFD — the key would be stored under another id
 * than the one that seals with it, and the data would read as forgotten at once — PostgreSQL
 * refuses U+0000, and indexes no more than about 2,700 bytes. An empty id is no id: every event
 * without one would share a key, and forgetting one of them would forget them all.
 */
export function subjectIdProblem(subject: string): string | undefined {
  if (subject === "") return "is empty";
  if (hasLoneSurrogate(subject)) return "is not well-formed Unicode (it holds a lone surrogate)";
  if (subject.includes("\u0000")) return "holds the character U+0000 (NUL)";
  const bytes = subject.length > MAX_SUBJECT_BYTES / 3 ? Buffer.byteLength(subject) : subject.length;
  if (bytes > MAX_SUBJECT_BYTES) return `is ${bytes} bytes long, above the limit of ${MAX_SUBJECT_BYTES}`;
  return undefined;
}

/** Throws when no key can be made for `subject` (`subjectIdProblem`); `what` names the caller. */
export function checkSubjectId(subject: string, what: string): void {
  const problem = subjectIdProblem(subject);
  if (problem !== undefined) throw new RangeError(`${what}: the data subject id ${describeSubject(subject)} ${problem}`);
}

/** A subject id for a message: quoted, escaped, and cut short when long. */
export function describeSubject(subject: string): string {
  const quoted = JSON.stringify(subject.length > 60 ? `${subject.slice(0, 60)}…` : subject);
  return subject.length > 60 ? `${quoted} (${subject.length} characters)` : quoted;
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
      epoch += 1;
      return n;
    },
  };
}
