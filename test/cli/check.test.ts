import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startEda } from "./generate-helpers.js";
import { ensureBundle, hasAnsi, runEda, runEdaOnTerminal, tempProjects } from "./helpers.js";
import { BROKEN, CLEAN, CLEAN_MORE, inOtherContext, MISSPELT, QUERY_COMMAND } from "./models.js";

beforeAll(ensureBundle);

const { project, cleanups } = tempProjects();

describe("eda check: exit codes and the text report", () => {
  it("exits 0 and says so when the model has no problem", async () => {
    const dir = project({ "a.eda": CLEAN, "b.eda": CLEAN_MORE });
    const run = await runEda(["check", "a.eda", "b.eda"], dir);
    expect(run).toEqual({ code: 0, stdout: "No problems in 2 files.\n", stderr: "" });
  });

  it("exits 0 with warnings only, and shows them", async () => {
    const dir = project({ "q.eda": QUERY_COMMAND });
    const run = await runEda(["check", "q.eda"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^q\.eda:3:9: warning EDA6003: /);
    expect(run.stdout.endsWith("\n\n1 warning in 1 file\n")).toBe(true);
  });

  it("exits 1 on an error and prints it compiler-style with a frame, a hint and the summary", async () => {
    const dir = project({ "model/shop.eda": MISSPELT, "model/more.eda": CLEAN_MORE });
    const run = await runEda(["check", "model"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("model/shop.eda:13:23: error EDA2001: I cannot find an event named `OrderPlacd`.");
    expect(lines.slice(1, 4)).toEqual(["   |", "13 |   on PlaceOrder emits OrderPlacd", expect.stringMatching(/^ {3}\| {23}\^+$/)]);
    expect(lines[4]).toMatch(/^ {3}= hint: Did you mean `OrderPlaced`\?$/);
    expect(lines.slice(-3)).toEqual(["", "1 error in 2 files", ""]);
  });

  it("shows related labels as notes with their own frames", async () => {
    const dir = project({ "a.eda": BROKEN });
    const run = await runEda(["check", "a.eda"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^a\.eda:4:16: error EDA1004: /);
    expect(run.stdout).toContain("\na.eda:3:20: note: this `{` is never closed\n  |\n3 | command PlaceOrder {\n  |                    ^\n");
  });

  it("shows paths relative to the working folder, wherever the files are named from", async () => {
    const dir = project({ "m/shop.eda": MISSPELT });
    const run = await runEda(["check", join(dir, "m", "shop.eda")], join(dir, "m"));
    expect(run.stdout).toMatch(/^shop\.eda:13:23: error/);
    const above = await runEda(["check", "../m"], join(dir, "m"));
    expect(above.stdout).toMatch(/^shop\.eda:13:23: error/);
  });

  it("takes every .eda file below a folder, sorted, skipping node_modules and hidden folders", async () => {
    const dir = project({
      "m/b/shop.eda": MISSPELT,
      "m/a/shop.eda": inOtherContext(MISSPELT, "Other"),
      "m/notes.txt": "not a model",
      "m/node_modules/dep/x.eda": "this is not eda at all {",
      "m/.cache/x.eda": "neither {",
    });
    const run = await runEda(["check", "m", "--format", "json"], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { diagnostics: { file: string }[]; summary: { files: number } };
    expect(report.diagnostics.map((d) => d.file)).toEqual(["m/a/shop.eda", "m/b/shop.eda"]);
    expect(report.summary.files).toBe(2);
  });

  it("names a file given twice (directly and through its folder) once", async () => {
    const dir = project({ "m/shop.eda": CLEAN });
    const run = await runEda(["check", "m", "m/shop.eda", "./m/../m/shop.eda"], dir);
    expect(run.stdout).toBe("No problems in 1 file.\n");
  });
});

describe("eda check --format json", () => {
  it("prints diagnostics with positions, hint and labels, and a summary", async () => {
    const dir = project({ "a.eda": BROKEN, "b.eda": inOtherContext(QUERY_COMMAND, "Q") });
    const run = await runEda(["check", ".", "--format", "json"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toEqual({
      diagnostics: [
        {
          code: "EDA1004",
          severity: "error",
          message: expect.any(String),
          file: "a.eda",
          start: { line: 4, column: 16, offset: BROKEN.indexOf("\n\nevent") },
          end: expect.objectContaining({ line: 4 }),
          hint: expect.any(String),
          fix: null,
          labels: [
            {
              message: "this `{` is never closed",
              file: "a.eda",
              start: { line: 3, column: 20, offset: BROKEN.indexOf("{") },
              end: { line: 3, column: 21, offset: BROKEN.indexOf("{") + 1 },
            },
          ],
        },
        expect.objectContaining({ code: "EDA6003", severity: "warning", file: "b.eda", labels: [] }),
      ],
      summary: { errors: 1, warnings: 1, notices: 0, files: 2 },
    });
  });

  it("gives a null hint and no labels when there are none, and exits 0 without errors", async () => {
    const dir = project({ "a.eda": CLEAN });
    const run = await runEda(["check", "a.eda", "--format=json"], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: [], summary: { errors: 0, warnings: 0, notices: 0, files: 1 } });
  });

  it("rejects an unknown format as a usage error", async () => {
    const dir = project({ "a.eda": CLEAN });
    const run = await runEda(["check", "a.eda", "--format", "xml"], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("'xml' is invalid");
  });
});

describe("eda check: colour", () => {
  it("uses none in a pipe", async () => {
    const dir = project({ "a.eda": MISSPELT });
    const run = await runEda(["check", "a.eda"], dir);
    expect(run.stdout).toContain("error EDA2001");
    expect(hasAnsi(run.stdout)).toBe(false);
  });

  it("uses it when forced with FORCE_COLOR, but never with NO_COLOR", async () => {
    const dir = project({ "a.eda": MISSPELT });
    const forced = await runEda(["check", "a.eda"], dir, { FORCE_COLOR: "1" });
    expect(hasAnsi(forced.stdout)).toBe(true);
    expect(forced.stdout).toContain("\u001b[31m"); // the error in red
    const both = await runEda(["check", "a.eda"], dir, { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(hasAnsi(both.stdout)).toBe(false);
    expect(both.stdout.replaceAll("\r", "")).toBe(forced.stdout.replace(/\u001b\[\d+m/g, ""));
  });

  it("uses it on a terminal unless NO_COLOR has a value", async () => {
    const dir = project({ "a.eda": MISSPELT });
    const onTty = (env: Record<string, string | undefined>) => runEdaOnTerminal(["check", "a.eda"], dir, env);
    expect(hasAnsi(await onTty({}))).toBe(true);
    expect(hasAnsi(await onTty({ NO_COLOR: "" }))).toBe(true);
    const plain = await onTty({ NO_COLOR: "1" });
    expect(plain).toContain("error EDA2001");
    expect(hasAnsi(plain)).toBe(false);
  });
});

describe("eda check: I/O and usage errors exit 2 with a one-line reason", () => {
  it("reports a missing file", async () => {
    const dir = project({ "a.eda": CLEAN });
    const run = await runEda(["check", "a.eda", "missing.eda"], dir);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "eda: cannot read 'missing.eda': ENOENT: no such file or directory\n",
    });
  });

  it("reports a file that cannot be read (a dangling link found in a folder)", async () => {
    const dir = project({ "m/a.eda": CLEAN });
    symlinkSync(join(dir, "nowhere.eda"), join(dir, "m", "b.eda"));
    const run = await runEda(["check", "m"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("eda: cannot read 'm/b.eda': ENOENT: no such file or directory\n");
  });

  it("reports a path that runs through a file", async () => {
    // (Tests run as root, for whom chmod 000 blocks nothing; a file used as a folder fails for all.)
    const dir = project({ file: "" });
    const run = await runEda(["check", "file/x.eda"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: cannot read 'file/x.eda': ENOTDIR: not a directory\n" });
  });

  it("reports a folder (even one named x.eda) without .eda files", async () => {
    const dir = project({ "x.eda/readme.txt": "nothing here" });
    mkdirSync(join(dir, "empty"));
    expect(await runEda(["check", "x.eda"], dir)).toEqual({ code: 2, stdout: "", stderr: "eda: no .eda files in 'x.eda'\n" });
    expect((await runEda(["check", "empty"], dir)).stderr).toBe("eda: no .eda files in 'empty'\n");
  });

  it("reads each model file once, however many links lead to it, and ends when links loop", async () => {
    const dir = project({ "model/shop.eda": CLEAN, "eda.config.json": JSON.stringify({ model: "model/**/*.eda", out: "gen" }) });
    // Two links to the parent: walked blindly, every level doubles the paths until names grow too long.
    symlinkSync("..", join(dir, "model/up"));
    symlinkSync("..", join(dir, "model/again"));
    symlinkSync("shop.eda", join(dir, "model/alias.eda"));
    expect(await runEda(["check", "model"], dir)).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
    expect(await runEda(["check"], dir)).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
    expect(await runEda(["check", "model/shop.eda", "model/alias.eda"], dir)).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
  });

  it("reports a file that is not UTF-8, at the line of its first bad byte", async () => {
    const dir = project({});
    writeFileSync(join(dir, "bad.eda"), Buffer.from([0x63, 0x6f, 0xff, 0xfe, 0x0a]));
    const run = await runEda(["check", "bad.eda"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: cannot read 'bad.eda': line 1 is not valid UTF-8 (byte 0xFF); save it as UTF-8\n" });
    // Latin-1 on line 3, after well-formed multi-byte characters (é, €, 𝄞).
    const latin1 = Buffer.concat([Buffer.from("context Café\n// € 𝄞\n/// Gr", "utf8"), Buffer.from([0xfc, 0x65]), Buffer.from("\n", "utf8")]);
    writeFileSync(join(dir, "latin1.eda"), latin1);
    expect((await runEda(["check", "latin1.eda"], dir)).stderr).toBe("eda: cannot read 'latin1.eda': line 3 is not valid UTF-8 (byte 0xFC); save it as UTF-8\n");
  });

  it("reads a file that starts with a byte order mark as if it had none", async () => {
    const dir = project({ "a.eda": `\uFEFF${MISSPELT}` });
    const run = await runEda(["check", "a.eda"], dir);
    expect(run.stdout).toMatch(/^a\.eda:13:23: error EDA2001/);
  });
});

describe("model sources that are not regular files", () => {
  /** Runs eda, killing it if it has not ended after 15 s (reading a named pipe would wait forever). */
  async function bounded(args: string[], cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const eda = startEda(args, cwd);
    const timer = setTimeout(() => eda.child.kill("SIGKILL"), 15_000);
    const code = await eda.exited();
    clearTimeout(timer);
    return { code, stdout: eda.stdout(), stderr: eda.stderr() };
  }
  const PIPE = "eda: cannot read 'model/pipe.eda': it is a named pipe (FIFO), not a regular file; a model source must be a regular file\n";

  it("refuses a named pipe among the model files, naming it, without reading it", async () => {
    const dir = project({ "eda.config.json": JSON.stringify({ model: "model/*.eda", out: "gen" }), "model/shop.eda": CLEAN });
    execFileSync("mkfifo", [join(dir, "model/pipe.eda")]);
    expect(await bounded(["check", "model"], dir)).toEqual({ code: 2, stdout: "", stderr: PIPE });
    expect(await bounded(["check", "model/pipe.eda"], dir)).toEqual({ code: 2, stdout: "", stderr: PIPE });
    expect(await bounded(["generate", "model", "--out", "gen"], dir)).toEqual({ code: 2, stdout: "", stderr: PIPE });
    expect(existsSync(join(dir, "gen"))).toBe(false);
    expect(await bounded(["fmt", "--check", "model"], dir)).toEqual({ code: 2, stdout: "", stderr: PIPE });
    // The config's globs match regular files only: the pipe is not part of the model there.
    expect(await bounded(["check"], dir)).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
    // A link to the pipe is refused too, by the link's name (the globs follow links).
    symlinkSync("pipe.eda", join(dir, "model/link.eda"));
    expect((await bounded(["check", "model/link.eda"], dir)).stderr).toBe(PIPE.replace("pipe.eda", "link.eda"));
    expect((await bounded(["check"], dir)).stderr).toBe(PIPE.replace("pipe.eda", "link.eda"));
  });

  it("refuses a named pipe in place of eda.config.json", async () => {
    const dir = project({ "model/shop.eda": CLEAN });
    execFileSync("mkfifo", [join(dir, "eda.config.json")]);
    const refused = { code: 2, stdout: "", stderr: "eda: cannot read 'eda.config.json': it is a named pipe (FIFO), not a regular file\n" };
    expect(await bounded(["check"], dir)).toEqual(refused);
    expect(await bounded(["generate"], dir)).toEqual(refused);
  });

  it("refuses a socket named like a model file", async () => {
    const dir = project({ "model/shop.eda": CLEAN });
    const server = createServer();
    await new Promise<void>((listening) => server.listen(join(dir, "model/socket.eda"), listening));
    try {
      expect(await bounded(["check", "model"], dir)).toEqual({
        code: 2,
        stdout: "",
        stderr: "eda: cannot read 'model/socket.eda': it is a socket, not a regular file; a model source must be a regular file\n",
      });
    } finally {
      server.close();
    }
  });

  it("--watch says so and keeps watching; the model generates once the pipe is gone", async () => {
    const dir = project({ "eda.config.json": JSON.stringify({ model: "model/*.eda", out: "gen" }), "model/shop.eda": CLEAN });
    execFileSync("mkfifo", [join(dir, "model/pipe.eda")]);
    const eda = startEda(["generate", "model", "--out", "gen", "--watch"], dir);
    cleanups.unshift(() => eda.child.kill("SIGKILL"));
    await eda.waitFor("stderr", PIPE);
    rmSync(join(dir, "model/pipe.eda"));
    await eda.waitFor("stdout", "wrote ");
    expect(existsSync(join(dir, "gen/shop/schemas.ts"))).toBe(true);
  });
});
