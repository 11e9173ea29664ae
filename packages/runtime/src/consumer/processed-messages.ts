/**
 * The processed-message record that makes a consumer idempotent: per consumer, the ids of the
 * messages it has handled. `runOnce` records the id and runs the handler's work in one unit of
 * work, so a crash leaves either both (the redelivery is skipped) or neither (it runs again).
 */
import type { EventStore, StoreTransaction } from "../store/event-store.js";

/** Where a consumer records what it has processed. `TX` is what its handler writes through. */
export interface ProcessedMessages<TX> {
  /**
   * Runs `work` and records `messageId` for `consumer` atomically, unless it was recorded
   * before. Resolves `true` when `work` ran, `false` for a duplicate. A throw from `work`
   * records nothing.
   */
  runOnce(consumer: string, messageId: string, work: (tx: TX) => Promise<void>): Promise<boolean>;
}

/**
 * An in-memory record, for tests and the embedded default. The handler gets no transaction
 * (`undefined`): its effects and the record cannot be atomic, so a crash between them repeats
 * the effect — acceptable only where the effects are in memory too.
 */
export function memoryProcessedMessages(): ProcessedMessages<undefined> {
  const done = new Set<string>();
  // Two deliveries of one id never run at once: the second waits, then sees the first's record.
  const running = new Map<string, Promise<void>>();
  return {
    async runOnce(consumer, messageId, work) {
      const key = `${consumer}\u0000${messageId}`;
      for (let other = running.get(key); other !== undefined; other = running.get(key)) {
        await other.catch(() => undefined);
      }
      if (done.has(key)) return false;
      const run = work(undefined).then(() => void done.add(key));
      running.set(key, run);
      try {
        await run;
        return true;
      } finally {
        running.delete(key);
      }
    },
  };
}

/**
 * The record kept in an event store's own database (the `eda_processed` table of the SQLite
 * and PostgreSQL stores, or the memory store's tables), in the same transaction as the
 * handler's writes through `tx` (projection rows, checkpoints, raw SQL). The handler must
 * write through `tx`, not through the store: on SQLite, a store call inside the transaction
 * would wait for the transaction to end.
 */
export function storeProcessedMessages(store: Pick<EventStore, "transaction">): ProcessedMessages<StoreTransaction> {
  return {
    runOnce: (consumer, messageId, work) =>
      store.transaction(async (tx) => {
        if (!(await tx.markProcessed(consumer, messageId))) return false;
        await work(tx);
        return true;
      }),
  };
}

/** The default retention of processed-message ids: 30 days, far beyond any broker's redelivery. */
export const DEFAULT_PROCESSED_RETENTION_MS = 30 * 24 * 3_600_000;

/** How `pruneProcessedMessages` prunes. */
export interface PruneProcessedOptions {
  /** Ids recorded longer ago than this are dropped (default 30 days). */
  readonly olderThanMs?: number;
  /** Rows deleted per transaction, so no lock is held long (default 10,000). */
  readonly batchSize?: number;
  /** The clock the window is measured on (default the system's). */
  readonly now?: () => Date;
}

/**
 * Drops the processed-message ids of the SQLite and PostgreSQL stores recorded more than the
 * window ago, in short transactions, and resolves with how many it dropped. A redelivery of a
 * message older than the window would run again, so the window must outlast the broker's
 * longest redelivery (a dead letter replayed weeks later is a new delivery: its consumer's
 * effects must tolerate it, as the retention policy in the README says). The in-memory store
 * lives and dies with its process and is left alone (0).
 */
export async function pruneProcessedMessages(store: Pick<EventStore, "transaction" | "engine">, options: PruneProcessedOptions = {}): Promise<number> {
  const olderThanMs = options.olderThanMs ?? DEFAULT_PROCESSED_RETENTION_MS;
  if (!(Number.isFinite(olderThanMs) && olderThanMs > 0)) throw new RangeError(`the processed-message retention must be a positive number of milliseconds, not ${olderThanMs}`);
  if (store.engine === "memory") return 0;
  const batch = options.batchSize ?? 10_000;
  const cutoff = new Date((options.now?.() ?? new Date()).getTime() - olderThanMs);
  let pruned = 0;
  for (;;) {
    const deleted = await store.transaction(async (tx) => {
      if (tx.sql === undefined) return 0;
      const postgres = tx.sql.dialect === "postgres";
      const sql = postgres
        ? "DELETE FROM eda_processed WHERE (consumer, message_id) IN (SELECT consumer, message_id FROM eda_processed WHERE processed_at < $1 LIMIT $2) RETURNING 1"
        : "DELETE FROM eda_processed WHERE (consumer, message_id) IN (SELECT consumer, message_id FROM eda_processed WHERE processed_at < ? LIMIT ?) RETURNING 1";
      return (await tx.sql.query(sql, [postgres ? cutoff : cutoff.toISOString(), batch])).length;
    });
    pruned += deleted;
    if (deleted < batch) return pruned;
  }
}
