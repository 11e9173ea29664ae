/**
 * Commands survive a database failover: a command whose store call failed because the
 * connection went away is tried again from the start. That is safe because the command record
 * commits with the events: if the first attempt did commit (the connection died on COMMIT), the
 * retry finds the record and answers with the first outcome, appending nothing.
 */
import { backoffDelay, sleep, type BackoffOptions } from "../bus/backoff.js";
import { isTransientStoreError, isUnreachable } from "../store/transient.js";

/** How long a command keeps trying through a lost database connection. */
export interface TransientRetryOptions {
  /** Attempts after the first (default 8: about 7 s with the default back-off). */
  readonly attempts?: number;
  /** Pause between attempts (default 50 ms doubling to 2 s). */
  readonly backoff?: BackoffOptions;
  /** A server that refuses or does not answer is final (opening a store fails fast). */
  readonly unreachableIsFinal?: boolean;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 50, maxMs: 2_000 };

/** Runs `attempt`, again after a pause while it fails with a transient store error. */
export async function retryTransient<T>(attempt: () => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (failures >= attempts || !isTransientStoreError(error)) throw error;
      if (options.unreachableIsFinal === true && isUnreachable(error)) throw error;
      await sleep(backoffDelay(failures + 1, options.backoff ?? DEFAULT_BACKOFF));
    }
  }
}
