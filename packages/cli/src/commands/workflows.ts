/**
 * `eda workflows list` and `eda workflows show <correlation>` (`--store`, `--config`, `--codec`,
 * `--format text|json`): the orchestrated runs of the configured model, read from the store
 * alone with the project's own `@eda/runtime` — state (a failed run whose compensation was
 * rejected says so), start, last move and deadlines; `show` adds the failure, rejections (with
 * their reasons), the run's transitions with their times and causes (runs stored
 * before the runtime kept them have none), and every command the run queued with its times and
 * status.
 * Exit 0; `show` of a correlation no workflow has exits 1; usage and I/O problems exit 2.
 */
import { EXIT } from "../errors.js";
import type { Terminal } from "../terminal.js";
import { printable } from "../printable.js";
import { openOperatorProject, runtimeFunction, textTable, type OperatorOptions } from "./operator-project.js";

/** A run as `workflowRuns` and `workflowRun` return it (the fields the commands print). */
export interface Instance {
  readonly workflow: string;
  readonly correlation: string;
  readonly state: { readonly kind: string; readonly step?: string };
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly retryAt: string | null;
  readonly timeoutAt: string | null;
  readonly completedSteps: readonly string[];
  readonly failure: { readonly reason: string; readonly step: string; readonly at: string } | null;
  readonly rejections: readonly { readonly commandId: string; readonly type: string; readonly at: string; readonly reason: unknown }[];
  readonly history?: readonly Transition[];
}

interface Transition {
  readonly at: string;
  readonly from: string | null;
  readonly to: string;
  readonly attempt: number;
  readonly cause: { readonly kind: string; readonly type?: string; readonly messageId?: string; readonly commandId?: string; readonly status?: string };
}

/** What moved the run: the event (type and id), the deadline, or the command's outcome. */
function causeOf(c: Transition["cause"]): string {
  if (c.kind === "event") return `event ${c.type ?? "?"} ${c.messageId ?? ""}`.trimEnd();
  if (c.kind === "outcome") return `${c.commandId ?? "command"} ${c.status ?? ""}`.trimEnd();
  return c.kind;
}

/** A command a run queued, as `workflowRun` returns it. */
export interface Command {
  readonly commandId: string;
  readonly command: { readonly type: string };
  readonly status: string;
  readonly createdAt: string;
  readonly dispatchedAt: string | null;
  readonly outcome: { readonly status: string } | null;
}

const stateOf = (i: Instance) => (i.state.step === undefined ? i.state.kind : `${i.state.kind} ${i.state.step}`);

/**
 * Whether a rejected command was one of the run's compensations. Its id is the runtime's
 * `commandIds.compensate` — `<workflow>/<correlation>/<step>/compensate`, persisted (it is the
 * command's idempotency key), so stable across versions.
 */
const isCompensation = (i: Instance, commandId: string) => commandId.startsWith(`${i.workflow}/${i.correlation}/`) && commandId.endsWith("/compensate");

/**
 * The state as `list` shows it: a failed run that left a compensation undone says so — its
 * effects (a capture not refunded, stock not released) need an operator, unlike a run that
 * failed and was compensated.
 */
function listedState(i: Instance): string {
  if (i.state.kind !== "failed") return stateOf(i);
  const undone = i.rejections.filter((r) => isCompensation(i, r.commandId)).map((r) => r.type);
  return undone.length === 0 ? "failed" : `failed, compensation rejected: ${[...new Set(undone)].join(", ")}`;
}

/** How many characters of a rejection's reason `show` prints (the JSON output has it whole). */
const REASON_CHARS = 300;

/**
 * A rejection's reason as one line of JSON, cut at `REASON_CHARS`, safe for a terminal (JSON
 * escapes C0 controls; `printable` the C1 ones and the rest a terminal may act on).
 */
function reasonText(reason: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(reason) ?? String(reason);
  } catch {
    text = String(reason);
  }
  return text.length > REASON_CHARS ? `${printable(text.slice(0, REASON_CHARS))}… (${text.length} characters; --format json has it whole)` : printable(text);
}

export async function runWorkflowsList(options: OperatorOptions, term: Terminal): Promise<number> {
  const project = await openOperatorProject(options, term);
  try {
    const runs = await runtimeFunction<(store: unknown, workflows: readonly string[]) => Promise<Instance[]>>(project, "workflowRuns")(project.store, project.names.workflows);
    if (options.format === "json") term.out(`${JSON.stringify(runs)}\n`);
    else if (runs.length === 0) term.out("no workflow runs\n");
    else {
      const rows = runs.map((i) => [i.workflow, i.correlation, listedState(i), i.startedAt, i.updatedAt, i.retryAt ?? "-", i.timeoutAt ?? "-"]);
      term.out(textTable(["workflow", "correlation", "state", "started", "last moved", "retry at", "times out at"], rows));
    }
    return EXIT.ok;
  } finally {
    await project.store.close();
  }
}

export async function runWorkflowsShow(correlation: string, options: OperatorOptions, term: Terminal): Promise<number> {
  const project = await openOperatorProject(options, term);
  try {
    const show = runtimeFunction<(store: unknown, workflows: readonly string[], c: string) => Promise<{ instance: Instance; commands: Command[] }[]>>(project, "workflowRun");
    const runs = await show(project.store, project.names.workflows, correlation);
    if (runs.length === 0) {
      term.err(`eda: no workflow run has the correlation ${JSON.stringify(correlation)}\n`);
      return EXIT.problems;
    }
    term.out(options.format === "json" ? `${JSON.stringify(runs)}\n` : runs.map(describeRun).join("\n"));
    return EXIT.ok;
  } finally {
    await project.store.close();
  }
}

/**
 * One run as `show` prints it, every line {@link printable}: the correlation also reaches the
 * commands' ids in the transitions, and an event's id is whatever its producer chose.
 */
export function describeRun({ instance: i, commands }: { instance: Instance; commands: Command[] }): string {
  const lines = [
    `${i.workflow} ${i.correlation}: ${listedState(i)}`,
    `  started ${i.startedAt}, last moved ${i.updatedAt}`,
    `  completed steps: ${i.completedSteps.join(", ") || "none"}`,
    `  deadlines: retry ${i.retryAt ?? "-"}, timeout ${i.timeoutAt ?? "-"}`,
    ...(i.failure === null ? [] : [`  failed: ${i.failure.reason} at step ${i.failure.step}, ${i.failure.at}`]),
    ...i.rejections.map((r) => `  rejected${isCompensation(i, r.commandId) ? " compensation" : ""}: ${r.type} at ${r.at}: ${reasonText(r.reason)}`),
    ...(i.history === undefined ? ["  transitions: not recorded (stored before the runtime kept them)"] : ["  transitions:", ...i.history.map((t) => `    ${t.at}  ${t.from ?? "start"} -> ${t.to}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ""}  by ${causeOf(t.cause)}`)]),
    "  commands:",
    ...commands.map((c) => `    ${c.createdAt}  ${c.command.type}  ${c.status}${c.dispatchedAt === null ? "" : ` ${c.dispatchedAt}`}${c.outcome === null ? "" : ` (${c.outcome.status})`}`),
  ];
  return `${lines.map((line) => printable(line)).join("\n")}\n`;
}
