/**
 * Where each projection or workflow coordinator stands, read from the store alone (no model
 * code): its checkpoint against the store's head, the age of the oldest event it has not
 * applied, and the events it holds parked — for `eda projections status` and status pages.
 */
import type { EventStore } from "../store/event-store.js";
import { listParked } from "./parked.js";

/** One runner's standing. */
export interface RunnerStatus {
  /** `projection:<name>` or `workflow:<name>` (its checkpoint name). */
  readonly runner: string;
  /** False when the runner never committed a checkpoint. */
  readonly started: boolean;
  /** Global position of the last event applied (0: none). */
  readonly position: number;
  readonly head: number;
  readonly eventsBehind: number;
  /** Age of the oldest event not yet applied, at `now`; 0 when caught up. */
  readonly secondsBehind: number;
  readonly parked: number;
  /** True when the runner is stopped at a parked event (policy `"stop"`). */
  readonly stopped: boolean;
}

/** The standing of each of `runners` (checkpoint names), in the order given. */
export async function runnerStatus(store: EventStore, runners: readonly string[], now: Date = new Date()): Promise<RunnerStatus[]> {
  const head = await store.headPosition();
  const parked = await listParked(store);
  const statuses: RunnerStatus[] = [];
  for (const runner of runners) {
    const checkpoint = await store.transaction((tx) => tx.getCheckpoint(runner));
    const position = checkpoint?.position ?? 0;
    const next = position < head ? (await store.readAll(position + 1, 1))[0] : undefined;
    const own = parked.filter((p) => p.runner === runner);
    statuses.push({
      runner,
      started: checkpoint !== null,
      position,
      head,
      eventsBehind: Math.max(0, head - position),
      secondsBehind: next === undefined ? 0 : Math.max(0, (now.getTime() - Date.parse(next.time)) / 1000),
      parked: own.length,
      stopped: own.some((p) => p.blocking),
    });
  }
  return statuses;
}
