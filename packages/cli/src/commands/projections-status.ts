/**
 * `eda projections status [--store URL] [--config FILE] [--codec FILE] [--format text|json]`:
 * each projection of the configured model with its checkpoint, the store's head, how far
 * behind it is (events, and the age of the oldest event not applied) and what it holds
 * parked — stopped at a poison event or not. Read from the store alone, with the project's own
 * `@eda/runtime`. Exit 0, or 2 for usage and I/O problems.
 */
import { operationsNames } from "@eda/generator";
import { compile, hasErrors } from "@eda/language";
import { resolve } from "node:path";
import { loadConfig } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { readInputs } from "../sources.js";
import { loadProjectRuntime } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { openExistingStore, storeUrl } from "./store-verify.js";

/** Options of `eda projections status`. */
export interface ProjectionsStatusOptions {
  readonly store?: string;
  readonly config?: string;
  readonly codec?: string;
  readonly format: "text" | "json";
  readonly env?: NodeJS.ProcessEnv;
}

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

export async function runProjectionsStatus(options: ProjectionsStatusOptions, term: Terminal): Promise<number> {
  const config = options.config === undefined ? await loadConfig(term.cwd) : await loadConfig(term.cwd, { file: options.config });
  if (config === undefined) throw new CliError(`no ${options.config ?? "config"}`);
  const { model, diagnostics } = compile((await readInputs([], term.cwd, config)).map((i) => i.source));
  if (hasErrors(diagnostics)) throw new CliError("the model has errors: run `eda check`");
  const codecFile = options.codec !== undefined ? resolve(term.cwd, options.codec) : config.out !== undefined ? resolve(config.out, "codec.ts") : undefined;
  if (codecFile === undefined) throw new CliError('no generated code to take @eda/runtime from: pass --codec FILE, or set "out" in eda.config.json');
  const runtime = await loadProjectRuntime({ codec: codecFile, cwd: term.cwd });
  const statusOf = (runtime as unknown as { runnerStatus?: (store: unknown, runners: readonly string[]) => Promise<Status[]> }).runnerStatus;
  if (statusOf === undefined) throw new CliError("the project's @eda/runtime has no runnerStatus: update it");
  const projections = operationsNames(model).projections;
  const store = await openExistingStore(runtime, storeUrl(options, config.store, "to read"));
  try {
    const statuses = await statusOf(store, projections.map((p) => `projection:${p}`));
    const rows = statuses.map((s, i) => ({ projection: projections[i] ?? s.runner, ...s }));
    term.out(options.format === "json" ? `${JSON.stringify(rows)}\n` : table(rows));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function table(rows: readonly (Status & { readonly projection: string })[]): string {
  if (rows.length === 0) return "the model has no projections\n";
  const head = ["projection", "position", "head", "behind", "oldest unapplied", "parked", "state"];
  const body = rows.map((r) => [
    r.projection,
    String(r.position),
    String(r.head),
    String(r.eventsBehind),
    r.eventsBehind === 0 ? "-" : `${r.secondsBehind.toFixed(0)} s ago`,
    String(r.parked),
    r.stopped ? "stopped at a parked event" : !r.started ? "not started" : r.eventsBehind === 0 ? "caught up" : "behind",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n") + "\n";
}
