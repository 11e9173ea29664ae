/**
 * Rebuilding a projection without stopping its reads: the rows are built beside the live ones
 * (the row table `<name>~rebuild`, checkpoint `projection:<name>~rebuild`) from the first event
 * to the head, then swapped in one transaction — rows renamed, checkpoint moved — so a reader
 * sees the old rows until the swap commits and the new ones after. A runner of the live
 * projection may keep going meanwhile: the swap takes its checkpoint (locked on PostgreSQL,
 * serialized elsewhere) and sets it to where the rebuild stopped, so it resumes from there.
 * A rebuild stopped by a poison event, or aborted, leaves the live rows untouched, and so does
 * one overtaken by another rebuild of the same projection (whose start clears the rows beside).
 */
import type { EventStore, StoreTransaction } from "../store/event-store.js";
import type { EventCodec } from "../types.js";
import type { Projection } from "./projection.js";
import { projectionCheckpointName, ProjectionRunner, type ProjectionRunnerOptions } from "./projection-runner.js";

/** How far a rebuild is. */
export interface RebuildProgress {
  readonly projection: string;
  /** Global position reached by the rows built beside. */
  readonly position: number;
  /** The store's head when the rebuild started. */
  readonly head: number;
}

/** Options of `rebuildBeside`: the runner's (batch size, pacing, poison policy) and progress. */
export interface RebuildBesideOptions extends Omit<ProjectionRunnerOptions, "lease" | "onBatch"> {
  /** Called after each committed batch of the rebuild. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly signal?: AbortSignal;
}

/** The row table and checkpoint suffix of the rows being built beside. */
export const REBUILD_SUFFIX = "~rebuild";

/** Builds the projection's rows beside the live ones and swaps them in; resolves with the events read. */
export async function rebuildBeside<E extends { readonly type: string }, Row>(
  store: EventStore,
  codec: Pick<EventCodec<E>, "deserialize">,
  projection: Projection<E, Row>,
  options: RebuildBesideOptions = {},
): Promise<number> {
  const live = projection.name;
  const beside = `${live}${REBUILD_SUFFIX}`;
  const head = await store.headPosition();
  // A rebuild that was interrupted left rows beside: start again from nothing.
  await store.transaction(async (tx) => {
    await tx.clearRows(beside);
    await tx.deleteCheckpoint(projectionCheckpointName(beside));
  });
  const { onProgress, signal, ...runnerOptions } = options;
  const runner = new ProjectionRunner(store, codec, { ...projection, name: beside }, {
    ...runnerOptions,
    onBatch: (report) => onProgress?.({ projection: live, position: report.checkpoint, head }),
  });
  const read = await runner.catchUp(signal);
  if (signal?.aborted === true) throw new Error(`the rebuild of ${live} was aborted; its rows are unchanged`);
  const built = await runner.checkpoint();
  if (built.position < head) {
    const poison = (await runner.parked()).find((p) => p.blocking);
    // Caught up, yet short of the head with no event stopping it: another rebuild cleared the rows beside.
    if (poison === undefined) throw overtaken(live);
    const at = `at the event at global position ${poison.globalPosition} of ${head} (${poison.type} v${poison.version}, ${poison.stream} #${poison.position}: ${poison.reason})`;
    throw new Error(`the rebuild of ${live} stopped ${at}, a poison event (see the parked events of projection:${beside}); its rows are unchanged`);
  }
  await store.transaction(async (tx) => {
    await tx.getCheckpoint(projectionCheckpointName(live));
    // Another rebuild of the same projection, run meanwhile, clears the rows beside when it starts
    // and moves them when it swaps: rows built to `built` are no longer there to swap in.
    const still = await tx.getCheckpoint(projectionCheckpointName(beside));
    if ((still?.position ?? 0) !== built.position) throw overtaken(live);
    await moveRows(tx, beside, live);
    await tx.setCheckpoint(projectionCheckpointName(live), built);
    await tx.deleteCheckpoint(projectionCheckpointName(beside));
  });
  return read;
}

/** A rebuild whose rows beside another rebuild of the projection cleared (its start) or moved (its swap). */
function overtaken(live: string): Error {
  return new Error(
    `the rebuild of ${live} was overtaken by another rebuild of it run at the same time, which started over or swapped its own rows in; ` +
      `this one swapped nothing in (check the projection, and rebuild it again once the other has ended)`,
  );
}

/** Replaces the rows of `to` by those of `from`, in the caller's transaction. */
async function moveRows(tx: StoreTransaction, from: string, to: string): Promise<void> {
  await tx.clearRows(to);
  if (tx.sql !== undefined) {
    const sql = tx.sql.dialect === "postgres" ? "UPDATE eda_rows SET table_name = $1 WHERE table_name = $2" : "UPDATE eda_rows SET table_name = ? WHERE table_name = ?";
    await tx.sql.query(sql, [to, from]);
    return;
  }
  for (const [key, row] of await tx.listRows(from)) await tx.putRow(to, key, row);
  await tx.clearRows(from);
}
