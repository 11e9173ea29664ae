/**
 * Lets timers and I/O run during long bursts. On SQLite and in memory, a command is handled
 * without waiting for I/O, so a loop of `await app.send(…)` never leaves the microtask queue and
 * starves the timers the sagas, the relay and the projections wait on. A pass through the event
 * loop every few milliseconds of such a burst costs nothing measurable and keeps them going.
 */
export class Yielder {
  private last = performance.now();

  constructor(private readonly everyMs = 10) {}

  /** Resolves at once, or after one turn of the event loop when the burst has run `everyMs`. */
  maybeYield(): Promise<void> | undefined {
    if (performance.now() - this.last < this.everyMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.last = performance.now();
        resolve();
      }),
    );
  }
}
