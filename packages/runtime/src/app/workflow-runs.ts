/**
 * Orchestrated runs as an operator sees them, read from the store alone (no model code): each
 * instance's state, start and last move, deadlines, and the commands it queued with their times
 * and status — for `eda workflows list | show` and status pages. The workflow tables are
 * created if missing (as a coordinator's `init` does), so a store no coordinator has run on
 * reads as empty.
 */
import type { EventStore } from "../store/event-store.js";
import type { WorkflowInstance } from "../workflow/instance.js";
import type { QueuedCommand } from "../workflow/records.js";
import { workflowTables } from "../workflow/tables.js";

/** One run with the commands it queued, oldest first. */
export interface WorkflowRun {
  readonly instance: WorkflowInstance;
  readonly commands: readonly QueuedCommand[];
}

/** Every run of each of `workflows` (names), by workflow then correlation. */
export async function workflowRuns(store: EventStore, workflows: readonly string[]): Promise<WorkflowInstance[]> {
  return store.transaction(async (tx) => {
    const tables = workflowTables(tx);
    await tables.ensureSchema();
    const runs: WorkflowInstance[] = [];
    for (const w of workflows) runs.push(...(await tables.list(w)));
    return runs;
  });
}

/** The runs with this correlation value among `workflows`, each with its commands. */
export async function workflowRun(store: EventStore, workflows: readonly string[], correlation: string): Promise<WorkflowRun[]> {
  return store.transaction(async (tx) => {
    const tables = workflowTables(tx);
    await tables.ensureSchema();
    const runs: WorkflowRun[] = [];
    for (const w of workflows) {
      const instance = await tables.load(w, correlation);
      if (instance !== null) runs.push({ instance, commands: await tables.commands(w, correlation) });
    }
    return runs;
  });
}
