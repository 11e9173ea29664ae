/**
 * The event store contract shared by the in-memory, SQLite and PostgreSQL stores. One
 * conformance suite (`test/store/conformance.test.ts`) runs against all three.
 */
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { maskCredentials, maskedError } from "../engine/mask-url.js";
import type { AppendKeys } from "./key-tables.js";
import type { Outbox } from "./outbox.js";

/** Which engine a store runs on. */
export type StoreEngine = "memory" | "sqlite" | "postgres";

/** Bounds for `readStream`; all optional and inclusive. */
export interface ReadStreamOptions {
  /** First stream position to return (0-based). */
  readonly fromPosition?: number;
  /** Last stream position to return. */
  readonly toPosition?: number;
  /** Only events recorded at or before this time (temporal queries). */
  readonly until?: Date;
}

/**
 * The record of a handled command, stored in the same transaction as the events it produced so
 * that handling the same command id twice appends nothing the second time.
 */
export interface CommandRecord {
  readonly commandId: string;
  readonly stream: string;
  /** The first handling's result, as JSON. */
  readonly result: unknown;
  /** Global position of the last event the append wrote; null when it wrote none. */
  readonly lastGlobalPosition: number | null;
  readonly time: string;
}

/** Extra work done inside the append transaction. */
export interface AppendOptions {
  /** Record this command as handled, with its result, atomically with the events. */
  readonly command?: { readonly id: string; readonly result: unknown };
  /**
   * Data keys of crypto-shredding (SQL stores only; key-tables.ts): first keys inserted with the
   * events, and the forget count checked, in the same transaction. Throws
   * `DataKeyConflictError` (and writes nothing) when a subject already has a key or a key was
   * forgotten since `epoch`.
   */
  readonly keys?: AppendKeys;
}

/** A stored snapshot of an aggregate's state at a stream position. */
export interface Snapshot {
  readonly stream: string;
  /** The stream position of the last event folded into `state`. */
  readonly position: number;
  readonly state: unknown;
  /** Identifies the state's shape; a snapshot with another tag is ignored by loaders. */
  readonly schemaTag: string;
  readonly time: string;
}

/** A projection's or consumer's progress through the global log. */
export interface Checkpoint {
  /** Global position of the last event applied (0 = none). */
  readonly position: number;
  /** Time of the last event applied, or null when none was. */
  readonly lastEventTime: string | null;
}

/** Raw SQL inside a store transaction, in the engine's own dialect (`?` for SQLite, `$1` for PostgreSQL). */
export interface SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  /**
   * `options.name`: PostgreSQL keeps the statement prepared under this name on each connection
   * (planned once, not on every call); the text must then be the same on every call. SQLite
   * caches its statements by text and ignores it.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
}

/** How `SqlExecutor.query` runs a statement. */
export interface QueryOptions {
  /** A name to keep the statement prepared under (PostgreSQL). */
  readonly name?: string;
}

/**
 * Work done atomically in the store's own database: projection rows and checkpoints (key → JSON
 * row tables), processed-message records for idempotent consumers, and raw SQL where available.
 */
export interface StoreTransaction {
  /** Raw SQL in this transaction; undefined for the in-memory store. */
  readonly sql: SqlExecutor | undefined;
  getRows(table: string, keys: readonly string[]): Promise<Map<string, unknown>>;
  listRows(table: string): Promise<Map<string, unknown>>;
  putRow(table: string, key: string, row: unknown): Promise<void>;
  deleteRow(table: string, key: string): Promise<void>;
  /** Deletes every row of a table. */
  clearRows(table: string): Promise<void>;
  /**
   * Reads a checkpoint and holds it until the transaction ends, so that two runners of the same
   * projection cannot both apply the batch after it (SQLite and memory serialize transactions anyway).
   */
  getCheckpoint(name: string): Promise<Checkpoint | null>;
  setCheckpoint(name: string, checkpoint: Checkpoint): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
  /** Records that `consumer` processed `messageId`; false when it already had. */
  markProcessed(consumer: string, messageId: string): Promise<boolean>;
  /**
   * An encrypting store's transaction (`encryptedStore`): the personal data this transaction
   * writes was decrypted at key epoch `epoch` (`keyEpochOf` of the read): if a forget or rotation
   * has moved the epoch since, the transaction's first seal throws `KeyEpochMovedError` and
   * nothing is written — read again, then write what reads now. Absent on other stores.
   */
  pinKeyEpoch?(epoch: number): void;
}

