/**
 * An event store on PostgreSQL through `pg`. Appends to different streams run side by side; their
 * global positions can commit out of order and have gaps, so the log's readers (`readAll`,
 * `headPosition`, the outbox) read only what appends that ended wrote, below the oldest append
 * still running (see postgres-read.ts): they never skip an event. Appends announce the new head
 * with NOTIFY once committed (postgres-announce.ts); `waitForEvents` LISTENs on a dedicated
 * connection and polls as a fallback.
 */
import pg from "pg";
import type { PoolClient } from "pg";
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from "../types.js";
import { checkExpected, checkPositive, checkStream } from "./checks.js";
import { EVENT_COLUMNS, eventFromRow, type EventRow } from "./event-rows.js";
import { DuplicateCommandError, NoEventStoreError, StoreUnavailableError, type AppendOptions, type CommandRead, type CommandRecord, type EventStore } from "./event-store.js";
import type { ReadStreamOptions, Snapshot, SqlExecutor, StoreOptions, StoreTransaction } from "./event-store.js";
import { HeadNotifier } from "./head-notifier.js";
import type { Outbox, OutboxRow } from "./outbox.js";
import { DataKeyConflictError } from "./key-tables.js";
import { PG_CHANNEL } from "./postgres-schema.js";
import { ensureSchema, holdsEventStore } from "./postgres-setup.js";
import { oneQueryAtATime, PostgresTransaction, postgresSql } from "./postgres-transaction.js";
import { KEYS_FORGOTTEN, READ_FOR_COMMAND, type CommandJson, type SnapshotJson } from "./postgres-append.js";
import { AppendBatcher } from "./postgres-append-batch.js";
import { HeadAnnouncer } from "./postgres-announce.js";
import { retryTransient } from "../pipeline/transient-retry.js";
import { redactUrl } from "../engine/mask-url.js";
import type { TlsOptions } from "../engine/tls.js";

/** How soon to look again for a notified event that is not final yet (ms). */
const RECHECK_MS = 5;

/** Options for the PostgreSQL store. */
export interface PostgresStoreOptions extends StoreOptions {
  /** How long to wait for a connection before failing, in ms (default 5000). */
  readonly connectTimeoutMs?: number;
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** Wake `waitForEvents` by LISTEN/NOTIFY (default true); false: poll every `pollIntervalMs` only. */
  readonly listen?: boolean;
  /**
   * TLS beside the URL: the server's certificate must chain to `ca`; `cert` + `key` log in with a
   * client certificate (mutual TLS). Given, every connection uses TLS and verifies the server.
   */
  readonly tls?: TlsOptions;
  /**
   * Group commit: how long an append may wait, at most, for the appends of the other commands
   * this process has under way (read, not yet appended), so that they share one lock and one
   * flush (default 2 ms; 0 never waits). A lone sender never waits.
   */
  readonly appendLingerMs?: number;
  /** How many append calls (each one transaction, grouping appends) this process runs at once (default 4). */
  readonly appendsInFlight?: number;
  /** Refuse a database without `eda_events` (`NoEventStoreError`), creating nothing in it. */
  readonly existing?: boolean;
}

interface CommandRow {
  command_id: string;
  stream: string;
  result: unknown;
  last_global_position: string | number | null;
  time: Date;
}

function commandFromJson(json: CommandJson): CommandRecord {
  return commandFromRow({ ...json, time: new Date(json.time) });
}

function commandFromRow(row: CommandRow): CommandRecord {
  const last = row.last_global_position;
  const lastGlobalPosition = last === null ? null : Number(last);
  return { commandId: row.command_id, stream: row.stream, result: row.result, lastGlobalPosition, time: row.time.toISOString() };
}

