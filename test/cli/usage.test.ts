import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT, runEda } from "./helpers.js";

beforeAll(ensureBundle);

const cwd = tmpdir();

describe("eda: usage", () => {
  it("prints help with --help and exits 0", async () => {
    const run = await runEda(["--help"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: eda \[options\] \[command\]/);
    expect(run.stdout).toContain("check [options] [paths...]");
    expect(run.stdout).toContain("fmt [options] [paths...]");
  });

  it("prints a command's help", async () => {
    const run = await runEda(["check", "--help"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--format <format>");
  });

  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}/packages/cli/package.json`, "utf8")) as { version: string };
    expect(await runEda(["--version"], cwd)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("says which Node.js it needs when run by an older one than its engines field's", async () => {
    const { engines } = JSON.parse(readFileSync(`${ROOT}/packages/cli/package.json`, "utf8")) as { engines: { node: string } };
    expect(engines.node).toBe(">=20.19");
    // Node 20.18 (or 18), as the bin sees it: process.versions.node set before it runs.
    // (NODE_OPTIONS drops double quotes: the module's strings are template literals.)
    const older = (v: string) => ({ NODE_OPTIONS: `--import=data:text/javascript,Object.defineProperty(process.versions,\`node\`,{value:\`${v}\`})` });
    for (const v of ["20.18.3", "18.20.8"]) {
      expect(await runEda(["--version"], cwd, older(v))).toEqual({ code: 2, stdout: "", stderr: `eda: needs Node.js 20.19 or later; this is Node.js ${v}\n` });
    }
    expect(await runEda(["--version"], cwd, older("20.19.0"))).toMatchObject({ code: 0, stderr: "" });
  });

  it.each([
    ["an unknown command", ["frobnicate"], "error: unknown command 'frobnicate'"],
    ["an unknown option", ["check", "--nope"], "error: unknown option '--nope'"],
    ["no command", [], "Usage: eda"],
  ])("exits 2 with usage on %s", async (_name, args, message) => {
    const run = await runEda(args, cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Usage: eda");
  });
});
