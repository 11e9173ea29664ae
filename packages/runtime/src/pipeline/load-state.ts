/** Rebuilding an aggregate's state: from its latest snapshot, then the tail of its stream. */
import type { EventStore, Snapshot } from "../store/event-store.js";
import type { Decider, EventCodec } from "../types.js";

/** An aggregate's state and the stream position it reflects (null: no events). */
export interface LoadedState<S> {
  readonly state: S;
  readonly position: number | null;
  /** How many events were replayed on top of the snapshot (or from the start). */
  readonly replayed: number;
}

/** Where a temporal query stops: at a time (inclusive) or at a stream position (inclusive). */
export type StateBound = { readonly at: Date } | { readonly position: number };

type AnyDecider<S, E extends { readonly type: string }> = Decider<{ readonly type: string }, E, S, unknown>;

/** The decider's snapshot tag (its `snapshotTag`, else its name). */
export function snapshotTagOf(decider: { readonly name: string; readonly snapshotTag?: string }): string {
  return decider.snapshotTag ?? decider.name;
}

/**
 * The current state of a stream. Uses the latest snapshot when the decider declares
 * `snapshotEvery` and the snapshot's tag matches; every event goes through `codec.deserialize`,
 * so older versions are upcast before `evolve` sees them.
 */
export async function loadCurrentState<S, E extends { readonly type: string }>(
  store: EventStore,
  decider: AnyDecider<S, E>,
  codec: EventCodec<E>,
  stream: string,
): Promise<LoadedState<S>> {
  const snapshot = decider.snapshotEvery === undefined ? null : usable(await store.loadSnapshot(stream), decider);
  return replay(store, decider, codec, stream, snapshot, {});
}

/**
 * The state of a stream as it was at a time or a stream position — "what was this customer's
 * address on 15 January?". A snapshot is used only when it lies entirely before the bound.
 */
export async function loadState<S, E extends { readonly type: string }>(
  store: EventStore,
  decider: AnyDecider<S, E>,
  codec: EventCodec<E>,
  stream: string,
  bound: StateBound,
): Promise<LoadedState<S>> {
  let snapshot = decider.snapshotEvery === undefined ? null : usable(await store.loadSnapshot(stream), decider);
  if ("at" in bound) {
    // A snapshot is written after its events, so one taken by then holds only events from before then.
    if (snapshot !== null && new Date(snapshot.time) > bound.at) snapshot = null;
    return replay(store, decider, codec, stream, snapshot, { until: bound.at });
  }
  if (snapshot !== null && snapshot.position > bound.position) snapshot = null;
  return replay(store, decider, codec, stream, snapshot, { toPosition: bound.position });
}

function usable(snapshot: Snapshot | null, decider: { readonly name: string; readonly snapshotTag?: string }): Snapshot | null {
  return snapshot !== null && snapshot.schemaTag === snapshotTagOf(decider) ? snapshot : null;
}

async function replay<S, E extends { readonly type: string }>(
  store: EventStore,
  decider: AnyDecider<S, E>,
  codec: EventCodec<E>,
  stream: string,
  snapshot: Snapshot | null,
  bounds: { readonly until?: Date; readonly toPosition?: number },
): Promise<LoadedState<S>> {
  let state = snapshot === null ? decider.initialState : (snapshot.state as S);
  let position = snapshot === null ? null : snapshot.position;
  const fromPosition = position === null ? 0 : position + 1;
  const tail = await store.readStream(stream, { ...bounds, fromPosition });
  for (const stored of tail) {
    state = decider.evolve(state, codec.deserialize(stored));
    position = stored.position;
  }
  return { state, position, replayed: tail.length };
}
