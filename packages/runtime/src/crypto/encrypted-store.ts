/**
 * Crypto-shredding around any event store: `encryptedStore(store, codec, keys)` encrypts the
 * `@pii(subject)` fields of every appended event under the data subject's key (AES-256-GCM), so
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
import { decryptField, encryptField, FORGOTTEN, isEncryptedField, type DataKey } from "./field-cipher.js";
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
  const current = new Map<string, { key: DataKey; until: number }>();
  const byId = new Map<string, { key: Buffer | undefined; until: number }>();

  const currentKey = async (subject: string, within?: SqlExecutor): Promise<DataKey> => {
    const hit = current.get(subject);
    if (hit !== undefined && hit.until > Date.now()) return hit.key;
    const key = await keys.currentKey(subject, within);
    current.set(subject, { key, until: Date.now() + ttl });
    return key;
  };
  const keyById = async (subject: string, id: string, within?: SqlExecutor): Promise<Buffer | undefined> => {
    const name = `${subject}\u0000${id}`;
    const hit = byId.get(name);
    if (hit !== undefined && hit.until > Date.now()) return hit.key;
    const key = await keys.key(subject, id, within);
    byId.set(name, { key, until: Date.now() + ttl });
    return key;
  };
  const dropCache = (subject: string): void => {
    current.delete(subject);
    for (const name of byId.keys()) if (name.startsWith(`${subject}\u0000`)) byId.delete(name);
  };

  const seal = async (plan: EncryptPlan, data: Record<string, unknown>, type: string, within?: SqlExecutor): Promise<Record<string, unknown>> => {
    const payload = { ...data };
    const subject = subjectOf(payload, plan);
    if (subject === undefined) throw new Error(`cannot encrypt ${type}: its subject field "${plan.subject}" holds no id`);
    const key = await currentKey(subject, within);
    for (const field of Object.keys(plan.fields)) {
      const value = payload[field];
      if (Object.hasOwn(payload, field) && value !== undefined && !isEncryptedField(value)) payload[field] = encryptField(key, subject, field, value);
    }
    return payload;
  };
  const open = async (plan: EncryptPlan, data: Record<string, unknown>, within?: SqlExecutor): Promise<Record<string, unknown>> => {
    const subject = subjectOf(data, plan);
    let payload: Record<string, unknown> | undefined;
    for (const [field, onForget] of Object.entries(plan.fields)) {
      const stored = data[field];
      if (!isEncryptedField(stored) || subject === undefined) continue;
      payload ??= { ...data };
      const key = await keyById(subject, stored["eda:enc"], within);
      if (key !== undefined) payload[field] = decryptField(key, subject, field, stored);
      else if (onForget === "placeholder") payload[field] = FORGOTTEN;
      else delete payload[field];
    }
    return payload ?? data;
  };
  const encrypt = async (event: NewEvent): Promise<NewEvent> => {
    const plan = plans.get(event.type)?.get(event.version);
    if (plan === undefined || !isRecord(event.payload)) return event;
    return { ...event, payload: await seal(plan, event.payload, event.type) };
  };
  const decrypt = async (event: StoredEvent): Promise<StoredEvent> => {
    const plan = plans.get(event.type)?.get(event.version);
    if (plan === undefined || !isRecord(event.payload)) return event;
    const payload = await open(plan, event.payload);
    return payload === event.payload ? event : { ...event, payload };
  };
  // Inside a transaction, keys are read with the transaction's own SQL (SQLite has one writer).
  const sealerIn = (within: SqlExecutor): MessageSealer => ({
    plan: (type) => {
      const entry = Object.hasOwn(table.events, type) ? table.events[type] : undefined;
      return entry === undefined ? undefined : plans.get(type)?.get(entry.current);
    },
    seal: (plan, data) => seal(plan, data, "a workflow's message", within),
    open: (plan, data) => open(plan, data, within),
  });
  const decryptAll = async (events: StoredEvent[]): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for (const e of events) out.push(await decrypt(e));
    return out;
  };

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
      const sealed: NewEvent[] = [];
      for (const e of events) sealed.push(await encrypt(e));
      return store.append(stream, sealed, expected, appendOptions);
    },
    readStream: async (stream, readOptions) => decryptAll(await store.readStream(stream, readOptions)),
    readAll: async (from, batchSize) => decryptAll(await store.readAll(from, batchSize)),
    streamPosition: (stream) => store.streamPosition(stream),
    headPosition: () => store.headPosition(),
    waitForEvents: (after, signal) => store.waitForEvents(after, signal),
    commandResult: (commandId) => store.commandResult(commandId),
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
    decryptEnvelope: decrypt,
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
