/**
 * `eda projections status [--store URL] [--config FILE] [--codec FILE] [--format text|json]`:
 * each projection of the configured model with its checkpoint, the store's head, how far
 * behind it is (events, and the age of the oldest event not applied) and what it holds
 * parked — stopped at a poison event or not. Read from the store alone, with the project's own
 * `@eda/runtime`. Exit 0, or 2 for usage and I/O problems.
 */
import { EXIT } from "../errors.js";
import type { Terminal } from "../terminal.js";
import { openOperatorProject, runtimeFunction, textTable, type OperatorOptions } from "./operator-project.js";

interface Status {
  readonly runner: string;
  readonly started: boolean;
  readonly position: number;
  readonly head: number;
  readonly eventsBehind: number;
  readonly secondsBehind: number;
  readonly parked: number;
  readonly stopped: boolean;
}

export async function runProjectionsStatus(options: OperatorOptions, term: Terminal): Promise<number> {
  const project = await openOperatorProject(options, term);
  try {
    const statusOf = runtimeFunction<(store: unknown, runners: readonly string[]) => Promise<Status[]>>(project, "runnerStatus");
    const projections = project.names.projections;
    const statuses = await statusOf(project.store, projections.map((p) => `projection:${p}`));
    const rows = statuses.map((s, i) => ({ projection: projections[i] ?? s.runner, ...s }));
    term.out(options.format === "json" ? `${JSON.stringify(rows)}\n` : table(rows));
    return EXIT.ok;
  } finally {
    await project.store.close();
  }
}

function table(rows: readonly (Status & { readonly projection: string })[]): string {
  if (rows.length === 0) return "the model has no projections\n";
  const state = (r: Status) => (r.stopped ? "stopped at a parked event" : !r.started ? "not started" : r.eventsBehind === 0 ? "caught up" : "behind");
  return textTable(
    ["projection", "position", "head", "behind", "oldest unapplied", "parked", "state"],
    rows.map((r) => [r.projection, String(r.position), String(r.head), String(r.eventsBehind), r.eventsBehind === 0 ? "-" : `${r.secondsBehind.toFixed(0)} s ago`, String(r.parked), state(r)]),
  );
}
