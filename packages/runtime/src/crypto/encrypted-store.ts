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
import type { AppendOptions, EventStore, SqlExecutor, StoreTransaction } from "../store/event-store.js";
import { DataKeyConflictError } from "../store/key-tables.js";
import type { Outbox } from "../store/outbox.js";
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { ENCRYPTED_MARK, isSealed, sealFields, TamperedFieldError } from "./field-cipher.js";
import { retryTransient } from "../pipeline/transient-retry.js";
import { FirstKeyPolicy, KeyCache, type CachedKeys } from "./key-cache.js";
import { openPayload, openPayloads, subjectOf, withPayload, type Keyring } from "./open-payloads.js";
import type { KeyStore } from "./key-store.js";
import { checkSubjectId } from "./subject-id.js";
import { sealingSql } from "./sealed-messages.js";
import { workflowSealers, type Lookup } from "./workflow-sealer.js";
import { plansOf } from "./plans.js";
import { KEY_EPOCH } from "./key-epoch.js";

export { keyEpochOf, KeyEpochMovedError } from "./key-epoch.js";

export { hasEncryptedFields } from "./plans.js";

export interface EncryptedStoreOptions {
  /**
   * How many subjects' keys stay cached in this process (default 10 000; least recently used
   * dropped first). Every read and append checks the key epoch first, so a key forgotten or
   * rotated by any process is never used from the cache.
   */
  readonly keyCacheSize?: number;
}

/** An event store that encrypts personal data per subject; `forget` and `rotate` act on the key store. */
export interface EncryptedEventStore extends EventStore {
  readonly keys: KeyStore;
  /** Deletes the subject's keys (their `@pii(subject)` fields read as forgotten from now on), then purges the copies the
   * key store's database keeps (`keys.purge`) unless `purge: false` (many forgets: purge once after). Returns the count. */
  forget(subject: string, options?: { readonly purge?: boolean }): Promise<number>;
  /** A new current key for the subject; events written before still read under their old key. */
  rotate(subject: string): Promise<string>;
  /** A received (or outbox) envelope with its fields decrypted, as `readAll` returns it. */
  decryptEnvelope(envelope: StoredEvent): Promise<StoredEvent>;
}

/** An append's events to seal: each one's plan and subject (undefined: none), and the distinct subjects. */
interface Sealing {
  readonly plans: readonly (EncryptPlan | undefined)[];
  readonly subjects: readonly (string | undefined)[];
  readonly distinct: readonly string[];
}

/** Attempts of an append whose keys met another writer's (each reads the keys again). */
const KEY_ATTEMPTS = 5;

