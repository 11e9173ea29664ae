/** Rebuilding an aggregate's state: from its latest snapshot, then the tail of its stream. */
import type { CommandRecord, EventStore, Snapshot } from "../store/event-store.js";
import type { Decider, EventCodec, StoredEvent } from "../types.js";

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
 * What a command reads first: the record of its id when it was handled before, else the state of
 * its stream. A store with `readForCommand` reads it all at once.
 */
export async function loadForCommand<S, E extends { readonly type: string }>(
  store: EventStore,
  decider: AnyDecider<S, E>,
  codec: EventCodec<E>,
  stream: string,
  commandId: string,
): Promise<{ readonly record: CommandRecord } | { readonly record: null; readonly loaded: LoadedState<S> }> {
  if (store.readForCommand !== undefined) {
    const tag = decider.snapshotEvery === undefined ? null : snapshotTagOf(decider);
    const read = await store.readForCommand(stream, commandId, tag);
    return read.record !== null ? { record: read.record } : { record: null, loaded: fold(decider, codec, read.snapshot, read.events) };
  }
  const record = await store.commandResult(commandId);
  return record !== null ? { record } : { record: null, loaded: await loadCurrentState(store, decider, codec, stream) };
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
  const fromPosition = snapshot === null ? 0 : snapshot.position + 1;
  return fold(decider, codec, snapshot, await store.readStream(stream, { ...bounds, fromPosition }));
}

function fold<S, E extends { readonly type: string }>(
  decider: AnyDecider<S, E>,
  codec: EventCodec<E>,
  snapshot: Snapshot | null,
  tail: readonly StoredEvent[],
): LoadedState<S> {
  let state = snapshot === null ? decider.initialState : (snapshot.state as S);
  let position = snapshot === null ? null : snapshot.position;
  for (const stored of tail) {
    state = decider.evolve(state, codec.deserialize(stored));
    position = stored.position;
  }
  return { state, position, replayed: tail.length };
}
