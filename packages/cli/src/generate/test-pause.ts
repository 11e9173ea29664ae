/**
 * A hook for the crash tests: with `EDA_TEST_PAUSE_AT=<stage>`, `eda generate` stops dead at that
 * stage of writing its output (the whole process, not one task) and says so on stderr, so that a
 * test can kill it exactly there — or, with `EDA_TEST_RESUME_WHEN=<file>`, act meanwhile and let it
 * go on by creating that file. Without the variables it costs one comparison. `eda lsp` waits at
 * `lsp-scan` (the workspace folder searched) without blocking: the server goes on answering.
 */
import { existsSync, writeSync } from "node:fs";

const PAUSE_AT = process.env.EDA_TEST_PAUSE_AT;
const RESUME_WHEN = process.env.EDA_TEST_RESUME_WHEN;

/** The stages of replacing the output folder, in order (see output.ts). */
export const OUTPUT_STAGES = ["writing", "written", "old-moved", "swapped", "trashing"] as const;
export type OutputStage = (typeof OUTPUT_STAGES)[number];

/**
 * The stages of a run: taking over a dead run's lock (`lock-stale`), replacing the output, then
 * creating a handler file (`handler-create`, its temporary file written) or rewriting one
 * (`handler-edit`); `eda fmt` rewriting a model file (`fmt-write`); `eda lsp` having searched a
 * workspace folder (`lsp-scan`, see {@link waitForTest}).
 */
export type PauseStage = OutputStage | "handler-create" | "handler-edit" | "fmt-write" | "lock-stale" | "lsp-scan" | OperatorStage;

/**
 * The stages of the operator commands: `eda projections rebuild` with its rows built, before the
 * swap (`rebuild-swap`); `eda forget` with the keys deleted, before the purge (`forget-purge`).
 */
export type OperatorStage = "rebuild-swap" | "forget-purge";

/** Blocks the process when the tests asked to stop at `stage`: for good, or until they resume it. */
export function pauseForTest(stage: PauseStage): void {
  if (PAUSE_AT !== stage) return;
  writeSync(2, `eda: test pause at ${stage}\n`);
  // Atomics.wait blocks the event loop itself: no other write of this run can slip past.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    Atomics.wait(cell, 0, 0, RESUME_WHEN === undefined ? 60_000 : 20);
    if (RESUME_WHEN !== undefined && existsSync(RESUME_WHEN)) return;
  }
}

/** Waits, letting the event loop run, when the tests asked to stop at `stage`: until they resume it, or for good. */
export async function waitForTest(stage: PauseStage): Promise<void> {
  if (PAUSE_AT !== stage) return;
  writeSync(2, `eda: test pause at ${stage}\n`);
  while (RESUME_WHEN === undefined || !existsSync(RESUME_WHEN)) await new Promise((resolve) => setTimeout(resolve, 20));
}
