import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, runEda, tempProjects } from "./helpers.js";
import { CLEAN, CLEAN_MORE, inOtherContext, MISSPELT } from "./models.js";

beforeAll(ensureBundle);

const { project } = tempProjects();

/** Runs `eda check` with no path in a project whose eda.config.json has this text. */
async function checkWithConfig(config: string, files: Record<string, string> = { "model/a.eda": CLEAN }) {
  const dir = project({ ...files, "eda.config.json": config });
  return runEda(["check"], dir);
}

describe("eda.config.json: the model globs", () => {
  it("checks the files its globs match, relative to the config's folder", async () => {
    const dir = project({
      "eda.config.json": JSON.stringify({ model: ["model/**/*.eda", "extra/*.eda"], out: "gen" }),
      "model/a.eda": CLEAN,
      "model/deep/b.eda": CLEAN_MORE,
      "extra/c.eda": inOtherContext(MISSPELT, "Extra"),
      "extra/sub/ignored.eda": "not even eda {",
      "model/node_modules/x/y.eda": "nor this {",
      "other/d.eda": "nor this {",
    });
    const run = await runEda(["check", "--format", "json"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { diagnostics: { file: string }[]; summary: { files: number } };
    expect(report.diagnostics.map((d) => d.file)).toEqual(["extra/c.eda"]);
    expect(report.summary.files).toBe(3);
  });

  it("accepts a single glob string and a $schema key", async () => {
    const run = await checkWithConfig(JSON.stringify({ $schema: "./schema.json", model: "model/*.eda" }));
    expect(run).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
  });

  it("is ignored when paths are given", async () => {
    const dir = project({ "eda.config.json": "{ not json", "a.eda": CLEAN });
    expect((await runEda(["check", "a.eda"], dir)).code).toBe(0);
  });

  it("is looked up in the working folder only", async () => {
    const dir = project({ "eda.config.json": JSON.stringify({ model: "*.eda" }), "a.eda": CLEAN, "sub/x.txt": "" });
    const run = await runEda(["check"], join(dir, "sub"));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("eda: no paths given and no eda.config.json in this folder; name the files or folders to use\n");
  });

  it("is read from --config FILE, its globs relative to that file's folder", async () => {
    const dir = project({ "conf/eda.ci.json": JSON.stringify({ model: "model/*.eda" }), "conf/model/a.eda": MISSPELT, "model/b.eda": CLEAN });
    const run = await runEda(["check", "--config", "conf/eda.ci.json"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^conf\/model\/a\.eda:13:23: error EDA2001: /);
    const missing = await runEda(["check", "--config", "nope.json"], dir);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toMatch(/^eda: cannot read 'nope\.json': /);
  });
});

describe("eda.config.json: errors name the file and the problem, and exit 2", () => {
  const cases: [string, string, string][] = [
    ["an unknown key, with a suggestion", '{ "model": "model/*.eda", "handler": "h" }', 'unknown key "handler" (did you mean "handlers"?); the keys are $schema, model, out, handlers, templates, implementation, store, evolution, operations, brandedScalars'],
    ["a misspelt required key", '{ "modle": "model/*.eda" }', 'unknown key "modle" (did you mean "model"?); the keys are $schema, model, out, handlers, templates, implementation, store, evolution, operations, brandedScalars'],
    ["a model of the wrong type", '{ "model": 42 }', '"model" must be a glob or a list of globs (got number 42)'],
    ["a bad item in the model list", '{ "model": ["model/*.eda", true] }', '"model[1]" must be a glob (got boolean true)'],
    ["an empty model list", '{ "model": [] }', '"model" must name at least one glob'],
    ["a missing model", "{}", '"model" is required: the globs of the model files, e.g. "model/**/*.eda"'],
    ["an out folder of the wrong type", '{ "model": "model/*.eda", "out": ["gen"] }', '"out" must be the path of the generated code (got a list)'],
    ["an empty handlers folder", '{ "model": "model/*.eda", "handlers": "" }', '"handlers" must not be empty'],
    ["a config that is not an object", '["model/*.eda"]', "must be a JSON object (got a list)"],
    ["invalid JSON, with its line and column", '{\n  "model": "model/*.eda",\n}', "invalid JSON: "],
  ];
  it.each(cases)("%s", async (_name, config, message) => {
    const run = await checkWithConfig(config);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^eda: eda\.config\.json(:\d+:\d+)?: /);
    expect(lines[0]).toContain(message);
  });

  it("says a number is too large rather than calling it null", async () => {
    const run = await checkWithConfig('{ "model": "model/*.eda", "operations": { "lagSeconds": 1e400 } }');
    expect(run).toEqual({ code: 2, stdout: "", stderr: 'eda: eda.config.json: "operations.lagSeconds" must be a number (got a number too large to hold)\n' });
  });

  it("refuses a path holding a NUL character, naming the key, instead of Node's path error", async () => {
    for (const key of ["out", "handlers", "templates", "implementation"]) {
      const run = await checkWithConfig(`{ "model": "model/*.eda", "${key}": "gen\\u0000x" }`);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`eda: eda.config.json: "${key}" must not hold a NUL character (\\u0000)\n`);
    }
    const glob = await checkWithConfig('{ "model": "model/\\u0000*.eda" }');
    expect(glob.stderr).toBe('eda: eda.config.json: "model" must not hold a NUL character (\\u0000)\n');
  });

  it("places a JSON syntax error at its line and column", async () => {
    const run = await checkWithConfig('{\n  "model": "model/*.eda",\n}');
    expect(run.stderr).toMatch(/^eda: eda\.config\.json:3:1: invalid JSON: .+\n$/);
  });

  it("reports the misspelt key before the missing one it caused", async () => {
    const run = await checkWithConfig('{ "modle": "model/*.eda" }');
    expect(run.stderr.split("\n")).toEqual([
      'eda: eda.config.json: unknown key "modle" (did you mean "model"?); the keys are $schema, model, out, handlers, templates, implementation, store, evolution, operations, brandedScalars',
      'eda: eda.config.json: "model" is required: the globs of the model files, e.g. "model/**/*.eda"',
      "",
    ]);
  });

  it("reports globs that match no .eda file", async () => {
    const run = await checkWithConfig('{ "model": ["models/*.eda", "model/*.txt"] }', { "model/a.txt": "" });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: 'eda: eda.config.json: "model" matches no .eda files (models/*.eda, model/*.txt)\n',
    });
  });

  it("reports a glob the glob library cannot compile as a problem of the config, not a crash", async () => {
    const run = await checkWithConfig(JSON.stringify({ model: [`model/${"*".repeat(70_000)}.eda`] }), { "model/a.eda": "context A\n" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eda: eda\.config\.json: "model" holds a glob that cannot be used: .*exceeds maximum allowed length.*\n$/);
  });

  it("reports a config that is a folder", async () => {
    const dir = project({ "eda.config.json/x": "" });
    const run = await runEda(["check"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: cannot read 'eda.config.json': EISDIR: illegal operation on a directory\n" });
  });
});

describe("eda.config.json: brandedScalars", () => {
  it("brands the scalars of the generated code when true, and only then", async () => {
    const { readFileSync } = await import("node:fs");
    for (const branded of [true, false]) {
      const dir = project({ "eda.config.json": JSON.stringify({ model: "model/*.eda", out: "gen", brandedScalars: branded }), "model/a.eda": CLEAN });
      const run = await runEda(["generate"], dir);
      expect(run.code, run.stderr).toBe(0);
      const support = readFileSync(join(dir, "gen", "support.ts"), "utf8");
      expect(support.includes("export function timestamp(value: string | Date): Timestamp {"), String(branded)).toBe(branded);
    }
  });

  it("must be true or false", async () => {
    const run = await checkWithConfig(JSON.stringify({ model: "model/*.eda", brandedScalars: "yes" }));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('eda: eda.config.json: "brandedScalars" must be true or false (got string "yes")\n');
  });
});
