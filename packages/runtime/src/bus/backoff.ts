/**
 * Exponential back-off and an abortable sleep, shared by the relay, the consumers and the
 * RabbitMQ reconnect loop. Delays are deterministic (no jitter) so tests can reason about them.
 */

/** Exponential back-off: `initialMs * factor^(attempt-1)`, capped at `maxMs`. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
}

/** A sleep that resolves early (without error) when `signal` aborts. Injectable for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  const delay = options.initialMs * factor ** Math.max(0, attempt - 1);
  return Math.min(options.maxMs, Math.max(0, delay));
}

/** Waits `ms` milliseconds, or until `signal` aborts. Never rejects. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
