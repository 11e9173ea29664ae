import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEda, type LiveEda } from "./generate-helpers.js";
import { ensureBundle, makeProject } from "./helpers.js";
import { CLEAN, CLEAN_MORE, MISSPELT } from "./models.js";

beforeAll(ensureBundle);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe("eda generate --watch", () => {
  it("generates, regenerates after each change, keeps running through errors, and stops cleanly on Ctrl-C", async () => {
    const { dir, cleanup } = makeProject({ "eda.config.json": JSON.stringify({ model: "model/**/*.eda", out: "gen" }), "model/shop.eda": CLEAN });
    cleanups.push(cleanup);
    const eda: LiveEda = startEda(["generate", "--watch"], dir);
    cleanups.unshift(() => eda.child.kill("SIGKILL"));

    await eda.waitFor("stderr", "eda: watching model, eda.config.json for changes (Ctrl-C to stop)\n");
    await eda.waitFor("stdout", "wrote ");
    const schemas = () => readFileSync(join(dir, "gen/shop/schemas.ts"), "utf8");
    expect(schemas()).not.toContain("note");

    writeFileSync(join(dir, "model/shop.eda"), CLEAN.replace("orderId: uuid\n}\n\nevent", "orderId: uuid\n  note: string\n}\n\nevent"));
    await eda.waitFor("stdout", "wrote ", { times: 2 });
    expect(schemas()).toContain("note");

    // An error: reported, nothing written, still watching.
    writeFileSync(join(dir, "model/shop.eda"), MISSPELT);
    await eda.waitFor("stderr", "1 error in 1 file: nothing generated\n");
    expect(schemas()).toContain("note");

    // A new file in a new folder below the watched one, and the error fixed.
    writeFileSync(join(dir, "model/shop.eda"), CLEAN);
    writeFileSync(join(dir, "model/more.eda"), CLEAN_MORE.replace("context Shop", "context Billing"));
    await eda.waitFor("stdout", "wrote ", { times: 3 });
    await expect.poll(() => readFileSync(join(dir, "gen/billing/schemas.ts"), "utf8"), { timeout: 10_000 }).toContain("CancelOrder");
    expect(schemas()).not.toContain("note");

    eda.child.kill("SIGINT");
    const code = await Promise.race([eda.exited(), new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000))]);
    expect(code).toBe(0);
    expect(eda.stderr()).not.toContain("internal error");
  });

  it("watches a model folder holding links to its parent, and regenerates on a change", async () => {
    const { dir, cleanup } = makeProject({ "eda.config.json": JSON.stringify({ model: "model/**/*.eda", out: "gen" }), "model/shop.eda": CLEAN });
    cleanups.push(cleanup);
    symlinkSync("..", join(dir, "model/up"));
    symlinkSync("..", join(dir, "model/again"));
    const eda: LiveEda = startEda(["generate", "--watch"], dir);
    cleanups.unshift(() => eda.child.kill("SIGKILL"));

    await eda.waitFor("stderr", "eda: watching model, eda.config.json for changes (Ctrl-C to stop)\n");
    await eda.waitFor("stdout", "wrote 15 files");
    writeFileSync(join(dir, "model/shop.eda"), CLEAN.replace("orderId: uuid\n}\n\nevent", "orderId: uuid\n  note: string\n}\n\nevent"));
    await eda.waitFor("stdout", "wrote 15 files", { times: 2 });
    expect(readFileSync(join(dir, "gen/shop/schemas.ts"), "utf8")).toContain("note");
    expect(eda.stderr()).not.toContain("internal error");
  });
});