/** Wraps `store`: see the module comment. */
export function encryptedStore(
  store: EventStore,
  table: Pick<CodecTable, "events"> & Partial<Pick<CodecTable, "commands">>,
  keys: KeyStore,
  options: EncryptedStoreOptions = {},
): EncryptedEventStore {
  const plans = plansOf(table);
  const cache = new KeyCache(options.keyCacheSize ?? 10_000);
  const firstKeys = new FirstKeyPolicy();
  // First keys go into the append's own transaction when the keys live in the store's database.
  const inAppend = keys.draftKeys !== undefined && keys.database === store && store.engine !== "memory";
  /**
   * The keys of `needed` as this call found them: the cache checked against the key store's
   * epoch, the subjects it lacks read (one key-store call; another only when the epoch moved
   * meanwhile). Callers seal and open with the answer, never with the cache after an await:
   * other callers change the cache meanwhile (evictions, rotations, reads of other subjects).
   * `checkedAt`: the epoch this transaction read already; the cache is trusted without reading it
   * again only while it is still at that epoch (a late answer of an older read may have moved it back).
   */
  const load = async (needed: readonly string[], within?: SqlExecutor, checkedAt?: number): Promise<Lookup> => {
    const found = new Map<string, CachedKeys>();
    let missing: string[] = [];
    // The epoch the keys in `found` were read at (another caller may move the cache's meanwhile).
    let epoch = cache.epoch;
    for (const subject of needed) {
      const cached = cache.get(subject);
      if (cached === undefined) missing.push(subject);
      else found.set(subject, cached);
    }
    if (checkedAt !== undefined && epoch === checkedAt && missing.length === 0) return { ring: found, epoch };
    // No epoch to check a cache against: keys are read for this call only.
    if (keys.readKeys === undefined) return { ring: needed.length === 0 ? found : await keys.keysOf(needed, within), epoch: undefined };
    for (;;) {
      const readKeys = keys.readKeys.bind(keys, missing, within);
      // Outside a transaction a lost connection is tried again here (a consumer's decrypt would
      // otherwise spend its delivery attempts on a failover); inside one, its owner retries.
      const read = await (within === undefined ? retryTransient(readKeys) : readKeys());
      cache.at(read.epoch);
      cache.fill(missing, read.keys);
      for (const subject of missing) found.set(subject, read.keys.get(subject) ?? []);
      if (read.epoch === epoch) return { ring: found, epoch };
      // The keys found before this read belong to another epoch: read them again.
      const fresh = new Set(missing);
      missing = needed.filter((s) => !fresh.has(s));
      epoch = read.epoch;
      if (missing.length === 0) return { ring: found, epoch };
    }
  };
  /**
   * The keys of `subjects`, each with a current one (key-store calls, not the append's). Inside a
   * transaction (`within`) first keys are made in it and go into `own`, never into the cache:
   * until it commits no one else may seal under them, and it may roll back.
   */
  const ensure = async (subjects: Iterable<string>, within?: SqlExecutor, checkedAt?: number, own?: Map<string, CachedKeys>): Promise<Lookup> => {
    const all = [...new Set(subjects)];
    const lookup = await load(all, within, checkedAt);
    const found = new Map(lookup.ring);
    const missing = all.filter((s) => found.get(s)?.at(-1) === undefined);
    if (missing.length === 0) return lookup;
    const made = await keys.ensureKeys(missing, within);
    // Committed already (no transaction around), and cached only while the cache is still at the
    // epoch read before: a cache moved meanwhile may be past a forget of the keys `made` returned.
    if (within === undefined && lookup.epoch !== undefined && cache.epoch === lookup.epoch) cache.fill(missing, made);
    for (const subject of missing) {
      found.set(subject, made.get(subject) ?? []);
      own?.set(subject, made.get(subject) ?? []);
    }
    return { ring: found, epoch: lookup.epoch };
  };
  /** The keys of each subject by id (`needs`), or none when they are gone. */
  const prefetch = async (needed: ReadonlyMap<string, readonly string[]>, within?: SqlExecutor, checkedAt?: number): Promise<Lookup> => {
    for (const [subject, ids] of needed) {
      const known = cache.peek(subject);
      if (known !== undefined && !ids.every((id) => known.some((k) => k.id === id))) cache.delete(subject);
    }
    return load([...needed.keys()], within, checkedAt);
  };

  const subjectFor = (plan: EncryptPlan, data: Record<string, unknown>, type: string): string => {
    const subject = subjectOf(data, plan);
    if (subject === undefined) throw new Error(`cannot encrypt ${type}: its subject field "${plan.subject}" holds no id`);
    checkSubjectId(subject, () => `cannot encrypt ${type} (its subject field "${plan.subject}")`);
    return subject;
  };
  /** Seals the plan's fields into one entry under the subject's current key in `ring` (`ensure`). */
  const seal = (plan: EncryptPlan, data: Record<string, unknown>, type: string, ring: Keyring, known?: string): Record<string, unknown> => {
    if (isSealed(data[ENCRYPTED_MARK])) {
      // Sealed already (a stored event copied as it is): its personal fields are in the entry. One
      // beside it too would be stored in plain text, looking forgotten once the key is gone.
      for (const field in plan.fields) {
        if (data[field] !== undefined) throw new Error(`cannot append ${type}: it holds a sealed entry ("${ENCRYPTED_MARK}") and its personal field "${field}" in plain text beside it`);
      }
      return data;
    }
    const subject = known ?? subjectFor(plan, data, type);
    const key = ring.get(subject)?.at(-1);
    if (key === undefined) throw new Error(`no key for a data subject of ${type}`);
    if (key.damaged !== undefined) throw new Error(`cannot encrypt ${type}: the current data key ${key.id} of its subject cannot be read (${key.damaged})`);
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
  /** Adds the subject and key id a message's sealed entry needs to `needed` (subject → key ids). */
  const needs = (plan: EncryptPlan, data: Record<string, unknown>, needed: Map<string, string[]>): void => {
    const subject = subjectOf(data, plan);
    const sealed = data[ENCRYPTED_MARK];
    if (subject === undefined || !isSealed(sealed)) return;
    const ids = needed.get(subject);
    if (ids === undefined) needed.set(subject, [sealed.k]);
    else if (!ids.includes(sealed.k)) ids.push(sealed.k);
  };
  const planOf = (event: { readonly type: string; readonly version: number; readonly payload: unknown }): EncryptPlan | undefined =>
    isRecord(event.payload) ? plans.get(event.type)?.get(event.version) : undefined;

  /**
   * Each event's plan and subject (undefined: nothing to seal), and the distinct subjects, each
   * id checked once per batch (a batch holds a subject's events in runs).
   */
  const subjectsOf = (events: readonly NewEvent[]): Sealing => {
    const plans: (EncryptPlan | undefined)[] = [];
    const subjects: (string | undefined)[] = [];
    const distinct = new Set<string>();
    for (const e of events) {
      const plan = planOf(e);
      plans.push(plan);
      if (plan === undefined) {
        subjects.push(undefined);
        continue;
      }
      const data = e.payload as Record<string, unknown>;
      const subject = subjectOf(data, plan);
      if (subject === undefined || !distinct.has(subject)) subjectFor(plan, data, e.type);
      subjects.push(subject);
      distinct.add(subject!);
    }
    return { plans, subjects, distinct: [...distinct] };
  };
  const sealAll = (events: readonly NewEvent[], sealing: Sealing, ring: Keyring): NewEvent[] =>
    events.map((e, i) => {
      const plan = sealing.plans[i];
      return plan === undefined ? e : { ...e, payload: seal(plan, e.payload as Record<string, unknown>, e.type, ring, sealing.subjects[i]) };
    });
  /**
   * Appends with first keys made in the append's own transaction (`AppendOptions.keys`): a
   * subject the cache lacks is given a drafted key outright (PostgreSQL: one round trip for keys
   * and events together), the key epoch is read once per process (and after a conflict). When the
   * subject had a key after all (another writer, another process, or one this cache dropped) or
   * a key moved meanwhile, the append wrote nothing — the store checks the keys before the events
   * — and the next attempt reads the keys first; so do the next appends (`FirstKeyPolicy`). A drafted key enters the cache once the append
   * that stores it has committed, never before.
   */
  const appendWithKeys = async (stream: string, events: readonly NewEvent[], expected: ExpectedVersion, appendOptions: AppendOptions | undefined, sealing: Sealing): Promise<AppendResult> => {
    const subjects = sealing.distinct;
    for (let attempt = 1; ; attempt++) {
      const uncached = (): string[] => subjects.filter((s) => cache.peek(s)?.at(-1) === undefined);
      if (cache.epoch === undefined || attempt > 1) await load(cache.epoch === undefined ? subjects : uncached());
      else if (firstKeys.readFirst) {
        const lacked = uncached();
        if (lacked.length > 0) {
          await load(lacked);
          firstKeys.read(lacked.some((s) => cache.peek(s)?.at(-1) !== undefined));
        }
      }
      // The keys and the epoch they were read at, taken together with no await between.
      const ring = new Map<string, CachedKeys>();
      for (const subject of subjects) {
        const cached = cache.get(subject);
        if (cached?.at(-1) !== undefined) ring.set(subject, cached);
      }
      const drafts = keys.draftKeys!(subjects.filter((s) => !ring.has(s)));
      for (const [subject, key] of drafts.keys) ring.set(subject, [key]);
      const epoch = cache.epoch ?? null;
      try {
        const result = await store.append(stream, sealAll(events, sealing, ring), expected, { ...appendOptions, keys: { made: drafts.rows, epoch } });
        // An epoch read meanwhile may come after a forget of these very keys: they stay out then.
        if (cache.epoch === (epoch ?? undefined)) for (const [subject, key] of drafts.keys) cache.set(subject, [key]);
        return result;
      } catch (error) {
        if (!(error instanceof DataKeyConflictError) || attempt >= KEY_ATTEMPTS) throw error;
        if (error.reason === "changed") cache.clear();
        // "taken": the cache said these subjects had no key; it is read again.
        else {
          for (const subject of drafts.keys.keys()) cache.delete(subject);
          firstKeys.conflicted();
        }
      }
    }
  };
  const append = async (stream: string, events: readonly NewEvent[], expected: ExpectedVersion, appendOptions?: AppendOptions): Promise<AppendResult> => {
    const sealing = subjectsOf(events);
    if (sealing.distinct.length === 0) return store.append(stream, events, expected, appendOptions);
    if (inAppend) return appendWithKeys(stream, events, expected, appendOptions, sealing);
    const { ring } = await ensure(sealing.distinct);
    return store.append(stream, sealAll(events, sealing, ring), expected, appendOptions);
  };
  const decryptAll = async (events: readonly StoredEvent[]): Promise<StoredEvent[]> => {
    const needed = new Map<string, string[]>();
    // The events holding an entry, sealed or not (`openPayload` refuses one that is not), and their plans.
    const marked: number[] = [];
    const markedPlans: EncryptPlan[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const plan = planOf(e);
      if (plan === undefined || !Object.hasOwn(e.payload as Record<string, unknown>, ENCRYPTED_MARK)) continue;
      needs(plan, e.payload as Record<string, unknown>, needed);
      marked.push(i);
      markedPlans.push(plan);
    }
    const out = [...events];
    if (marked.length === 0) return out;
    const { ring, epoch } = needed.size === 0 ? { ring: new Map<string, CachedKeys>(), epoch: undefined } : await prefetch(needed);
    if (epoch !== undefined) Object.defineProperty(out, KEY_EPOCH, { value: epoch });
    const payloads = openPayloads(events, marked, markedPlans, ring);
    if (payloads !== undefined) {
      for (let m = 0; m < marked.length; m++) out[marked[m]!] = withPayload(events[marked[m]!]!, payloads[m]);
      return out;
    }
    for (let m = 0; m < marked.length; m++) {
      const i = marked[m]!;
      const e = events[i]!;
      try {
        out[i] = withPayload(e, openPayload(markedPlans[m]!, e.payload as Record<string, unknown>, ring));
      } catch (error) {
        // Which event: `verifyStore` reports it and reads on.
        if (error instanceof TamperedFieldError) {
          error.event = { stream: e.stream, position: e.position, globalPosition: e.globalPosition, messageId: e.messageId, type: e.type, version: e.version };
        }
        throw error;
      }
    }
    return out;
  };

  // Inside a transaction, keys are read with the transaction's own SQL (SQLite has one writer).
  const sealerIn = workflowSealers({ table, plans, seal, subjectFor, ensure, prefetch, needs });

  const outbox: Outbox = {
    // Published as stored: the bus carries ciphertext; consumers decrypt with `decryptEnvelope`.
    fetchUnsent: (limit) => store.outbox.fetchUnsent(limit),
    markSent: (ids) => store.outbox.markSent(ids),
  };

  return {
    engine: store.engine,
    keys,
    outbox,
    append,
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
    ...(store.session === undefined ? {} : { session: store.session.bind(store) }),
    saveSnapshot: (stream, position, state, schemaTag) => store.saveSnapshot(stream, position, state, schemaTag),
    loadSnapshot: (stream) => store.loadSnapshot(stream),
    // Workflow runs keep their start and awaited events: sealed like the events themselves.
    // The first keys a transaction makes stay its own (`sealerIn`): a rolled-back one leaves none in the cache.
    transaction: (fn) =>
      store.transaction((tx) => {
        if (tx.sql === undefined) return fn(tx);
        const pinned: { epoch?: number } = {};
        return fn(withSql(tx, sealingSql(tx.sql, sealerIn(tx.sql, pinned)), (epoch) => void (pinned.epoch = epoch)));
      }),
    close: () => store.close(),
    // The key store moves the epoch too; clearing here spares the next read finding out.
    forget: async (subject, forgetOptions) => {
      cache.clear();
      const n = await keys.forget(subject);
      cache.clear();
      if (forgetOptions?.purge !== false) await keys.purge?.();
      return n;
    },
    rotate: async (subject) => {
      const id = await keys.rotate(subject);
      cache.clear();
      return id;
    },
    // A received envelope keeps whatever else it carries.
    decryptEnvelope: async (envelope) => {
      const read = (await decryptAll([envelope]))[0] as StoredEvent;
      return read === envelope ? envelope : { ...envelope, payload: read.payload };
    },
  };
}

/** `tx` with its `sql` replaced and `pinKeyEpoch` given (its methods still called on the original). */
function withSql(tx: StoreTransaction, sql: SqlExecutor, pinKeyEpoch: (epoch: number) => void): StoreTransaction {
  return new Proxy(tx, {
    get: (target, prop) => {
      if (prop === "sql") return sql;
      if (prop === "pinKeyEpoch") return pinKeyEpoch;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
