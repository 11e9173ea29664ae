/**
 * The transactional outbox contract. Every event store writes one outbox row per appended event
 * in the same transaction as the event itself, so an event is never stored without being queued
 * for publication (and never queued without being stored). A relay drains the outbox to a bus.
 */
import type { StoredEvent } from "../types.js";

/** One queued publication: `id` grows monotonically in commit order; `envelope` is the stored event. */
export interface OutboxRow {
  readonly id: number;
  readonly envelope: StoredEvent;
}

/** The outbox every `EventStore` exposes as `store.outbox`. */
export interface Outbox {
  /** Up to `limit` rows not yet marked sent, in ascending `id` order. */
  fetchUnsent(limit: number): Promise<OutboxRow[]>;
  /** Marks rows as sent; unknown or already-sent ids are ignored. */
  markSent(ids: readonly number[]): Promise<void>;
}