/** An `EventStore` in a PostgreSQL database. Create it with `PostgresEventStore.open`. */
export class PostgresEventStore implements EventStore {
  readonly engine = "postgres";
  readonly outbox: Outbox;
  readonly autocommit: SqlExecutor;
  private readonly notifier: HeadNotifier;
  private readonly batcher: AppendBatcher;
  private readonly announcer: HeadAnnouncer;
  private readonly clock: () => Date;
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  /** The highest position announced by NOTIFY, final or not. */
  private notified = 0;
  private rechecking: ReturnType<typeof setTimeout> | undefined;
  private recheckMs = RECHECK_MS;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly options: PostgresStoreOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.notifier = new HeadNotifier(options.pollIntervalMs ?? 500);
    this.batcher = new AppendBatcher(pool, 64, options.appendLingerMs ?? 2, options.appendsInFlight ?? 4);
    this.announcer = new HeadAnnouncer(pool);
    this.outbox = {
      fetchUnsent: (limit) => this.fetchUnsent(limit),
      markSent: (ids) => this.markSent(ids),
    };
    this.autocommit = postgresSql(pool);
  }

  /** Connects eagerly (failing with `StoreUnavailableError`) and creates the schema if missing. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = new pg.Pool({
      connectionString: url,
      ...sslOf(options.tls),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      max: options.maxConnections ?? 10,
    });
    // An idle client whose server goes away emits 'error'; the pool drops it and the next query reconnects.
    pool.on("error", () => undefined);
    // A checked-out client has no listener of the pool's, and the 'error' of a connection
    // terminated right after it was handed out can come before any code of ours runs (same TCP
    // read): every client keeps a listener of its own, so that no 'error' is ever unhandled.
    pool.on("connect", (client) => client.on("error", () => undefined));
    try {
      if (options.existing === true && !(await retryTransient(() => holdsEventStore(pool), { attempts: 3, unreachableIsFinal: true }))) {
        throw new NoEventStoreError(redactUrl(url));
      }
      await retryTransient(() => ensureSchema(pool), { attempts: 3, unreachableIsFinal: true });
    } catch (error) {
      if (error instanceof NoEventStoreError) {
        await pool.end().catch(() => undefined);
        throw error;
      }
      await pool.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(redactUrl(url), reason, { cause: error });
    }
    return new PostgresEventStore(pool, url, options);
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkStream(stream);
    const kind = expected.kind;
    const keys = options.keys;
    const answer = await this.batcher.append([
      stream, kind, kind === "exact" ? expected.position : null, this.clock().toISOString(),
      events.map((e) => e.messageId), events.map((e) => e.type), events.map((e) => e.version),
      events.map((e) => e.correlationId), events.map((e) => e.causationId),
      events.map((e) => JSON.stringify(e.metadata ?? {})), events.map((e) => JSON.stringify(e.payload)),
      options.command?.id ?? null, JSON.stringify(options.command?.result ?? null),
      keys?.made.map((k) => k.subject) ?? [], keys?.made.map((k) => k.keyId) ?? [], keys?.made.map((k) => k.keyData) ?? [], keys?.epoch ?? null,
    ]).catch((error: unknown) => {
      throw keyConflictOf(error) ?? error;
    });
    const head = answer.head === null ? null : Number(answer.head);
    if (answer.written && events.length > 0) {
      this.notified = Math.max(this.notified, Number(answer.last));
      this.announcer.announce(Number(answer.last));
    }
    if (!answer.written) {
      checkExpected(stream, expected, head);
      if (answer.command != null) throw new DuplicateCommandError(commandFromJson(answer.command));
    }
    return { lastPosition: (head ?? -1) + events.length, lastGlobalPosition: Number(answer.last) };
  }

  /** The command record, the usable snapshot and the stream's events after it, in one round trip. */
  async readForCommand(stream: string, commandId: string, snapshotTag: string | null): Promise<CommandRead> {
    checkStream(stream);
    type Row = { record: CommandJson | null; snapshot: SnapshotJson | null } & EventRow;
    this.batcher.expect(stream);
    const { rows } = await this.pool.query<Row>({ name: "eda_read_for_command", text: READ_FOR_COMMAND, values: [stream, commandId, snapshotTag] });
    const first = rows[0];
    if (first?.record != null) return { record: commandFromJson(first.record), snapshot: null, events: [] };
    const s = first?.snapshot ?? null;
    const snapshot = s === null ? null : { stream, position: Number(s.position), state: s.state, schemaTag: s.schema_tag, time: new Date(s.time).toISOString() };
    const events = rows.filter((row) => row.global_position !== null).map((row) => eventFromRow(row, false));
    return { record: null, snapshot, events };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM eda_events WHERE stream = $1 AND position >= $2 AND position <= $3 ` +
        "AND ($4::timestamptz IS NULL OR time <= $4::timestamptz) ORDER BY position",
      [stream, options.fromPosition ?? 0, options.toPosition ?? Number.MAX_SAFE_INTEGER, options.until?.toISOString() ?? null],
    );
    return rows.map((row) => eventFromRow(row, false));
  }

  async streamPosition(stream: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ head: string | null }>(
      "SELECT max(position) AS head FROM eda_events WHERE stream = $1",
      [stream],
    );
    const head = rows[0]?.head;
    return head == null ? null : Number(head);
  }

  async readAll(fromGlobalPosition: number, batchSize: number): Promise<StoredEvent[]> {
    checkPositive("batchSize", batchSize);
    const { rows } = await this.pool.query<EventRow>(
      { name: "eda_read_all", text: `SELECT ${EVENT_COLUMNS} FROM eda_read_all($1, $2)`, values: [fromGlobalPosition, batchSize] },
    );
    return rows.map((row) => eventFromRow(row, false));
  }

  async headPosition(): Promise<number> {
    // What readers can read: an event committed above an append still running is not final yet.
    const { rows } = await this.pool.query<{ head: string }>({ name: "eda_head", text: "SELECT eda_head() AS head" });
    const head = Number(rows[0]?.head ?? 0);
    if (this.notified > head) this.recheck();
    else this.recheckMs = RECHECK_MS;
    return head;
  }

  /**
   * A notified event that is not final yet waits for a transaction still running, whose end
   * (unless it appends) sends no notification: look again soon rather than at the next poll,
   * then less and less often while that transaction runs on.
   */
  private recheck(): void {
    if (this.rechecking !== undefined || this.closed) return;
    this.rechecking = setTimeout(() => {
      this.rechecking = undefined;
      this.notifier.notify();
    }, this.recheckMs);
    this.rechecking.unref();
    this.recheckMs = Math.min(this.recheckMs * 2, this.options.pollIntervalMs ?? 500);
  }

  async waitForEvents(afterGlobalPosition: number, signal?: AbortSignal): Promise<boolean> {
    if (this.options.listen !== false) await this.listen();
    return this.notifier.wait(afterGlobalPosition, () => this.headPosition(), signal);
  }

  /**
   * LISTEN on a dedicated connection, started once (a lost one: by the next wait); failing, waits
   * poll. Only the latest client counts; any other is ended, so none outlives the store.
   */
  private listen(): Promise<void> {
    this.listening ??= this.startListener();
    return this.listening;
  }

  private async startListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, ...sslOf(this.options.tls), connectionTimeoutMillis: 5000 });
    this.listener = client;
    const latest = () => this.listener === client;
    client.on("error", () => {
      if (latest()) {
        this.listener = undefined;
        this.listening = undefined;
      }
      void client.end().catch(() => undefined);
    });
    client.on("notification", (message) => {
      this.notified = Math.max(this.notified, Number(message.payload ?? 0));
      this.notifier.notify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
      if (this.closed || !latest()) await client.end();
    } catch {
      // Not awaited: ending a client whose connection failed may wait for an end that already came.
      if (latest()) this.listener = undefined;
      void client.end().catch(() => undefined);
    }
  }

  async commandResult(commandId: string): Promise<CommandRecord | null> {
    const { rows } = await this.pool.query<CommandRow>(
      "SELECT command_id, stream, result, last_global_position, time FROM eda_commands WHERE command_id = $1",
      [commandId],
    );
    const row = rows[0];
    return row === undefined ? null : commandFromRow(row);
  }

  async saveSnapshot(stream: string, position: number, state: unknown, schemaTag: string): Promise<void> {
    await this.pool.query(
      "INSERT INTO eda_snapshots (stream, position, state, schema_tag, time) VALUES ($1, $2, $3::jsonb, $4, $5) " +
        "ON CONFLICT (stream) DO UPDATE SET position = excluded.position, state = excluded.state, " +
        "schema_tag = excluded.schema_tag, time = excluded.time",
      [stream, position, JSON.stringify(state), schemaTag, this.clock().toISOString()],
    );
  }

  async loadSnapshot(stream: string): Promise<Snapshot | null> {
    const { rows } = await this.pool.query<{ position: string; state: unknown; schema_tag: string; time: Date }>(
      "SELECT position, state, schema_tag, time FROM eda_snapshots WHERE stream = $1",
      [stream],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const { state, schema_tag: schemaTag } = row;
    return { stream, position: Number(row.position), state, schemaTag, time: row.time.toISOString() };
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.inTransaction((client) => fn(new PostgresTransaction(client)));
  }

  /**
   * Runs `fn` between BEGIN and COMMIT on a pooled client. A client whose connection dies while
   * checked out emits `error` with no listener of the pool's attached (the pool listens only to
   * idle clients): without this one, a terminated backend or a failover would crash the process.
   * The transaction's next query then fails, the error reaches the caller (commands retry it),
   * and the broken client is destroyed instead of going back to the pool.
   */
  private async inTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on("error", onError);
    const serial = oneQueryAtATime(client);
    try {
      await serial.query("BEGIN");
      const result = await fn(serial);
      await serial.query("COMMIT");
      return result;
    } catch (error) {
      if (broken === undefined) {
        await serial.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  private async fetchUnsent(limit: number): Promise<OutboxRow[]> {
    checkPositive("limit", limit);
    const { rows } = await this.pool.query<EventRow>({ name: "eda_unsent", text: `SELECT ${EVENT_COLUMNS} FROM eda_unsent($1)`, values: [limit] });
    return rows.map((row) => ({ id: Number(row.global_position), envelope: eventFromRow(row, false) }));
  }

  private async markSent(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query("DELETE FROM eda_outbox WHERE id = ANY($1::bigint[])", [[...ids]]);
  }

  async session<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(postgresSql(client));
    } finally {
      // Closed rather than returned to the pool: its settings must not reach another caller.
      client.release(true);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.rechecking);
    this.notifier.close();
    await this.listening;
    await this.listener?.end().catch(() => undefined);
    await this.announcer.settled();
    await this.pool.end();
  }
}

/** The store's error for a failed append that `eda_append` failed for its keys (`AppendOptions.keys`). */
function keyConflictOf(error: unknown): DataKeyConflictError | undefined {
  const { code, table } = error as { code?: unknown; table?: unknown };
  if (code === "23505" && table === "eda_subject_keys") return new DataKeyConflictError("taken", { cause: error });
  if (code === KEYS_FORGOTTEN) return new DataKeyConflictError("changed", { cause: error });
  return undefined;
}

/** `pg`'s `ssl` setting for the `tls` option (none: whatever the URL's `sslmode` says). */
function sslOf(tls: TlsOptions | undefined): { ssl?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: true } } {
  return tls === undefined ? {} : { ssl: { ...tls, rejectUnauthorized: true } };
}
