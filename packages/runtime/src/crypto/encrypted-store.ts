/**
 * Crypto-shredding around any event store: `encryptedStore(store, codec, keys)` encrypts the
 * `@pii(subject)` fields of every appended event under the data subject's key (ChaCha20-Poly1305, field-cipher.ts), so
 * the stored rows — and the outbox, and so the published messages — carry ciphertext only.
 * Reading (`readStream`, `readAll`) decrypts them at the stored version, before the codec
 * validates and upcasts: aggregates, projections, workflows, replays and `verifyStore` see the
 * data as it was written, or, once the subject is forgotten, the `FORGOTTEN` placeholder (a
 * required field) or no value (an optional one). Events written before encryption was on read
 * as they are. `decryptEnvelope` does the same for a message a consumer received.
 */
import type { CodecTable, EncryptPlan } from "../codec/table.js";
import type { EventStore, SqlExecutor, StoreTransaction } from "../store/event-store.js";
import type { Outbox } from "../store/outbox.js";
import type { NewEvent, StoredEvent } from "../types.js";
import { ENCRYPTED_MARK, FORGOTTEN, isSealed, openFields, sealFields, type DataKey } from "./field-cipher.js";
import type { KeyStore } from "./key-store.js";
import { sealingSql, type MessageSealer } from "./sealed-messages.js";

export interface EncryptedStoreOptions {
  /**
   * How long a key stays cached in this process, in ms (default 30 000). `forget` through this
   * store drops its cache at once; another process's cache forgets within this time.
   */
  readonly keyCacheMs?: number;
}

/** An event store that encrypts personal data per subject; `forget` and `rotate` act on the key store. */
export interface EncryptedEventStore extends EventStore {
  readonly keys: KeyStore;
  /** Deletes the subject's keys: every `@pii(subject)` field of theirs reads as forgotten from now on. */
  forget(subject: string): Promise<number>;
  /** A new current key for the subject; events written before still read under their old key. */
  rotate(subject: string): Promise<string>;
  /** A received (or outbox) envelope with its fields decrypted, as `readAll` returns it. */
  decryptEnvelope(envelope: StoredEvent): Promise<StoredEvent>;
}

type Plans = ReadonlyMap<string, ReadonlyMap<number, EncryptPlan>>;

