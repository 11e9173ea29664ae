import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startEda } from "./generate-helpers.js";
import { ensureBundle, runEda, tempProjects } from "./helpers.js";
import { BROKEN, CLEAN, CLEAN_MORE, UNFORMATTED } from "./models.js";

beforeAll(ensureBundle);

const { project, cleanups } = tempProjects();

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");

describe("eda fmt --check", () => {
  it("lists the unformatted files on stdout, changes nothing and exits 1", async () => {
    const dir = project({ "m/a.eda": UNFORMATTED, "m/b.eda": CLEAN_MORE });
    const run = await runEda(["fmt", "--check", "m"], dir);
    expect(run).toEqual({
      code: 1,
      stdout: "m/a.eda\n",
      stderr: "1 of 2 files not formatted; run `eda fmt` to fix.\n",
    });
    expect(read(dir, "m/a.eda")).toBe(UNFORMATTED);
  });

  it("exits 0 when every file is formatted", async () => {
    const dir = project({ "a.eda": CLEAN, "b.eda": CLEAN_MORE });
    expect(await runEda(["fmt", "--check", "."], dir)).toEqual({ code: 0, stdout: "", stderr: "All 2 files are formatted.\n" });
  });
});

describe("eda fmt and line ends", () => {
  const crlf = (text: string) => text.replace(/\n/g, "\r\n");
  it("keeps the \\r\\n of a file whose first line ends so (a Windows checkout), and --check passes on it", async () => {
    const dir = project({ "a.eda": crlf(UNFORMATTED), "lf.eda": UNFORMATTED, "b.eda": crlf(CLEAN_MORE), "c.eda": CLEAN.replace("\n", "\r\n") });
    expect(await runEda(["fmt", "--check", "b.eda"], dir)).toEqual({ code: 0, stdout: "", stderr: "The file is formatted.\n" });
    expect(await runEda(["fmt", "a.eda", "lf.eda", "b.eda", "c.eda"], dir)).toMatchObject({ code: 0, stdout: "a.eda\nc.eda\nlf.eda\n" });
    expect(read(dir, "a.eda")).toBe(crlf(read(dir, "lf.eda")));
    // One \r\n, on the first line: the whole file takes it.
    expect(read(dir, "c.eda")).toBe(crlf(CLEAN));
    expect(await runEda(["fmt", "--check", "."], dir)).toMatchObject({ code: 0 });
  });

  it("writes \\n when the first line ends with \\n, whatever the later lines do", async () => {
    const mixed = CLEAN.split("\n").map((line, i) => (i === 2 ? `${line}\r` : line)).join("\n");
    const dir = project({ "a.eda": mixed });
    expect(await runEda(["fmt", "a.eda"], dir)).toMatchObject({ code: 0, stdout: "a.eda\n" });
    expect(read(dir, "a.eda")).toBe(CLEAN);
  });
});

