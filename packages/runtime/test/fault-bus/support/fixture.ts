/** One fault test's world: a fresh vhost, a temp SQLite file, and what to clean up. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVhost, type TestVhost } from "../../bus/support/rabbit.js";

/** A fault test's resources. */
export interface FaultWorld {
  readonly vhost: TestVhost;
  /** A SQLite file for the event store, shared by the test and its children. */
  readonly storeFile: string;
  /** Registers a cleanup step (run in reverse order). */
  defer(step: () => Promise<unknown>): void;
  dispose(): Promise<void>;
}

/** Creates a vhost and a temp folder. */
export async function createWorld(): Promise<FaultWorld> {
  const vhost = await createVhost();
  const dir = mkdtempSync(join(tmpdir(), "eda-fault-bus-"));
  const steps: (() => Promise<unknown>)[] = [];
  return {
    vhost,
    storeFile: join(dir, "events.db"),
    defer: (step) => void steps.push(step),
    dispose: async () => {
      for (const step of steps.reverse()) await step().catch(() => undefined);
      await vhost.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
