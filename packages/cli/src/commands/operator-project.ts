/**
 * What every operator command (`eda projections …`, `eda workflows …`) starts from: the
 * configured model (for the names of its projections and workflows), the project's own
 * `@eda/runtime` (resolved beside the generated code) and the store by URL (`--store`, else
 * `EDA_STORE`, else the config's `store`; a SQLite file that does not exist is refused).
 */
import { operationsNames } from "@eda/generator";
import { compile, hasErrors } from "@eda/language";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadConfig, type EdaConfig } from "../config.js";
import { printable } from "../printable.js";
import { CliError } from "../errors.js";
import { readInputs } from "../sources.js";
import { loadProjectRuntime, type ProjectRuntime } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { open, storeUrl } from "./store-verify.js";

/** The common options of operator commands. */
export interface OperatorOptions {
  readonly store?: string;
  readonly config?: string;
  readonly codec?: string;
  readonly format: "text" | "json";
  readonly env?: NodeJS.ProcessEnv;
}

/** An opened project: the model's names, its runtime, an open store. */
export interface OperatorProject {
  readonly names: ReturnType<typeof operationsNames>;
  readonly runtime: ProjectRuntime & Record<string, unknown>;
  readonly store: { close(): Promise<void> };
}

/** Opens the project and its store; the caller closes `store`. */
export async function openOperatorProject(options: OperatorOptions, term: Terminal): Promise<OperatorProject> {
  const { names, runtime, config } = await loadOperatorProject(options, term);
  const store = await open(runtime, storeUrl(options, config.store));
  return { names, runtime, store };
}

/** The project's model names and runtime, and its config. */
export async function loadOperatorProject(options: Omit<OperatorOptions, "format">, term: Terminal): Promise<Omit<OperatorProject, "store"> & { readonly config: EdaConfig; readonly codecFile: string }> {
  const config = options.config === undefined ? await loadConfig(term.cwd) : await loadConfig(term.cwd, { file: options.config });
  if (config === undefined) throw new CliError(`no ${options.config ?? "config"}`);
  const { model, diagnostics } = compile((await readInputs([], term.cwd, config)).map((i) => i.source));
  if (hasErrors(diagnostics)) throw new CliError("the model has errors: run `eda check`");
  const codecFile = options.codec !== undefined ? resolve(term.cwd, options.codec) : config.out !== undefined ? resolve(config.out, "codec.ts") : undefined;
  if (codecFile === undefined) throw new CliError('no generated code to take @eda/runtime from: pass --codec FILE, or set "out" in eda.config.json');
  if (!existsSync(codecFile)) throw new CliError(`${codecFile} does not exist: run \`eda generate\` first, or pass --codec FILE`);
  const runtime = (await loadProjectRuntime(dirname(codecFile), term.cwd)) as OperatorProject["runtime"];
  return { names: operationsNames(model), runtime, config, codecFile };
}

/** A runtime function by name, or a clear error when the project's runtime predates it. */
export function runtimeFunction<F>(project: Pick<OperatorProject, "runtime">, name: string): F {
  const fn = project.runtime[name];
  if (typeof fn !== "function") throw new CliError(`the project's @eda/runtime has no ${name}: update it`);
  return fn as F;
}

/** Rows as an aligned text table, every cell made {@link printable}. */
export function textTable(head: readonly string[], rawRows: readonly (readonly string[])[]): string {
  const rows = rawRows.map((row) => row.map((cell) => printable(cell)));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [head, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n") + "\n";
}
