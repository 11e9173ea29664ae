/** Keeps a replay under a number of events per second by pausing between batches. */
export class RateLimiter {
  private started = 0;
  private consumed = 0;

  /** `perSecond` undefined means no limit. */
  constructor(
    private readonly perSecond: number | undefined,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    if (perSecond !== undefined && !(perSecond > 0)) {
      throw new RangeError(`maxEventsPerSecond must be positive, got ${perSecond}`);
    }
  }

  /** The largest batch that keeps one batch within about a second's budget. */
  batchSize(requested: number): number {
    return this.perSecond === undefined ? requested : Math.max(1, Math.min(requested, Math.floor(this.perSecond)));
  }

  /** Counts `events` and waits until the rate since the first call is back under the limit. */
  async consume(events: number, signal?: AbortSignal): Promise<void> {
    if (this.perSecond === undefined) return;
    if (this.consumed === 0) this.started = this.now();
    this.consumed += events;
    const due = this.started + (this.consumed / this.perSecond) * 1000;
    const wait = due - this.now();
    if (wait > 0) await this.sleep(wait, signal);
  }
}

/** Sleeps `ms`, ending early (without error) when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
