/**
 * `eda check --against <ref>` as a process, against a temporary git repository with several
 * commits: the baseline is read from git without touching the work tree, from a folder, or by
 * default from `evolution.against` of the config.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, makeProject, runEda } from "./helpers.js";

beforeAll(ensureBundle);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const V1 = `context Orders

command PlaceOrder {
  orderId: uuid
  customerId: uuid
}

event OrderPlaced {
  orderId: uuid
  customerId: uuid
}

aggregate Order {
  stream orderId
  on PlaceOrder emits OrderPlaced
}
`;

/** Safe: a new optional field. */
const V1_NOTE = V1.replace("event OrderPlaced {\n  orderId: uuid\n  customerId: uuid\n", "event OrderPlaced {\n  orderId: uuid\n  customerId: uuid\n  note?: string\n");

/** Breaking, edited in place: `customerId` retyped, a new required field. */
const V1_EDITED = V1_NOTE.replace("event OrderPlaced {\n  orderId: uuid\n  customerId: uuid\n", "event OrderPlaced {\n  orderId: uuid\n  customerId: string\n  placedAt: timestamp\n");

const CONFIG = JSON.stringify({ model: "model/**/*.eda" });

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=eda", "-c", "user.email=eda@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
}

/** A repository with two commits (the model, then a safe change) and the breaking edit in the work tree. */
function repository(): string {
  const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, "model/orders.eda": V1 });
  cleanups.push(cleanup);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "model");
  writeFileSync(join(dir, "model/orders.eda"), V1_NOTE);
  git(dir, "commit", "-q", "-am", "a note");
  writeFileSync(join(dir, "model/orders.eda"), V1_EDITED);
  return dir;
}

