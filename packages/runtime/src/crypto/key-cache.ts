/**
 * The data keys an encrypted store keeps in memory: the most recently used subjects' keys (a
 * bounded LRU), all of them read at one key epoch (`KeyStore.readKeys`). Whoever reads through
 * the cache first reads the epoch again; a different epoch — a `forget` or `rotate` in any
 * process — empties it, so a forgotten subject is never read from a cache.
 */
import type { DataKey } from "./field-cipher.js";

/** A subject's keys as cached: oldest first; empty when it has none (forgotten, or never given one). */
export type CachedKeys = readonly DataKey[];

export class KeyCache {
  private readonly entries = new Map<string, CachedKeys>();
  /** The epoch every cached key was read at; undefined while the cache is empty and unchecked. */
  epoch: number | undefined;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`the key cache holds at least one subject, not ${capacity}`);
  }

  /** The subject's keys, marked as just used; undefined when not cached. */
  get(subject: string): CachedKeys | undefined {
    const keys = this.entries.get(subject);
    if (keys !== undefined && this.entries.size > 1) {
      // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
      this.entries.delete(subject);
      this.entries.set(subject, keys);
    }
    return keys;
  }

  /** The subject's keys without marking them used (for a batch's second look at a subject). */
  peek(subject: string): CachedKeys | undefined {
    return this.entries.get(subject);
  }

  /** Whether the subject is cached, without marking it used. */
  has(subject: string): boolean {
    return this.entries.has(subject);
  }

  set(subject: string, keys: CachedKeys): void {
    this.entries.delete(subject);
    this.entries.set(subject, keys);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Caches each subject's keys as read (a subject absent from `found` has none). */
  fill(subjects: Iterable<string>, found: ReadonlyMap<string, DataKey[]>): void {
    for (const s of subjects) this.set(s, found.get(s) ?? []);
  }

  /** Adopts the epoch just read: keys of another epoch are dropped. Returns whether it changed. */
  at(epoch: number): boolean {
    const changed = this.epoch !== epoch;
    if (changed) this.entries.clear();
    this.epoch = epoch;
    return changed;
  }

  delete(subject: string): void {
    this.entries.delete(subject);
  }

  /** Forgets everything, the epoch included. */
  clear(): void {
    this.entries.clear();
    this.epoch = undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Whether an append gives a subject its cache lacks a first key outright, or reads the key
 * store first. Outright saves a read per append for new subjects, the common case (a subject's
 * first event). But a subject may have a key this cache does not hold — stored by another
 * process, by this one before it restarted, or dropped from a full cache — and then the append
 * conflicts, writes nothing, and runs again: sealing and writing twice. After such a conflict the
 * appends read first, until `window` appends in a row find no stored key for the subjects they lacked.
 */
export class FirstKeyPolicy {
  private readsLeft = 0;

  constructor(private readonly window = 64) {}

  /** Whether the next append reads the subjects it lacks before drafting keys for them. */
  get readFirst(): boolean {
    return this.readsLeft > 0;
  }

  /** A drafted first key met a stored one. */
  conflicted(): void {
    this.readsLeft = this.window;
  }

  /** A read-first found (`stored`) or did not find a key for a subject the cache lacked. */
  read(stored: boolean): void {
    this.readsLeft = stored ? this.window : this.readsLeft - 1;
  }
}
