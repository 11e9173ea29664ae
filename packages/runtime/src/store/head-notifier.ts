/**
 * Wakes `waitForEvents` callers: immediately when this process appends (or a PostgreSQL
 * notification arrives), otherwise by polling, which also covers writers in other processes.
 */
export class HeadNotifier {
  private readonly waiters = new Set<() => void>();
  private generation = 0;
  private closed = false;

  constructor(private readonly pollIntervalMs: number) {}

  /** Wakes every waiter so it re-reads the head. */
  notify(): void {
    this.generation += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves every pending and future wait with false. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  /** Resolves true once `readHead()` exceeds `after`, false on abort or close. */
  async wait(after: number, readHead: () => Promise<number>, signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (this.closed || signal?.aborted === true) return false;
      const seen = this.generation;
      if ((await readHead()) > after) return true;
      if (this.generation === seen) await this.sleep(signal);
    }
  }

  private sleep(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || signal?.aborted === true) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollIntervalMs);
      this.waiters.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }
}