describe("eda fmt", () => {
  it("keeps a save the user made while the file was being formatted", async () => {
    const dir = project({ "m/a.eda": UNFORMATTED });
    const resume = join(dir, "resume");
    const eda = startEda(["fmt", "m"], dir, { EDA_TEST_PAUSE_AT: "fmt-write", EDA_TEST_RESUME_WHEN: resume });
    cleanups.unshift(() => eda.child.kill("SIGKILL"));
    await eda.waitFor("stderr", "eda: test pause at fmt-write\n");
    const saved = `${UNFORMATTED}\n// typed meanwhile\n`;
    writeFileSync(join(dir, "m/a.eda"), saved);
    writeFileSync(resume, "");
    expect(await eda.exited()).toBe(0);
    expect(eda.stdout()).toBe("");
    expect(eda.stderr()).toContain("eda: m/a.eda changed while it was being formatted; left as it is (run eda fmt again)\n");
    expect(read(dir, "m/a.eda")).toBe(saved);
  });

  it("rewrites only the files whose layout changes, keeping their mode, and is idempotent", async () => {
    const dir = project({ "a.eda": UNFORMATTED, "b.eda": CLEAN_MORE });
    chmodSync(join(dir, "a.eda"), 0o600);
    const untouched = statSync(join(dir, "b.eda")).mtimeMs;
    const first = await runEda(["fmt", "a.eda", "b.eda"], dir);
    expect(first).toEqual({ code: 0, stdout: "a.eda\n", stderr: "Formatted 1 of 2 files.\n" });
    const formatted = read(dir, "a.eda");
    expect(formatted).not.toBe(UNFORMATTED);
    expect(formatted.replace(/\s+/g, " ")).toBe(CLEAN.replace(/\s+/g, " "));
    expect(statSync(join(dir, "a.eda")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "b.eda")).mtimeMs).toBe(untouched);
    expect(readdirSync(dir).sort()).toEqual(["a.eda", "b.eda"]);

    const again = await runEda(["fmt", "a.eda", "b.eda"], dir);
    expect(again).toEqual({ code: 0, stdout: "", stderr: "All 2 files are formatted.\n" });
    expect(read(dir, "a.eda")).toBe(formatted);
    expect((await runEda(["fmt", "--check", "a.eda"], dir)).code).toBe(0);
  });

  it("keeps the owner of a file it rewrites when run as root", async (context) => {
    if (process.getuid?.() !== 0) context.skip();
    const dir = project({ "a.eda": UNFORMATTED });
    chownSync(join(dir, "a.eda"), 1234, 4321);
    expect((await runEda(["fmt", "a.eda"], dir)).code).toBe(0);
    const { uid, gid } = statSync(join(dir, "a.eda"));
    expect({ uid, gid }).toEqual({ uid: 1234, gid: 4321 });
    expect(read(dir, "a.eda")).not.toBe(UNFORMATTED);
  });

  it("leaves a read-only file as it is, says so, formats the rest and exits 1", async () => {
    const dir = project({ "a.eda": UNFORMATTED, "b.eda": UNFORMATTED.replace("context Shop", "context Other") });
    chmodSync(join(dir, "a.eda"), 0o444);
    const run = await runEda(["fmt", "."], dir);
    expect(run).toEqual({
      code: 1,
      stdout: "b.eda\n",
      stderr: "eda: a.eda is read-only; left as it is (make it writable to format it)\nFormatted 1 of 2 files. 1 file read-only, not formatted.\n",
    });
    expect(read(dir, "a.eda")).toBe(UNFORMATTED);
    expect(statSync(join(dir, "a.eda")).mode & 0o777).toBe(0o444);
    // Checking writes nothing, so a read-only file is checked as any other.
    expect((await runEda(["fmt", "--check", "a.eda"], dir)).stdout).toBe("a.eda\n");
  });

  it("removes the temporary files a run killed while writing left beside the model files, but not a running one's", async () => {
    const dir = project({ "m/a.eda": UNFORMATTED });
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const left = `.eda-tmp-a.eda-${dead}-k3x9q2a1`;
    const live = `.eda-tmp-a.eda-${process.pid}-k3x9q2a1`;
    for (const name of [left, live]) writeFileSync(join(dir, "m", name), "context Sh");
    expect((await runEda(["fmt", "--check", "m"], dir)).code).toBe(1);
    expect(readdirSync(join(dir, "m")).sort()).toEqual([left, live, "a.eda"].sort());
    const run = await runEda(["fmt", "m"], dir);
    expect(run).toEqual({ code: 0, stdout: "m/a.eda\n", stderr: `eda: removed 1 leftover temporary file of an interrupted run: m/${left}\nFormatted 1 of 1 file.\n` });
    expect(readdirSync(join(dir, "m")).sort()).toEqual([live, "a.eda"].sort());
  });

  it("reports files with syntax errors, leaves them untouched, formats the rest and exits 1", async () => {
    const dir = project({ "a.eda": BROKEN, "b.eda": UNFORMATTED.replace("context Shop", "context Other") });
    const run = await runEda(["fmt", "."], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("b.eda\n");
    expect(run.stderr).toMatch(/^a\.eda:4:16: error EDA1004: /);
    expect(run.stderr).toContain("\n  |                    ^\n");
    expect(run.stderr.endsWith("\nFormatted 1 of 2 files. 1 file with syntax errors left unchanged.\n")).toBe(true);
    expect(read(dir, "a.eda")).toBe(BROKEN);
    expect(read(dir, "b.eda")).not.toContain("command   PlaceOrder");
  });

  it("fails --check on a file with syntax errors too", async () => {
    const dir = project({ "a.eda": BROKEN });
    const run = await runEda(["fmt", "--check", "a.eda"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error EDA1004");
  });

  it("keeps a byte order mark", async () => {
    const dir = project({ "a.eda": `\uFEFF${UNFORMATTED}` });
    expect((await runEda(["fmt", "a.eda"], dir)).code).toBe(0);
    const text = read(dir, "a.eda");
    expect(text.startsWith("\uFEFFcontext Shop\n")).toBe(true);
    expect((await runEda(["fmt", "--check", "a.eda"], dir)).code).toBe(0);
  });

  it("uses the config's globs when no path is given", async () => {
    const dir = project({ "eda.config.json": '{ "model": "model/*.eda" }', "model/a.eda": UNFORMATTED, "other.eda": UNFORMATTED });
    const run = await runEda(["fmt"], dir);
    expect(run.stdout).toBe("model/a.eda\n");
    expect(read(dir, "other.eda")).toBe(UNFORMATTED);
  });

  it("exits 2 for a missing path, writing nothing", async () => {
    const dir = project({ "a.eda": UNFORMATTED });
    const run = await runEda(["fmt", "a.eda", "nope.eda"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: cannot read 'nope.eda': ENOENT: no such file or directory\n" });
    expect(read(dir, "a.eda")).toBe(UNFORMATTED);
  });
});
