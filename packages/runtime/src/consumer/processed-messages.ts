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
