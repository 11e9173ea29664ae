/**
 * One batch of a projection, folded into rows inside the batch's transaction. Each event is
 * decoded and applied on its own, so one that cannot be read (or whose `keyOf` / `apply`
 * throws) is a failure of that event alone: under `"park"` the fold goes on without it, under
 * `"stop"` it ends just before it.
 */
import type { PoisonPolicy, ParkReason } from "../parking/parked.js";
import { rowJson, UnstorableRowError } from "../store/checks.js";
import type { StoreTransaction } from "../store/event-store.js";
import type { StoredEvent } from "../types.js";
import type { Projection } from "./projection.js";

/** A relevant event of the batch, decoded before the transaction opened (or why it could not be). */
export type Decoded<E> = { readonly envelope: StoredEvent; readonly event: E } | { readonly envelope: StoredEvent; readonly error: unknown };

/** An event that failed, and why. */
export interface FoldFailure {
  readonly envelope: StoredEvent;
  readonly reason: ParkReason;
  readonly error: unknown;
}

/** What the fold did. */
export interface FoldResult {
  /** Events that touched a row. */
  readonly applied: number;
  /** Events parked (policy `"park"`), in order. */
  readonly parked: readonly FoldFailure[];
  /** The event the projection stopped at (policy `"stop"`). */
  readonly stoppedAt: FoldFailure | undefined;
}

type Keyed<E> = { readonly key: string; readonly envelope: StoredEvent; readonly event: E };

/**
 * Folds `decoded` into the projection's rows through `tx`; writes the rows, not the checkpoint.
 * `careful` checks each new row as the store will (after a batch failed with
 * `UnstorableRowError`), so that the event that made a row unstorable is the one that fails.
 */
export async function foldBatch<E extends { readonly type: string }, Row>(
  tx: StoreTransaction,
  projection: Projection<E, Row>,
  decoded: readonly Decoded<E>[],
  policy: PoisonPolicy,
  careful = false,
): Promise<FoldResult> {
  const parked: FoldFailure[] = [];
  let stoppedAt: FoldFailure | undefined;
  const fail = (failure: FoldFailure): boolean => {
    if (policy === "stop") stoppedAt = failure;
    else parked.push(failure);
    return policy === "stop";
  };
  const keyed: Keyed<E>[] = [];
  for (const d of decoded) {
    const key = "error" in d ? d : keyOf(projection, d);
    if ("error" in key) {
      if (fail({ envelope: d.envelope, reason: "error" in d ? "unreadable" : "handler-failed", error: key.error })) break;
    } else if (key.key !== undefined) keyed.push({ key: key.key, envelope: d.envelope, event: (d as { event: E }).event });
  }
  const existing = await tx.getRows(projection.name, [...new Set(keyed.map((k) => k.key))]);
  const rows = new Map<string, Row | null>();
  let applied = 0;
  for (const { key, envelope, event } of keyed) {
    const before = rows.has(key) ? rows.get(key) : existing.has(key) ? (existing.get(key) as Row) : undefined;
    try {
      const row = before === undefined || before === null ? projection.initialRow(key) : before;
      const after = projection.apply(row, event, envelope);
      if (careful && after !== null) rowJson(projection.name, key, after);
      rows.set(key, after);
      applied += 1;
    } catch (error) {
      if (fail({ envelope, reason: "handler-failed", error })) break;
    }
  }
  for (const [key, row] of rows) {
    if (row === null) await tx.deleteRow(projection.name, key);
    else await tx.putRow(projection.name, key, row);
  }
  return { applied, parked, stoppedAt };
}

function keyOf<E extends { readonly type: string }, Row>(
  projection: Projection<E, Row>,
  d: { readonly event: E },
): { readonly key: string | undefined } | { readonly error: unknown } {
  try {
    const key = projection.keyOf(d.event);
    // A key holding U+0000 cannot even be looked up in PostgreSQL: a failure of this event, on every engine.
    if (key?.includes("\u0000") === true) return { error: new UnstorableRowError(projection.name, key, []) };
    return { key };
  } catch (error) {
    return { error };
  }
}
