/**
 * Killing `eda generate` part-way leaves the previous output whole. `EDA_TEST_PAUSE_AT=<stage>`
 * makes the process stop dead at one stage of replacing the output folder; the test then kills
 * it with SIGKILL there, looks at what is on disk, and runs again.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { snapshot, startEda } from "./generate-helpers.js";
import { ensureBundle, makeProject, runEda } from "./helpers.js";
import { CLEAN, CLEAN_MORE } from "./models.js";

beforeAll(ensureBundle);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const CONFIG = JSON.stringify({ model: "model/*.eda", out: "gen" });
// From OLD to NEW, files change (shop), disappear (billing) and appear (refunds).
const OLD = { "model/shop.eda": CLEAN, "model/billing.eda": CLEAN_MORE.replace("context Shop", "context Billing") };
const NEW = {
  "model/shop.eda": CLEAN.replace("orderId: uuid\n}\n\nevent", "orderId: uuid\n  note: string\n}\n\nevent"),
  "model/refunds.eda": CLEAN_MORE.replace("context Shop", "context Refunds"),
};

/** The output of a clean run of `files`, made in a project of its own. */
async function outputOf(files: Record<string, string>): Promise<Record<string, string>> {
  const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, ...files });
  cleanups.push(cleanup);
  expect((await runEda(["generate"], dir)).code).toBe(0);
  const output = snapshot(join(dir, "gen"));
  if (!output) throw new Error("no output");
  return output;
}

/** A project generated from OLD whose model is then edited to NEW. */
async function editedProject(): Promise<string> {
  const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, ...OLD });
  cleanups.push(cleanup);
  expect((await runEda(["generate"], dir)).code).toBe(0);
  rmSync(join(dir, "model/billing.eda"));
  for (const [path, text] of Object.entries(NEW)) writeFileSync(join(dir, path), text);
  return dir;
}

/** Runs `eda generate` in `dir` until it reaches `stage`, and kills it there. Resolves to its pid. */
async function killAt(dir: string, stage: string): Promise<number> {
  const eda = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: stage });
  await eda.waitFor("stderr", `eda: test pause at ${stage}\n`);
  eda.child.kill("SIGKILL");
  expect(await eda.exited()).toBe("SIGKILL");
  return eda.child.pid ?? 0;
}

