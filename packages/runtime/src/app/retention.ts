/**
 * The app's retention of processed-message ids: pruned now and every `everyMs` (default one
 * hour) to the window (default 30 days). Best effort: a store that is away is tried again at
 * the next round; a failure is logged, never thrown.
 */
import type { Logger } from "../observability/logger.js";
import { DEFAULT_PROCESSED_RETENTION_MS, pruneProcessedMessages } from "../consumer/processed-messages.js";
import type { EventStore } from "../store/event-store.js";

/** How long the app keeps processed-message ids, and how often it prunes them. */
export interface RetentionOptions {
  /** Ids recorded longer ago are dropped (default 30 days; must outlast the broker's longest redelivery). */
  readonly processedMessagesMs?: number;
  /** How often to prune (default one hour). */
  readonly everyMs?: number;
}

/** Validates the options before anything opens. */
export function checkRetention(options: RetentionOptions | false | undefined): void {
  if (options === false || options === undefined) return;
  for (const [name, value] of [["processedMessagesMs", options.processedMessagesMs], ["everyMs", options.everyMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`retention.${name} must be a positive number of milliseconds, not ${value}`);
  }
}

/** Prunes now and every `everyMs`; returns the function that stops it (after a prune in progress). */
export function startRetention(store: EventStore, logger: Logger, options: RetentionOptions): () => Promise<void> {
  const olderThanMs = options.processedMessagesMs ?? DEFAULT_PROCESSED_RETENTION_MS;
  let running: Promise<void> | null = null;
  const prune = (): Promise<void> => (running ??= pruneOnce().finally(() => void (running = null)));
  const pruneOnce = async (): Promise<void> => {
    try {
      await pruneProcessedMessages(store, { olderThanMs });
    } catch (error) {
      const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
      logger.log({ level: "warn", event: "runner-error", runner: "retention", time: new Date().toISOString(), message: `pruning processed-message ids failed: ${message}`, error: { message, stack: stack ?? null } });
    }
  };
  void prune();
  const timer = setInterval(() => void prune(), options.everyMs ?? 3_600_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
