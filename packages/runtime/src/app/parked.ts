/**
 * The app's view of parked events: every runner's (projections, workflows, the relay), listed
 * from the store and retried by the runner that parked them.
 */
import type { Bus, PublishError } from "../bus/types.js";
import { parkedEvent, type ParkedEvent, type RetryReport } from "../parking/parked.js";
import { parkedTable } from "../parking/parked-table.js";
import type { EventStore } from "../store/event-store.js";
import type { OutboxRow } from "../store/outbox.js";

/** The runner name of the outbox relay in parked records. */
export const RELAY_RUNNER = "relay";

/** Records a message the bus refused, for the relay (`RelayOptions.park`). */
export function relayParking(store: EventStore): (row: OutboxRow, error: PublishError) => Promise<void> {
  return (row, error) =>
    store.transaction(async (tx) => {
      const table = parkedTable(tx);
      const before = await table.get(RELAY_RUNNER, row.id);
      const time = new Date().toISOString();
      await table.park(parkedEvent(RELAY_RUNNER, row.envelope, "refused", error, { blocking: false, attempts: (before?.attempts ?? 0) + 1, time }));
    });
}

/** Publishes the relay's parked messages again, in order; each that the bus takes is forgotten. */
export async function retryRelayParked(store: EventStore, bus: Bus): Promise<RetryReport> {
  const parked = await store.transaction((tx) => parkedTable(tx).list(RELAY_RUNNER));
  let retried = 0;
  let stillParked = 0;
  for (const p of parked) {
    const [envelope] = await store.readAll(p.globalPosition, 1);
    try {
      if (envelope !== undefined && envelope.globalPosition === p.globalPosition) await bus.publish([{ envelope }]);
      await store.transaction((tx) => parkedTable(tx).unpark(RELAY_RUNNER, p.globalPosition));
      retried += 1;
    } catch (error) {
      const time = new Date().toISOString();
      if (envelope !== undefined) await store.transaction((tx) => parkedTable(tx).park(parkedEvent(RELAY_RUNNER, envelope, "refused", error, { blocking: false, attempts: p.attempts + 1, time })));
      stillParked += 1;
    }
  }
  return { retried, stillParked };
}

/** Every parked event of the store, by runner then position. */
export function listParked(store: EventStore, runner?: string): Promise<ParkedEvent[]> {
  return store.transaction((tx) => parkedTable(tx).list(runner));
}

/** Adds two retry reports. */
export function addReports(a: RetryReport, b: RetryReport): RetryReport {
  return { retried: a.retried + b.retried, stillParked: a.stillParked + b.stillParked };
}
