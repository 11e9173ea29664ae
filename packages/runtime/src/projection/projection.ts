/** The shape of a projection the runner drives: one JSON row per key, built by a pure `apply`. */
import type { StoredEvent } from "../types.js";

/**
 * A read model. The generator emits one per model `projection`: rows keyed by the event's key
 * field, each event folded into its row by `apply`.
 */
export interface Projection<E extends { readonly type: string }, Row> {
  /** Unique per store; names the row table and the checkpoint. */
  readonly name: string;
  /** The event types the projection reads; others are skipped without being deserialized. */
  readonly events: readonly string[];
  /** The row an event belongs to; undefined skips the event. */
  keyOf(event: E): string | undefined;
  /** The row before its first event. */
  initialRow(key: string): Row;
  /** Folds an event into its row; null deletes the row. */
  apply(row: Row, event: E, envelope: StoredEvent): Row | null;
}

/** How far a projection is behind the store. */
export interface ProjectionLag {
  readonly projection: string;
  /** Global position of the last applied event (0 = none). */
  readonly checkpoint: number;
  /** Global position of the last committed event in the store. */
  readonly head: number;
  /** head − checkpoint. */
  readonly eventsBehind: number;
  /**
   * How long the oldest event not yet applied has been waiting (now − its time), in seconds;
   * 0 when caught up. Unlike "now − time of the last applied event", this does not count a
   * quiet period before a new event as lag.
   */
  readonly secondsBehind: number;
  /** Time of the last applied event, or null. */
  readonly lastAppliedEventTime: string | null;
}

/** What one committed batch did, for metrics. */
export interface BatchReport {
  readonly projection: string;
  /** Events read (applied or skipped) in the batch. */
  readonly events: number;
  /** Events that changed a row. */
  readonly applied: number;
  readonly checkpoint: number;
  readonly durationMs: number;
}
