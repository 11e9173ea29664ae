/**
 * `eda init` as a process: what it writes, what it refuses, the commands it prints. The made
 * project's check, generate, test and start from packed tarballs run in test/release.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT, runEda, tempProjects } from "./helpers.js";

beforeAll(ensureBundle);

const { project } = tempProjects();

const FILES = [".gitignore", "eda.config.json", "model/ordering.eda", "package.json", "src/handlers/ordering/order.ts", "src/implementation.ts", "src/main.ts", "src/order.test.ts", "tsconfig.json"];

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe("eda init", () => {
  it("makes a project in a new folder, named after it, and prints the next commands of npm by default", async () => {
    const dir = project({});
    const run = await runEda(["init", "My Shop", "--yes"], dir, { npm_config_user_agent: undefined });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    // Run from this clone: the install is of its tarballs, packed anew; a folder name with a space quoted.
    const packs = relative(join(dir, "My Shop"), join(ROOT, "packs"));
    expect(run.stdout).toBe(
      `Created a minimal eda project in My Shop (9 files).\n\nNext:\n  (cd ${relative(dir, ROOT)} && pnpm release:pack)\n  cd 'My Shop'\n  npm install ${packs}/eda-cli-0.1.0.tgz ${packs}/eda-runtime-0.1.0.tgz\n  npm test\n  npm start\n\n` +
        "@eda/cli and @eda/runtime are not on the npm registry yet: these are the tarballs of the eda clone this eda runs from.\n" +
        "Then edit model/ordering.eda and run `npm run check` and `npm run generate`.\n",
    );
    expect(listFiles(join(dir, "My Shop"))).toEqual(FILES);
    const manifest = JSON.parse(readFileSync(join(dir, "My Shop", "package.json"), "utf8")) as { name: string; type: string; scripts: Record<string, string> };
    // pnpm and bun run better-sqlite3's install script (its binding) only when the project allows it;
    // esbuild's too, or pnpm ends each install with a warning that it ignored it.
    expect(manifest).toMatchObject({ name: "my-shop", type: "module", engines: { node: ">=20.19" }, pnpm: { onlyBuiltDependencies: ["better-sqlite3", "esbuild"] }, trustedDependencies: ["better-sqlite3", "esbuild"], allowScripts: { "better-sqlite3": true, esbuild: true } });
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(["check", "generate", "test", "start"]));
    const tsconfig = JSON.parse(readFileSync(join(dir, "My Shop", "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ module: "NodeNext", strict: true, noUnusedLocals: true, noUnusedParameters: true, exactOptionalPropertyTypes: true });
  });

  it("prints the commands of the package manager that runs it", async () => {
    const dir = project({});
    const run = await runEda(["init", "app"], dir, { npm_config_user_agent: "pnpm/10.34.9 npm/? node/v20.20.0 linux x64" });
    const packs = relative(join(dir, "app"), join(ROOT, "packs"));
    expect(run.stdout).toContain(`  cd app\n  pnpm add @eda/runtime@file:${packs}/eda-runtime-0.1.0.tgz @eda/cli@file:${packs}/eda-cli-0.1.0.tgz\n  pnpm test\n  pnpm start\n`);
    const yarn = await runEda(["init", "app2", "--package-manager", "yarn"], dir, { npm_config_user_agent: "pnpm/10.34.9" });
    expect(yarn.stdout).toContain(`  yarn add @eda/runtime@file:${relative(join(dir, "app2"), join(ROOT, "packs"))}/eda-runtime-0.1.0.tgz`);
    expect(yarn.stdout).toContain("  yarn test\n");
  });

  it("refuses a folder that holds files, writing nothing; with --force adds its files but never overwrites one", async () => {
    const dir = project({ "notes.txt": "mine" });
    const refused = await runEda(["init"], dir);
    expect(refused).toEqual({ code: 2, stdout: "", stderr: "eda: '.' is not empty (notes.txt); choose an empty folder, or pass --force to add the project's files beside them\n" });
    expect(listFiles(dir)).toEqual(["notes.txt"]);
    const forced = await runEda(["init", "--force"], dir, { npm_config_user_agent: undefined });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/\n {2}npm install \S+\/eda-cli-0\.1\.0\.tgz \S+\/eda-runtime-0\.1\.0\.tgz\n/);
    expect(listFiles(dir)).toEqual([...FILES, "notes.txt"].sort());
    writeFileSync(join(dir, "package.json"), "{}\n");
    writeFileSync(join(dir, "tsconfig.json"), "{}\n");
    const again = await runEda(["init", "--force"], dir);
    expect(again).toMatchObject({ code: 2, stderr: "eda: '.' already has package.json, tsconfig.json; eda init never overwrites a file (to add eda to the project there, pass --existing; for a new project, choose an empty folder)\n" });
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe("{}\n");
  });

  it("with --force, refuses a folder with a folder or a link where one of its files would go, before writing any", async () => {
    const dir = project({});
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    mkdirSync(join(dir, "src", "main.ts"), { recursive: true });
    const forced = await runEda(["init", "--force"], dir);
    expect(forced).toMatchObject({ code: 2, stderr: "eda: '.' already has src/main.ts; eda init never overwrites a file\n" });
    expect(listFiles(dir)).toEqual(["notes.txt"]);
    // An empty file of the project's reached through a link is not filled where the link points.
    rmSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "elsewhere.txt"), "");
    symlinkSync(join(dir, "elsewhere.txt"), join(dir, ".gitignore"));
    expect(await runEda(["init", "--force"], dir)).toMatchObject({ code: 2, stderr: "eda: '.' already has .gitignore; eda init never overwrites a file\n" });
    expect(readFileSync(join(dir, "elsewhere.txt"), "utf8")).toBe("");
  });

  it("completes the project an interrupted init left (files whole or empty), where it used to refuse it", async () => {
    const dir = project({});
    await runEda(["init", "whole/app"], dir);
    await runEda(["init", "cut/app"], dir);
    // Killed while writing: the first files whole, one opened but still empty, the rest not begun.
    const cut = join(dir, "cut", "app");
    for (const file of FILES.slice(4)) rmSync(join(cut, file));
    writeFileSync(join(cut, FILES[3] as string), "");
    const rerun = await runEda(["init", "cut/app"], dir);
    expect(rerun).toMatchObject({ code: 0, stderr: "" });
    expect(rerun.stdout).toMatch(/^Completed the minimal eda project in cut\/app \(6 of its 9 files written, the others already there\)\.\n/);
    for (const file of FILES) expect(readFileSync(join(cut, file), "utf8"), file).toBe(readFileSync(join(dir, "whole", "app", file), "utf8"));
    // A file of the user's among them is still refused, as in any folder that holds files.
    writeFileSync(join(dir, "whole", "app", "src", "mine.ts"), "");
    rmSync(join(dir, "whole", "app", "src", "main.ts"));
    expect(await runEda(["init", "whole/app"], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^eda: 'whole\/app' is not empty /) });
  });

  it("names the package as npm allows, whatever the folder's name", async () => {
    const dir = project({});
    const names: Record<string, string> = { "Café Über!": "cafe-uber", http: "http-app", node_modules: "node_modules-app", "日本": "eda-app", ".Hidden": "hidden" };
    for (const [folder, name] of Object.entries(names)) {
      expect((await runEda(["init", folder], dir)).code).toBe(0);
      expect((JSON.parse(readFileSync(join(dir, folder, "package.json"), "utf8")) as { name: string }).name, folder).toBe(name);
    }
  });

  it("rejects an unknown template, naming the ones there are", async () => {
    const run = await runEda(["init", "x", "--template", "huge"], project({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'huge' is invalid. Allowed choices are minimal, shop.");
  });

  it("makes the shop, whose checks, test and main pass as made (on this workspace's packages)", async () => {
    const dir = project({});
    expect((await runEda(["init", "shop", "--template", "shop"], dir)).stdout).toMatch(/^Created a shop eda project in shop \(21 files\)\./);
    const app = join(dir, "shop");
    // The packages a user installs, linked from this workspace (test/release installs the tarballs);
    // the runtime finds better-sqlite3 beside itself, in the workspace.
    mkdirSync(join(app, "node_modules", "@eda"), { recursive: true });
    for (const name of ["runtime", "cli"]) symlinkSync(join(ROOT, "packages", name), join(app, "node_modules", "@eda", name));
    for (const name of ["zod", "typescript", "@types"]) symlinkSync(join(ROOT, "node_modules", name), join(app, "node_modules", name));
    expect(await runEda(["check"], app)).toMatchObject({ code: 0, stdout: "No problems in 7 files.\n" });
    expect((await runEda(["generate"], app)).code).toBe(0);
    const node = (args: string[]) => promisify(execFile)(process.execPath, args, { cwd: app });
    await node([join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."]);
    // The test script runs every compiled test, a test file of the user's own too.
    writeFileSync(join(app, "src", "mine.test.ts"), 'import { test } from "node:test";\n\ntest("mine", () => {});\n');
    await node([join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."]);
    const script = (JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as { scripts: { test: string } }).scripts.test.split(" && ").pop() as string;
    expect(script).toMatch(/^node /);
    expect((await node(script.split(" ").slice(1))).stdout).toMatch(/# pass 3\n# fail 0/);
    expect(await node(["dist/main.js"])).toEqual({ stdout: "PlaceOrder: accepted, checkout completed (store sqlite, bus memory:)\n", stderr: "" });
    // The operator commands find the app's store and handlers in eda.config.json, with no flag.
    expect(await runEda(["store", "verify"], app)).toMatchObject({ code: 0 });
    const rebuilt = await runEda(["projections", "rebuild", "Ordering.CustomerOrders"], app);
    expect(rebuilt).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Ordering\.CustomerOrders rebuilt from \d+ events in /) });
  }, 120_000);
});
