/**
 * `eda parked list [--runner NAME]` and `eda parked show <runner> <position>` (`--store`,
 * `--config`, `--codec`, `--format text|json`): the poison events the runners (projections,
 * workflows, the relay) parked in the store, read with the project's own `@eda/runtime`. `list`
 * gives each one's runner, global position, stream, type, version, reason and time; `show` one
 * of them with its error in full. Never a payload value (the record holds none).
 * Exit 0; `show` of an event no runner parked exits 1; usage and I/O problems exit 2.
 */
import { CliError, EXIT } from "../errors.js";
import { printable } from "../printable.js";
import type { Terminal } from "../terminal.js";
import { openOperatorProject, runtimeFunction, textTable, type OperatorOptions, type OperatorProject } from "./operator-project.js";

interface Parked {
  readonly runner: string;
  readonly globalPosition: number;
  readonly stream: string;
  readonly position: number;
  readonly messageId: string;
  readonly type: string;
  readonly version: number;
  readonly reason: string;
  readonly path: string | null;
  readonly error: string;
  readonly blocking: boolean;
  readonly attempts: number;
  readonly parkedAt: string;
}

/** Options of `eda parked list`. */
export interface ParkedListOptions extends OperatorOptions {
  readonly runner?: string;
}

async function withParked<T>(options: OperatorOptions, term: Terminal, runner: string | undefined, work: (parked: Parked[]) => T): Promise<T> {
  const project: OperatorProject = await openOperatorProject(options, term);
  try {
    return work(await runtimeFunction<(store: unknown, runner?: string) => Promise<Parked[]>>(project, "listParked")(project.store, runner));
  } finally {
    await project.store.close();
  }
}

export function runParkedList(options: ParkedListOptions, term: Terminal): Promise<number> {
  return withParked(options, term, options.runner, (parked) => {
    const rows = parked.map((p) => ({ runner: p.runner, globalPosition: p.globalPosition, stream: p.stream, type: p.type, version: p.version, reason: p.reason, blocking: p.blocking, parkedAt: p.parkedAt }));
    if (options.format === "json") term.out(`${JSON.stringify(rows)}\n`);
    else if (rows.length === 0) term.out(options.runner === undefined ? "no parked events\n" : `no parked events for ${options.runner}\n`);
    else
      term.out(
        textTable(
          ["runner", "position", "stream", "type", "version", "reason", "parked at"],
          rows.map((r) => [r.runner, String(r.globalPosition), r.stream, r.type, String(r.version), r.blocking ? `${r.reason} (blocking)` : r.reason, r.parkedAt]),
        ),
      );
    return EXIT.ok;
  });
}

export function runParkedShow(runner: string, position: string, options: OperatorOptions, term: Terminal): Promise<number> {
  if (!/^[1-9][0-9]*$/.test(position)) throw new CliError(`the position must be a positive whole number (eda parked list shows them), not ${JSON.stringify(position)}`);
  const at = Number(position);
  return withParked(options, term, runner, (parked) => {
    const p = parked.find((e) => e.globalPosition === at);
    if (p === undefined) {
      term.err(`eda: ${runner} has no parked event at position ${at}\n`);
      return EXIT.problems;
    }
    if (options.format === "json") term.out(`${JSON.stringify(p)}\n`);
    else
      term.out(
        [
          printable(`${p.runner} #${p.globalPosition}: ${p.type} v${p.version} (${p.stream} #${p.position}, message ${p.messageId})`),
          printable(`reason: ${p.reason}${p.blocking ? " (blocking: the runner waits on it)" : ""}${p.path === null ? "" : ` at ${p.path}`}`),
          `attempts: ${p.attempts}, last ${printable(p.parkedAt)}`,
          printable(p.error, { lines: true }),
        ].join("\n") + "\n",
      );
    return EXIT.ok;
  });
}