/** An append-only log of streams with a global order, an outbox and the runtime's side tables. */
export interface EventStore {
  readonly engine: StoreEngine;
  /**
   * Appends events to a stream if `expected` holds, writing one outbox row per event (and the
   * command record, if given) in the same transaction. Throws `WrongExpectedVersionError` when
   * the version does not hold and `DuplicateCommandError` when the command id was recorded before.
   * Appending no events checks the version and records the command only.
   */
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** A stream's events in position order (empty when the stream does not exist). */
  readStream(stream: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The last position of a stream, or null when it has no events. */
  streamPosition(stream: string): Promise<number | null>;
  /**
   * Up to `batchSize` events with global position ≥ `fromGlobalPosition`, in global order. Reading
   * on from one past the last position returned never skips an event; positions are dense on
   * SQLite and in memory, and may have gaps on PostgreSQL (an append that failed after taking them).
   */
  readAll(fromGlobalPosition: number, batchSize: number): Promise<StoredEvent[]>;
  /** The global position of the last event `readAll` can return (0 when none). */
  headPosition(): Promise<number>;
  /**
   * Resolves `true` once an event with a global position above `afterGlobalPosition` is
   * committed, or `false` when `signal` aborts or the store closes.
   */
  waitForEvents(afterGlobalPosition: number, signal?: AbortSignal): Promise<boolean>;
  /** The first handling's record of a command id, or null. */
  commandResult(commandId: string): Promise<CommandRecord | null>;
  /**
   * Optional: `commandResult`, `loadSnapshot` (when its tag is `snapshotTag`) and `readStream`
   * after the snapshot, in one read (PostgreSQL: one round trip instead of three). `events` is
   * empty when the command was recorded before.
   */
  readForCommand?(stream: string, commandId: string, snapshotTag: string | null): Promise<CommandRead>;
  /**
   * Raw SQL outside any transaction, each statement committed on its own: on PostgreSQL one round
   * trip where `transaction` takes three (BEGIN, the statement, COMMIT); on SQLite without the
   * write lock `BEGIN IMMEDIATE` takes (run between, never inside, the process's transactions).
   * The key store reads and makes keys through it. Absent for the memory store.
   */
  readonly autocommit?: SqlExecutor;
  /**
   * Raw SQL on one connection held for `fn`, outside any transaction, as `autocommit`, with no
   * other work of the store's in between: PostgreSQL lends `fn` a pooled connection and closes it
   * afterwards, so a setting `fn` makes (`SET lock_timeout …`) reaches no one else; SQLite holds
   * its connection for `fn`, which must put back any setting it changes. The key store's purge
   * bounds its waits so. Absent for the memory store.
   */
  session?<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** Keeps the latest snapshot of a stream (replacing an older one). */
  saveSnapshot(stream: string, position: number, state: unknown, schemaTag: string): Promise<void>;
  loadSnapshot(stream: string): Promise<Snapshot | null>;
  /** Runs `fn` in one transaction of the store's database; a throw rolls everything back. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  readonly outbox: Outbox;
  /** Releases connections and resolves pending `waitForEvents` with false. */
  close(): Promise<void>;
}

/** What `readForCommand` reads: the command's earlier record, or the stream's snapshot and events. */
export interface CommandRead {
  readonly record: CommandRecord | null;
  readonly snapshot: Snapshot | null;
  readonly events: StoredEvent[];
}

/** Thrown by `append` when its command id was already recorded; carries the first record. */
export class DuplicateCommandError extends Error {
  override readonly name = "DuplicateCommandError";
  constructor(readonly record: CommandRecord) {
    super(`command ${record.commandId} was already handled on stream "${record.stream}"`);
  }
}

/** Options every store accepts. */
export interface StoreOptions {
  /** The clock that stamps appended events (tests pin it for temporal queries). */
  readonly clock?: () => Date;
  /** How often a store without push notifications polls in `waitForEvents`, in ms (default 250). */
  readonly pollIntervalMs?: number;
}

/**
 * Thrown by `openStore(url, { existing: true })` when the database answers but holds no event
 * store (no `eda_events` table): a URL naming another database. Nothing was created in it.
 */
export class NoEventStoreError extends Error {
  override readonly name = "NoEventStoreError";
  /** The URL, its password masked. */
  readonly url: string;

  constructor(url: string) {
    super(maskCredentials(`${url} holds no event store (no table eda_events); nothing was created in it`));
    this.url = maskCredentials(url);
  }
}

/** Thrown when a store cannot be opened: a server that does not answer, a file that cannot be created. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  /** The URL, its password masked. */
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    // The cause is masked too: a driver's or URL parser's error may quote the URL whole.
    super(maskCredentials(`cannot open the event store at ${url}: ${reason}`), options?.cause === undefined ? undefined : { cause: maskedError(options.cause) });
    this.url = maskCredentials(url);
  }
}