/** Wraps `store`: see the module comment. */
export function encryptedStore(store: EventStore, table: Pick<CodecTable, "events">, keys: KeyStore, options: EncryptedStoreOptions = {}): EncryptedEventStore {
  const plans = plansOf(table);
  const ttl = options.keyCacheMs ?? 30_000;
  // Subject → its keys (oldest first; empty: none, i.e. forgotten), until a time.
  const cache = new Map<string, { keys: DataKey[]; until: number }>();
  const cached = (subject: string): DataKey[] | undefined => {
    const hit = cache.get(subject);
    return hit !== undefined && hit.until > Date.now() ? hit.keys : undefined;
  };
  const remember = (subjects: readonly string[], found: Map<string, DataKey[]>): void => {
    const until = Date.now() + ttl;
    for (const s of subjects) cache.set(s, { keys: found.get(s) ?? [], until });
  };
  /** Makes sure every subject has a current key in the cache (one key-store call for all). */
  const ensure = async (subjects: Iterable<string>, within?: SqlExecutor): Promise<void> => {
    const missing = [...new Set(subjects)].filter((s) => (cached(s)?.length ?? 0) === 0);
    if (missing.length > 0) remember(missing, await keys.ensureKeys(missing, within));
  };
  /** Makes sure the cache knows each (subject, key id) pair, or knows the key is gone. */
  const prefetch = async (pairs: Iterable<readonly [string, string]>, within?: SqlExecutor): Promise<void> => {
    const missing = new Set<string>();
    for (const [subject, id] of pairs) if (cached(subject)?.some((k) => k.id === id) !== true) missing.add(subject);
    if (missing.size > 0) remember([...missing], await keys.keysOf([...missing], within));
  };

  const subjectFor = (plan: EncryptPlan, data: Record<string, unknown>, type: string): string => {
    const subject = subjectOf(data, plan);
    if (subject === undefined) throw new Error(`cannot encrypt ${type}: its subject field "${plan.subject}" holds no id`);
    return subject;
  };
  /** Seals the plan's fields into one entry; the subject's key must be in the cache (`ensure`). */
  const seal = (plan: EncryptPlan, data: Record<string, unknown>, type: string): Record<string, unknown> => {
    if (isSealed(data[ENCRYPTED_MARK])) return data;
    const subject = subjectFor(plan, data, type);
    const key = cached(subject)?.at(-1);
    if (key === undefined) throw new Error(`no key for a data subject of ${type}`);
    // Copied field by field rather than spread and `delete`d: a deleted property leaves the
    // object in V8's slow dictionary mode for everything that reads it afterwards.
    const payload: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    for (const field in data) {
      const value = data[field];
      if (!Object.hasOwn(plan.fields, field)) payload[field] = value;
      else if (value !== undefined) fields[field] = value;
    }
    payload[ENCRYPTED_MARK] = sealFields(key, subject, fields);
    return payload;
  };
  /** The (subject, key id) pair a message's sealed entry needs. */
  const needs = (plan: EncryptPlan, data: Record<string, unknown>, out: [string, string][]): void => {
    const subject = subjectOf(data, plan);
    const sealed = data[ENCRYPTED_MARK];
    if (subject !== undefined && isSealed(sealed)) out.push([subject, sealed.k]);
  };
  /** Opens the sealed entry, or forgets its fields; the keys must be in the cache (`prefetch`). */
  const open = (plan: EncryptPlan, data: Record<string, unknown>): Record<string, unknown> => {
    const sealed = data[ENCRYPTED_MARK];
    const subject = subjectOf(data, plan);
    if (!isSealed(sealed) || subject === undefined) return data;
    const payload: Record<string, unknown> = {};
    for (const field in data) if (field !== ENCRYPTED_MARK) payload[field] = data[field];
    const key = cached(subject)?.find((k) => k.id === sealed.k);
    if (key !== undefined) return Object.assign(payload, openFields(key.key, subject, sealed));
    for (const [field, onForget] of Object.entries(plan.fields)) if (onForget === "placeholder") payload[field] = FORGOTTEN;
    return payload;
  };
  const planOf = (event: { readonly type: string; readonly version: number; readonly payload: unknown }): EncryptPlan | undefined =>
    isRecord(event.payload) ? plans.get(event.type)?.get(event.version) : undefined;

  const encryptAll = async (events: readonly NewEvent[]): Promise<NewEvent[]> => {
    const subjects: string[] = [];
    for (const e of events) {
      const plan = planOf(e);
      if (plan !== undefined) subjects.push(subjectFor(plan, e.payload as Record<string, unknown>, e.type));
    }
    if (subjects.length === 0) return [...events];
    await ensure(subjects);
    return events.map((e) => {
      const plan = planOf(e);
      return plan === undefined ? e : { ...e, payload: seal(plan, e.payload as Record<string, unknown>, e.type) };
    });
  };
  const decryptAll = async (events: readonly StoredEvent[]): Promise<StoredEvent[]> => {
    const pairs: [string, string][] = [];
    const eventPlans = events.map((e) => {
      const plan = planOf(e);
      if (plan !== undefined) needs(plan, e.payload as Record<string, unknown>, pairs);
      return plan;
    });
    if (pairs.length === 0) return [...events];
    await prefetch(pairs);
    return events.map((e, i) => {
      const plan = eventPlans[i];
      if (plan === undefined) return e;
      const payload = open(plan, e.payload as Record<string, unknown>);
      return payload === e.payload ? e : { ...e, payload };
    });
  };
  const dropCache = (subject: string): void => void cache.delete(subject);

  // Inside a transaction, keys are read with the transaction's own SQL (SQLite has one writer).
  const planned = [...plans.keys()].map((type) => `"type":${JSON.stringify(type)}`);
  const sealerIn = (within: SqlExecutor): MessageSealer => ({
    mayNeedSealing: (text) => planned.some((p) => text.includes(p)),
    plan: (type) => {
      const entry = Object.hasOwn(table.events, type) ? table.events[type] : undefined;
      return entry === undefined ? undefined : plans.get(type)?.get(entry.current);
    },
    seal: async (plan, data) => {
      await ensure([subjectFor(plan, data, "a workflow's message")], within);
      return seal(plan, data, "a workflow's message");
    },
    open: async (plan, data) => {
      const pairs: [string, string][] = [];
      needs(plan, data, pairs);
      await prefetch(pairs, within);
      return open(plan, data);
    },
  });

  const outbox: Outbox = {
    // Published as stored: the bus carries ciphertext; consumers decrypt with `decryptEnvelope`.
    fetchUnsent: (limit) => store.outbox.fetchUnsent(limit),
    markSent: (ids) => store.outbox.markSent(ids),
  };

  return {
    engine: store.engine,
    keys,
    outbox,
    append: async (stream, events, expected, appendOptions) => {
      return store.append(stream, await encryptAll(events), expected, appendOptions);
    },
    readStream: async (stream, readOptions) => decryptAll(await store.readStream(stream, readOptions)),
    readAll: async (from, batchSize) => decryptAll(await store.readAll(from, batchSize)),
    streamPosition: (stream) => store.streamPosition(stream),
    headPosition: () => store.headPosition(),
    waitForEvents: (after, signal) => store.waitForEvents(after, signal),
    commandResult: (commandId) => store.commandResult(commandId),
    // The one-round-trip read of the command path, when the store has it: its events decrypted.
    ...(store.readForCommand === undefined
      ? {}
      : {
          readForCommand: async (stream: string, commandId: string, snapshotTag: string | null) => {
            const read = await store.readForCommand!(stream, commandId, snapshotTag);
            return { ...read, events: await decryptAll(read.events) };
          },
        }),
    ...(store.autocommit === undefined ? {} : { autocommit: store.autocommit }),
    saveSnapshot: (stream, position, state, schemaTag) => store.saveSnapshot(stream, position, state, schemaTag),
    loadSnapshot: (stream) => store.loadSnapshot(stream),
    // Workflow runs keep their start and awaited events: sealed like the events themselves.
    transaction: (fn) => store.transaction((tx) => fn(tx.sql === undefined ? tx : withSql(tx, sealingSql(tx.sql, sealerIn(tx.sql))))),
    close: () => store.close(),
    forget: async (subject) => {
      dropCache(subject);
      const n = await keys.forget(subject);
      dropCache(subject);
      return n;
    },
    rotate: async (subject) => {
      const id = await keys.rotate(subject);
      dropCache(subject);
      return id;
    },
    decryptEnvelope: async (envelope) => (await decryptAll([envelope]))[0] as StoredEvent,
  };
}

/** Whether a codec table encrypts anything (a model with `@pii(subject)` fields). */
export function hasEncryptedFields(table: Pick<CodecTable, "events">): boolean {
  return plansOf(table).size > 0;
}

function plansOf(table: Pick<CodecTable, "events">): Plans {
  const plans = new Map<string, Map<number, EncryptPlan>>();
  for (const [type, entry] of Object.entries(table.events)) {
    for (const [version, step] of Object.entries(entry.versions)) {
      if (step.encrypt === undefined) continue;
      const versions = plans.get(type) ?? new Map<number, EncryptPlan>();
      plans.set(type, versions.set(Number(version), step.encrypt));
    }
  }
  return plans;
}

/** `tx` with its `sql` replaced (its methods still called on the original). */
function withSql(tx: StoreTransaction, sql: SqlExecutor): StoreTransaction {
  return new Proxy(tx, {
    get: (target, prop) => {
      if (prop === "sql") return sql;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function subjectOf(payload: Record<string, unknown>, plan: EncryptPlan): string | undefined {
  const value = payload[plan.subject];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
