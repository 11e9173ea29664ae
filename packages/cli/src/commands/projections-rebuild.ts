/**
 * `eda projections rebuild <Context.Projection> --implementation FILE [--store URL] [--config FILE]
 * [--codec FILE] [--batch-size N] [--progress] [--format text|json]`: rebuilds one projection of
 * the configured model from the whole store without stopping its readers. The rows are built
 * beside the live ones (`<name>~rebuild`) and swapped in, with the checkpoint, in one
 * transaction (the project's own `@eda/runtime`'s `rebuildBeside`); until then reads see the old
 * rows, and a poison event or an interruption leaves them as they were. The projection's
 * handlers come from the hand-written implementation (the object given to the generated
 * `createApp`, exported as `implementation` or by default from FILE, else from the config's
 * `implementation`, loaded with tsx); the codec
 * is made with its `upcasts`, and `@pii` fields are decrypted as the app does. Progress (events read of the head) goes to standard error when it
 * is a terminal, or with --progress. Exit 0 rebuilt, 1 the rebuild stopped (rows unchanged),
 * 2 usage and I/O problems.
 */
import { relative, resolve } from "node:path";
import { closest } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { pauseForTest } from "../generate/test-pause.js";
import { loadImplementation } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { loadOperatorProject, runtimeFunction, type OperatorOptions } from "./operator-project.js";
import { open, storeUrl } from "./store-verify.js";

export interface ProjectionsRebuildOptions extends OperatorOptions {
  readonly implementation?: string;
  readonly batchSize?: number;
  readonly progress?: boolean;
}

interface Progress {
  readonly position: number;
  readonly head: number;
}
type RebuildBeside = (store: unknown, codec: unknown, projection: unknown, options: { batchSize?: number; onProgress?: (p: Progress) => void }) => Promise<number>;

export async function runProjectionsRebuild(name: string, options: ProjectionsRebuildOptions, term: Terminal): Promise<number> {
  const project = await loadOperatorProject(options, term);
  const known = project.names.projections;
  if (!known.includes(name)) {
    const near = closest(name, known);
    const hint = near !== undefined ? ` (did you mean ${near}?)` : known.length === 0 ? " (the model has no projections)" : ` (the model's: ${known.join(", ")})`;
    throw new CliError(`no projection ${name} in the model${hint}`);
  }
  const file = options.implementation !== undefined ? resolve(term.cwd, options.implementation) : project.config.implementation;
  if (file === undefined) {
    throw new CliError('the rebuild needs the projection\'s handlers: pass --implementation MODULE (exporting "implementation", the object given to createApp), or set "implementation" in eda.config.json');
  }
  const { implementation, codec } = await loadImplementation(file, project.codecFile, term.cwd);
  const projection = definitionOf(implementation, name);
  if (projection === undefined) throw new CliError(`the implementation in ${relative(term.cwd, file)} has no ${name}`);
  const rebuild = runtimeFunction<RebuildBeside>(project, "rebuildBeside");
  const store = await open(project.runtime, storeUrl(options, project.config.store));
  const showProgress = options.progress === true || term.errIsTTY === true;
  const started = Date.now();
  // Events with `@pii` fields are read as the app reads them: decrypted with the keys in the store (EDA_MASTER_KEY).
  const withEncryption = runtimeFunction<(store: unknown, codec: unknown, encryption: undefined) => unknown>(project, "withEncryption");
  try {
    const read = await rebuild(withEncryption(store, codec, undefined), codec, projection, {
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      onProgress: (p) => {
        if (showProgress) term.err(`${name}: ${p.position}/${p.head} events${term.errIsTTY === true ? "\r" : "\n"}`);
        // The last batch is committed; the swap comes next (crash and race tests stop here).
        if (p.position >= p.head) pauseForTest("rebuild-swap");
      },
    });
    if (showProgress && term.errIsTTY === true) term.err("\n");
    const summary = { projection: name, events: read, seconds: (Date.now() - started) / 1000 };
    term.out(options.format === "json" ? `${JSON.stringify(summary)}\n` : `${name} rebuilt from ${read} events in ${summary.seconds.toFixed(1)} s\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (options.format === "json") term.out(`${JSON.stringify({ projection: name, error: message })}\n`);
    term.err(`eda: ${message}\n`);
    return EXIT.problems;
  } finally {
    await store.close();
  }
}

/** `implementation.Context.Name`, the definition the generated `defineName` made. */
function definitionOf(implementation: Record<string, unknown>, name: string): unknown {
  const [context, local] = name.split(".");
  const inContext = implementation[context ?? ""];
  if (typeof inContext !== "object" || inContext === null || local === undefined) return undefined;
  const definition = (inContext as Record<string, unknown>)[local];
  return typeof definition === "object" && definition !== null ? definition : undefined;
}
