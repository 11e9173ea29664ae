/**
 * A hook for the crash tests: with `EDA_TEST_PAUSE_AT=<stage>`, `eda generate` stops dead at that
 * stage of writing its output (the whole process, not one task) and says so on stderr, so that a
 * test can kill it exactly there. Without the variable it costs one comparison.
 */
import { writeSync } from "node:fs";

const PAUSE_AT = process.env.EDA_TEST_PAUSE_AT;

/** The stages of replacing the output folder, in order (see output.ts). */
export const OUTPUT_STAGES = ["writing", "written", "old-moved", "swapped", "trashing"] as const;
export type OutputStage = (typeof OUTPUT_STAGES)[number];

/** Blocks the process for good when the tests asked to stop at `stage`. */
export function pauseForTest(stage: OutputStage): void {
  if (PAUSE_AT !== stage) return;
  writeSync(2, `eda: test pause at ${stage}\n`);
  // Atomics.wait blocks the event loop itself: no other write of this run can slip past.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0, 60_000);
}
