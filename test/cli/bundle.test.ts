import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, makeProject, ROOT } from "./helpers.js";
import { MISSPELT } from "./models.js";

// The bin runs the bundle from a V8 code cache kept beside it (see packages/cli/bin/eda.js).
// These tests work on a copy of the package, so that they cannot disturb other runs.
let pkg = "";
let cleanup = () => {};
beforeAll(() => {
  ensureBundle();
  const project = makeProject({ "a.eda": MISSPELT });
  cleanup = project.cleanup;
  pkg = join(project.dir, "pkg");
  mkdirSync(join(pkg, "dist"), { recursive: true });
  cpSync(join(ROOT, "packages/cli/bin"), join(pkg, "bin"), { recursive: true });
  copyFileSync(join(ROOT, "packages/cli/package.json"), join(pkg, "package.json"));
  copyFileSync(join(ROOT, "packages/cli/dist/eda.cjs"), join(pkg, "dist/eda.cjs"));
});
afterAll(() => cleanup());

function run(env: Record<string, string> = {}, args: readonly string[] = ["check", "a.eda"]) {
  const result = spawnSync(process.execPath, [join(pkg, "bin/eda.js"), ...args], {
    cwd: join(pkg, ".."),
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const caches = () => readdirSync(join(pkg, "dist")).filter((name) => name.endsWith(".cache"));
const cacheStat = () => statSync(join(pkg, "dist", caches()[0] ?? "none"));

describe("the code cache of the bundle", () => {
  it("is made by the first run, used by the next, and changes no output", () => {
    const first = run({ NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("error EDA2001");
    expect(caches()).toEqual([]);
    expect(run()).toEqual(first);
    expect(caches()).toHaveLength(1);
    const made = cacheStat().mtimeMs;
    expect(run()).toEqual(first);
    // A cache V8 accepts is left as it is.
    expect(caches()).toHaveLength(1);
    expect(cacheStat().mtimeMs).toBe(made);
  });

  it("is one per command: another command makes its own and leaves the first; an earlier bundle's goes", () => {
    const [check] = caches();
    if (check === undefined) throw new Error("the previous test leaves a cache");
    expect(check).toMatch(/\.check\.cache$/);
    const made = cacheStat().mtimeMs;
    const stale = check.replace(/^eda\.cjs\.\d+-/, "eda.cjs.1-");
    writeFileSync(join(pkg, "dist", stale), "an earlier bundle's cache");
    expect(run({}, ["--version"]).code).toBe(0);
    expect(caches().sort()).toEqual([check, check.replace(/\.check\.cache$/, ".other.cache")].sort());
    expect(statSync(join(pkg, "dist", check)).mtimeMs).toBe(made);
  });

  it("is replaced when V8 refuses it", () => {
    const cache = caches().find((name) => name.endsWith(".check.cache"));
    if (cache === undefined) throw new Error("the previous tests leave a cache");
    writeFileSync(join(pkg, "dist", cache), "not V8's data");
    expect(run().stdout).toContain("error EDA2001");
    expect(caches()).toContain(cache);
    expect(readFileSync(join(pkg, "dist", cache), "utf8")).not.toBe("not V8's data");
    expect(run().code).toBe(1);
  });
});
