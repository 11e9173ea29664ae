/** The language server's Project: its compilations of the current texts, whole or in steps. */
import { describe, expect, it } from "vitest";
import { Project } from "../../packages/lsp/src/project.js";

let pauses = 0;
const pause = (): Promise<void> => {
  pauses++;
  return new Promise((resolve) => setTimeout(resolve, 0));
};

describe("a project checked in steps", () => {
  it("reuses the compilation of the current texts instead of compiling them again", async () => {
    const project = new Project("/p");
    project.set("/p/a.eda", "context A {\n  event Placed v1 { id: string }\n}\n", 1);
    project.set("/p/b.eda", "context B {\n  event Shipped v1 { id: string }\n}\n", null);
    // The scheduler runs a large project's check again when an edit to another project arrived
    // during it; that check used to resolve the whole model again before its first pause noticed
    // the compilation was current, and could be superseded the same way while edits kept coming.
    const first = await project.compileInSteps(pause, 0);
    expect(first).toBeDefined();
    pauses = 0;
    expect(await project.compileInSteps(pause, 0)).toBe(first);
    expect(pauses).toBe(0);
    expect(project.compile()).toBe(first);
    project.set("/p/b.eda", "context B {\n  event Shipped v1 { id: string, at: string }\n}\n", null);
    const second = await project.compileInSteps(pause, 0);
    expect(second).not.toBe(first);
    expect(second?.texts.get("/p/b.eda")).toContain("at: string");
  });
});
