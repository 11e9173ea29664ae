/**
 * Per-stream lanes: work for one stream runs one item at a time, in arrival order, while
 * different streams run side by side. This is how a consumer keeps per-stream order with a
 * prefetch window larger than one, and how a message being retried holds back only its own
 * stream.
 */

/** Serialises work by key. */
export class StreamLanes {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier item of `stream`; never rejects (work must handle errors). */
  run(stream: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(stream) ?? Promise.resolve();
    const next = previous.then(work).catch(() => undefined);
    this.#tails.set(stream, next);
    void next.then(() => {
      if (this.#tails.get(stream) === next) this.#tails.delete(stream);
    });
    return next;
  }

  /** Resolves once every item queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }

  /** How many streams have work queued or running. */
  get busy(): number {
    return this.#tails.size;
  }
}
