import { describe, expect, it } from "vitest";
import { CheckScheduler } from "../../packages/lsp/src/diagnostics.js";
import type { Project, Snapshot } from "../../packages/lsp/src/project.js";

/** A stand-in project: `compile` returns a marker snapshot, or throws. */
function fakeProject(name: string, compile: () => unknown): Project {
  return { name, compile, fresh: true } as unknown as Project;
}

describe("the check scheduler", () => {
  it("reports a check that throws and goes on with the other projects, without a rejection", async () => {
    const published: string[] = [];
    const failures: [string, string][] = [];
    const scheduler = new CheckScheduler(
      {
        publish: (project: Project, snapshot: Snapshot) => published.push(`${(project as unknown as { name: string }).name}:${String(snapshot)}`),
        editsReceived: () => 0,
        failed: (project, error) => failures.push([(project as unknown as { name: string }).name, (error as Error).message]),
      },
      0,
    );
    const broken = fakeProject("broken", () => {
      throw new Error("a checker bug");
    });
    const fine = fakeProject("fine", () => "snapshot");
    scheduler.schedule(broken);
    scheduler.schedule(fine);
    await expect(scheduler.runNow()).resolves.toBeUndefined();
    expect(failures).toEqual([["broken", "a checker bug"]]);
    expect(published).toEqual(["fine:snapshot"]);
    // The broken project is checked again on its next edit.
    scheduler.schedule(broken);
    await scheduler.runNow();
    expect(failures).toHaveLength(2);
  });
});