describe("eda generate killed part-way", () => {
  let before: Record<string, string>;
  let after: Record<string, string>;
  beforeAll(async () => {
    [before, after] = await Promise.all([outputOf(OLD), outputOf(NEW)]);
    // The two sets must differ in every way a swap can go wrong: changed, removed and new files.
    const changed = Object.keys(after).filter((p) => p in before && before[p] !== after[p]);
    expect(changed.length).toBeGreaterThan(0);
    expect(Object.keys(before).some((p) => !(p in after))).toBe(true);
    expect(Object.keys(after).some((p) => !(p in before))).toBe(true);
  });

  // Before the swap the old output is in place; after it, the new one.
  it.each([
    ["writing", "old"],
    ["written", "old"],
    ["swapped", "new"],
    ["trashing", "new"],
  ])("at %s leaves the %s output whole, and the next run succeeds", async (stage, which) => {
    const dir = await editedProject();
    const pid = await killAt(dir, stage);
    expect(snapshot(join(dir, "gen"))).toEqual(which === "old" ? before : after);
    // The leftovers are hidden siblings of the output folder, which the next run removes.
    expect(readdirSync(dir).filter((name) => name.startsWith(".gen.eda-"))).toContain(".gen.eda-lock");
    expect(readdirSync(dir).filter((name) => name.startsWith(".gen.eda-")).every((name) => name === ".gen.eda-lock" || name.endsWith(`-${pid}`))).toBe(true);

    const next = await runEda(["generate"], dir);
    expect(next.code).toBe(0);
    expect(snapshot(join(dir, "gen"))).toEqual(after);
    expect(readdirSync(dir).sort()).toEqual(["eda.config.json", "gen", "model"]);
    expect((await runEda(["generate", "--check"], dir)).code).toBe(0);
  });

  it("between the two renames leaves the old output whole beside the missing folder, and the next run restores it", async () => {
    const dir = await editedProject();
    const pid = await killAt(dir, "old-moved");
    expect(snapshot(join(dir, "gen"))).toBeUndefined();
    expect(snapshot(join(dir, `.gen.eda-old-${pid}`))).toEqual(before);
    expect(snapshot(join(dir, `.gen.eda-tmp-${pid}`))).toEqual(after);

    const check = await runEda(["generate", "--check"], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toBe("eda: 'gen' is missing after an interrupted run; `eda generate` restores it\n");
    expect(snapshot(join(dir, `.gen.eda-old-${pid}`))).toEqual(before);

    const next = await runEda(["generate"], dir);
    expect(next.code).toBe(0);
    expect(next.stderr).toBe(`eda: restored 'gen' from an interrupted run\neda: removed 1 leftover folder of an interrupted run next to 'gen'\n`);
    expect(next.stdout).toMatch(/^wrote \d+ files to gen\/ \(\d+ new, \d+ changed, \d+ removed\)\n$/);
    expect(snapshot(join(dir, "gen"))).toEqual(after);
    expect(readdirSync(dir).sort()).toEqual(["eda.config.json", "gen", "model"]);
  });

  it("refuses to run beside a live eda generate writing the same folder", async () => {
    const dir = await editedProject();
    const eda = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: "written" });
    try {
      await eda.waitFor("stderr", "eda: test pause at written\n");
      const second = await runEda(["generate"], dir);
      expect(second).toEqual({
        code: 2,
        stdout: "",
        stderr: `eda: another eda generate (process ${eda.child.pid}) is writing 'gen'; wait for it to finish (if no eda is running, remove '.gen.eda-lock' beside it)\n`,
      });
      expect(snapshot(join(dir, "gen"))).toEqual(before);
    } finally {
      eda.child.kill("SIGKILL");
      await eda.exited();
    }
  });

  it("lets only one of two runs take over a dead run's lock", async () => {
    const dir = await editedProject();
    // The lock of a run that died: its process is gone.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(dir, ".gen.eda-lock"), dead);
    const resume = join(dir, "resume");
    // The first run finds the lock dead and stops before taking it over…
    const first = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: "lock-stale", EDA_TEST_RESUME_WHEN: resume });
    cleanups.unshift(() => first.child.kill("SIGKILL"));
    await first.waitFor("stderr", "eda: test pause at lock-stale\n");
    // …while a second takes it over and is writing.
    const second = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: "written" });
    try {
      await second.waitFor("stderr", "eda: test pause at written\n");
      writeFileSync(resume, "");
      expect(await first.exited()).toBe(2);
      expect(first.stderr()).toContain(`eda: another eda generate (process ${second.child.pid}) is writing 'gen';`);
      expect(snapshot(join(dir, "gen"))).toEqual(before);
    } finally {
      for (const eda of [first, second]) eda.child.kill("SIGKILL");
      await Promise.all([first.exited(), second.exited()]);
    }
  });
  it("removes the lock files a run killed while taking the lock left, but not a running one's", async () => {
    const dir = await editedProject();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const left = [`.gen.eda-lock-${dead}`, `.gen.eda-lock-${dead}.new`];
    // This test's own process is running: its files may be a run's between two steps.
    const live = [`.gen.eda-lock-${process.pid}`, `.gen.eda-lock-${process.pid}.new`];
    for (const name of [...left, ...live]) writeFileSync(join(dir, name), dead);
    const run = await runEda(["generate"], dir);
    expect(run.code, run.stderr).toBe(0);
    const names = readdirSync(dir);
    expect(names.filter((n) => left.includes(n))).toEqual([]);
    expect(names.filter((n) => live.includes(n)).sort()).toEqual([...live].sort());
    expect(names).not.toContain(".gen.eda-lock");
  });
});