describe("eda check --against", () => {
  it("reports a stored event edited in place, against HEAD, and leaves the work tree alone", async () => {
    const dir = repository();
    const status = git(dir, "status", "--porcelain");
    const run = await runEda(["check", "--against", "HEAD"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("model/orders.eda:10:15: error EDA7003: In `OrderPlaced v1`, field `customerId` changed type from `uuid` to `string`");
    expect(run.stdout).toContain("model/orders.eda:11:3: error EDA7004: In `OrderPlaced v1`, new field `placedAt` is required");
    expect(run.stdout).toContain("HEAD:model/orders.eda:10:15: note: as it was in the baseline's `OrderPlaced v1`");
    expect(run.stdout).toContain("declare the new shape as `event OrderPlaced v2` and an upcast from v1");
    expect(run.stdout.endsWith("\n2 errors in 1 file\n")).toBe(true);
    expect(git(dir, "status", "--porcelain")).toBe(status);
    expect(readFileSync(join(dir, "model/orders.eda"), "utf8")).toBe(V1_EDITED);
  });

  it("compares with any revision: the safe change alone is silent", async () => {
    const dir = repository();
    writeFileSync(join(dir, "model/orders.eda"), V1_NOTE);
    expect(await runEda(["check", "--against", "HEAD~1"], dir)).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "" });
    const head = git(dir, "rev-parse", "HEAD").trim();
    expect((await runEda(["check", "model", "--against", head], dir)).code).toBe(0);
  });

  it("takes the model from the paths given, at the revision too", async () => {
    const dir = repository();
    const run = await runEda(["check", "model/orders.eda", "--against", "main~1"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("main~1:model/orders.eda:10:15: note:");
  });

  it("writes the changes in the JSON report, with notes into the baseline", async () => {
    const dir = repository();
    const run = await runEda(["check", "--against", "HEAD", "--format", "json"], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      diagnostics: { code: string; file: string; start: { line: number }; labels: { file: string; start: { line: number } }[] }[];
      summary: { errors: number };
    };
    expect(report.diagnostics.map((d) => [d.code, d.file, d.start.line])).toEqual([
      ["EDA7003", "model/orders.eda", 10],
      ["EDA7004", "model/orders.eda", 11],
    ]);
    expect(report.diagnostics[0]?.labels).toMatchObject([{ file: "HEAD:model/orders.eda", start: { line: 10 } }]);
    expect(report.summary.errors).toBe(2);
  });

  it("takes the baseline from evolution.against of the config, and commands' severity too", async () => {
    const dir = repository();
    const placeOrder = "command PlaceOrder {\n  orderId: uuid\n  customerId: uuid\n";
    writeFileSync(join(dir, "model/orders.eda"), V1_NOTE.replace(placeOrder, `${placeOrder}  channel: string\n`));
    expect((await runEda(["check"], dir)).stdout).toBe("No problems in 1 file.\n");
    writeFileSync(join(dir, "eda.config.json"), JSON.stringify({ model: "model/**/*.eda", evolution: { against: "HEAD" } }));
    const warned = await runEda(["check"], dir);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^model\/orders\.eda:6:3: warning EDA7101: In command `PlaceOrder`, new field `channel` is required/);
    writeFileSync(join(dir, "eda.config.json"), JSON.stringify({ model: "model/**/*.eda", evolution: { against: "HEAD", commands: "error" } }));
    const refused = await runEda(["check"], dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^model\/orders\.eda:6:3: error EDA7101: /);
  });

  it("compares with a folder holding an earlier model", async () => {
    const dir = repository();
    cpSync(join(dir, "model"), join(dir, "released"), { recursive: true });
    writeFileSync(join(dir, "released/orders.eda"), V1);
    const run = await runEda(["check", "model", "--against", "released"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("released/orders.eda:10:15: note: as it was in the baseline's `OrderPlaced v1`");
  });

  it("says a deleted upcast rule is gone, not that the field is now computed", async () => {
    const sized = (rule: string) => `context Shop\n\nevent Sized v1 { id: string }\nevent Sized v2 { id: string, size: string }\nupcast Sized v1 -> v2 { ${rule} }\n`;
    const { dir, cleanup } = makeProject({ "released/m.eda": sized('size = "M"'), "model/m.eda": sized("") });
    cleanups.push(cleanup);
    const run = await runEda(["check", "model", "--against", "released"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error EDA3003: This upcast leaves `size` unset");
    expect(run.stdout).toContain('changed (`size` was `= "M"`, now without a valid rule)');
  });

  it("compares with the registry manifest eda generate wrote, given as the file or its output folder", async () => {
    const dir = repository();
    writeFileSync(join(dir, "model/orders.eda"), V1_NOTE);
    expect((await runEda(["generate", "model", "--out", "deployed"], dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "deployed/json-schema/registry.json"), "utf8")) as { events: { type: string; version: number }[] };
    expect(manifest.events.map((e) => `${e.type} v${e.version}`)).toEqual(["OrderPlaced v1"]);
    expect((await runEda(["check", "model", "--against", "deployed"], dir)).stdout).toBe("No problems in 1 file.\n");
    // Docs change no hash.
    writeFileSync(join(dir, "model/orders.eda"), V1_NOTE.replace("event OrderPlaced {", "/// Placed.\nevent OrderPlaced {"));
    expect((await runEda(["check", "model", "--against", "deployed"], dir)).code).toBe(0);
    writeFileSync(join(dir, "model/orders.eda"), V1_EDITED);
    for (const ref of ["deployed", "deployed/json-schema/registry.json"]) {
      const run = await runEda(["check", "model", "--against", ref], dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^model\/orders\.eda:8:1: error EDA7010: The schema of `OrderPlaced v1` is not the one in the manifest/);
      expect(run.stdout).toContain("deployed/json-schema/registry.json:7:7: note: listed here in the manifest");
    }
    writeFileSync(join(dir, "broken.json"), '{ "format": "eda-registry/1", "events": [{ "type": "OrderPlaced" }] }');
    expect(await runEda(["check", "model", "--against", "broken.json"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: 'eda: --against \'broken.json\': events[0] must have a "type", a "version" (a whole number from 1) and a "sha256" (64 hex digits)\n',
    });
  });

  it("says so when the baseline holds no model, or one with errors, and still compares", async () => {
    const dir = repository();
    git(dir, "commit", "-q", "--allow-empty", "-m", "empty");
    git(dir, "rm", "-q", "--cached", "model/orders.eda");
    git(dir, "commit", "-q", "-m", "model untracked");
    const none = await runEda(["check", "--against", "HEAD"], dir);
    expect(none).toEqual({ code: 0, stdout: "No problems in 1 file.\n", stderr: "eda: the baseline 'HEAD' holds no model files; nothing to compare\n" });
    writeFileSync(join(dir, "old.eda"), V1.replace("customerId: uuid\n}\n\nevent", "customerId: Nope\n}\n\nevent"));
    const broken = await runEda(["check", "model", "--against", "old.eda"], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe("eda: the baseline 'old.eda' has errors of its own; what they hide is not compared\n");
    expect(broken.stdout).toContain("error EDA7004: In `OrderPlaced v1`, new field `placedAt` is required");
  });

  it("matches events and commands by the name a store holds, so moving them to another context leaves only the aggregate's streams", async () => {
    const dir = repository();
    writeFileSync(join(dir, "model/orders.eda"), V1_NOTE.replace("context Orders", "context Sales"));
    const run = await runEda(["check", "--against", "HEAD"], dir);
    expect(run.code).toBe(1);
    // The aggregate's streams are named after its context (`Orders.Order-<orderId>`); the events and the command are not.
    expect(run.stdout).toContain("model/orders.eda:14:11: error EDA7013: Aggregate `Orders.Order` of the baseline is now `Sales.Order`, which emits its events; its stored streams are `Orders.Order-<orderId>`");
    expect(run.stdout).not.toMatch(/EDA7009|EDA7101/);
    expect(run.stdout.endsWith("\n1 error in 1 file\n")).toBe(true);
  });

  it("refuses a ref that is neither a folder, a file nor a revision", async () => {
    const dir = repository();
    const run = await runEda(["check", "--against", "no-such-branch"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: --against 'no-such-branch': not a folder, a file or a git revision here\n" });
    const option = await runEda(["check", "--against", "--upload-pack=x"], dir);
    expect(option.code).toBe(2);
  });

  it("says what to fetch when a shallow clone (CI's default) lacks the ref", async () => {
    const origin = repository();
    git(origin, "commit", "-q", "-am", "edited");
    git(origin, "tag", "v1", "HEAD~1");
    git(origin, "branch", "release");
    const { dir, cleanup } = makeProject({});
    cleanups.push(cleanup);
    git(dir, "clone", "-q", "--depth", "1", "--branch", "main", `file://${origin}`, "clone");
    const clone = join(dir, "clone");
    const shallow = "not a folder, a file or a git revision here: this clone is shallow and lacks it; ";
    const history = ", or clone with the history (actions/checkout: `fetch-depth: 0`)\n";
    expect(await runEda(["check", "--against", "HEAD~1"], clone)).toEqual({
      code: 2,
      stdout: "",
      stderr: `eda: --against 'HEAD~1': ${shallow}deepen it: \`git fetch --deepen=<commits>\` (or \`git fetch --unshallow\`)${history}`,
    });
    const branch = await runEda(["check", "--against", "origin/release"], clone);
    expect(branch.stderr).toBe(`eda: --against 'origin/release': ${shallow}fetch it: \`git fetch --depth=1 origin +refs/heads/release:refs/remotes/origin/release\`${history}`);
    expect(branch.code).toBe(2);
    const tag = await runEda(["check", "--against", "v1"], clone);
    expect(tag.stderr).toContain("a tag with `git fetch --depth=1 origin tag v1`");
    // What it says to do works.
    git(clone, "fetch", "-q", "--depth=1", "origin", "+refs/heads/release:refs/remotes/origin/release");
    expect((await runEda(["check", "--against", "origin/release"], clone)).code).toBe(0);
    git(clone, "fetch", "-q", "--deepen=1");
    expect((await runEda(["check", "--against", "HEAD~1"], clone)).stdout).toContain("error EDA7003");
  });

  it("says so when the folder is in no git repository, or git cannot be run", async () => {
    const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, "model/orders.eda": V1 });
    cleanups.push(cleanup);
    expect(await runEda(["check", "--against", "main"], dir, { GIT_CEILING_DIRECTORIES: dirname(dir) })).toEqual({
      code: 2,
      stdout: "",
      stderr: "eda: --against 'main': not a folder, a file or a git revision here, and this folder is not in a git repository\n",
    });
    expect(await runEda(["check", "--against", "main"], repository(), { PATH: dir })).toEqual({
      code: 2,
      stdout: "",
      stderr: "eda: cannot run git: it is not installed or not on PATH (a folder or a registry manifest as --against needs no git)\n",
    });
  });

  it("reads the baseline where its own config said the model was, when the model moved since", async () => {
    const dir = repository();
    mkdirSync(join(dir, "spec"));
    renameSync(join(dir, "model/orders.eda"), join(dir, "spec/orders.eda"));
    writeFileSync(join(dir, "eda.config.json"), JSON.stringify({ model: "spec/*.eda" }));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "moved, and edited in place");
    for (const args of [["check"], ["check", "spec"]]) {
      const run = await runEda([...args, "--against", "HEAD~1"], dir);
      expect(run.stderr).toBe("");
      expect(run.stdout).toContain("spec/orders.eda:10:15: error EDA7003: In `OrderPlaced v1`, field `customerId` changed type");
      expect(run.stdout).toContain("HEAD~1:model/orders.eda:10:15: note: as it was in the baseline's `OrderPlaced v1`");
      expect(run.code).toBe(1);
    }
  });
});
