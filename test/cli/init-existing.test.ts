/**
 * `eda init --existing` as a process: what it adds to a project that exists, how it edits
 * package.json and .gitignore, what it says of tsconfig.json, what it refuses (leaving every
 * file as it was), and that the result generates and type-checks (on this workspace's packages).
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT, runEda, tempProjects } from "./helpers.js";

beforeAll(ensureBundle);

const { project } = tempProjects();

/** Every file under `dir` (but node_modules) with its text. */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).filter((e) => e.name !== "node_modules").flatMap((e) =>
      e.isDirectory() ? Object.entries(snapshot(dir, `${prefix}${e.name}/`)) : [[`${prefix}${e.name}`, readFileSync(join(dir, prefix, e.name), "utf8")]],
    ),
  );
}

const COMPATIBLE = `{
  "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "skipLibCheck": true, "types": ["node"], "rootDir": "src", "outDir": "dist" },
  "include": ["src"]
}
`;
const APP = {
  "package.json": '{\n  "name": "app",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": {\n    "build": "tsc",\n    "test": "vitest"\n  },\n  "dependencies": {\n    "express": "^5.0.0",\n    "zod": "^4.1.0"\n  }\n}\n',
  "tsconfig.json": COMPATIBLE,
  ".gitignore": "node_modules/\ndist/\n",
  "src/index.ts": "export const port = 3000;\n",
  "package-lock.json": "{}\n",
};

describe("eda init --existing", () => {
  it("adds eda's files in src/eda, its scripts and packages to package.json, its output to .gitignore", async () => {
    const dir = project(APP);
    const run = await runEda(["init", "--existing"], dir, { npm_config_user_agent: undefined });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(
      /^Added eda to the project in \.:\n {2}eda\.config\.json\n {2}src\/eda\/model\/ordering\.eda\n {2}src\/eda\/handlers\/ordering\/order\.ts\n {2}src\/eda\/implementation\.ts\n {2}package\.json: scripts eda:check, eda:generate; dependencies @eda\/runtime, better-sqlite3; devDependencies @eda\/cli, @types\/node, typescript \(kept as listed: zod \^4\.1\.0\)\n {2}\.gitignore: src\/eda\/generated\/, eda\.db\*\n\nNext \(npm, from package-lock\.json\):\n/,
    );
    expect(run.stdout).toMatch(/\n {2}npm install \S+\/eda-cli-0\.1\.0\.tgz \S+\/eda-runtime-0\.1\.0\.tgz\n {2}npm run eda:check\n {2}npm run eda:generate\n/);
    // Key order, indentation and the final newline kept; packages in npm's sorted places.
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(
      '{\n  "name": "app",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": {\n    "build": "tsc",\n    "test": "vitest",\n    "eda:check": "eda check",\n    "eda:generate": "eda generate"\n  },\n' +
        '  "dependencies": {\n    "@eda/runtime": "^0.1.0",\n    "better-sqlite3": "^12.11.1",\n    "express": "^5.0.0",\n    "zod": "^4.1.0"\n  },\n' +
        '  "devDependencies": {\n    "@eda/cli": "^0.1.0",\n    "@types/node": "^20.19.0",\n    "typescript": "~6.0.3"\n  }\n}\n',
    );
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("node_modules/\ndist/\n\n# eda: the generated code (eda generate rewrites it) and the app's default store\nsrc/eda/generated/\neda.db*\n");
    expect(JSON.parse(readFileSync(join(dir, "eda.config.json"), "utf8"))).toMatchObject({ model: ["src/eda/model/**/*.eda"], out: "src/eda/generated", handlers: "src/eda/handlers", implementation: "src/eda/implementation.ts" });
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe(COMPATIBLE);

    // The result generates and type-checks with the project's own tsconfig (packages linked from this workspace).
    mkdirSync(join(dir, "node_modules", "@eda"), { recursive: true });
    for (const name of ["runtime", "cli"]) symlinkSync(join(ROOT, "packages", name), join(dir, "node_modules", "@eda", name));
    for (const name of ["zod", "typescript", "@types"]) symlinkSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name));
    expect(await runEda(["check"], dir)).toMatchObject({ code: 0, stdout: "No problems in 1 file.\n" });
    expect((await runEda(["generate"], dir)).code).toBe(0);
    await promisify(execFile)(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ".", "--noEmit"], { cwd: dir });

    // Run again: nothing left to add, nothing changed.
    const before = snapshot(dir);
    const again = await runEda(["init", "--existing"], dir);
    expect(again).toMatchObject({ code: 0, stderr: "", stdout: expect.stringMatching(/^Nothing to add: eda is set up in \. already\.\n/) });
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it("keeps tabs and a missing final newline, uses eda/ without src/, and warns of tsconfig settings the generated code does not compile with", async () => {
    const dir = project({
      "package.json": '{\n\t"name": "lib",\n\t"devDependencies": {\n\t\t"zod": "^3.23.8"\n\t}\n}',
      "tsconfig.json": '{\n  // the project\'s own\n  "compilerOptions": { "module": "commonjs", "moduleResolution": "node10", "ignoreDeprecations": "6.0", "isolatedDeclarations": true, "declaration": true },\n  "include": ["lib"],\n}\n',
      "lib/index.ts": "export {};\n",
      "yarn.lock": "",
    });
    const tsconfig = readFileSync(join(dir, "tsconfig.json"), "utf8");
    const run = await runEda(["init", "--existing"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  eda/model/ordering.eda\n");
    expect(run.stdout).toContain("\nNext (yarn, from yarn.lock):\n");
    expect(run.stdout).toContain("  yarn eda:check\n  yarn eda:generate\n");
    expect(run.stderr).toBe(
      [
        "package.json: zod ^3.23.8: the generated schemas need zod 4; upgrade it (^4.6.7)",
        'tsconfig.json: "moduleResolution": "node10" does not read package exports, so it cannot find @eda/runtime/decisions and the other subpaths the generated code imports; set "module" and "moduleResolution" to "nodenext" (or "moduleResolution" to "bundler")',
        "tsconfig.json: set \"skipLibCheck\": true: @eda/runtime's declarations name optional drivers (pg, amqplib, nats) that a project installs only if it uses them",
        'tsconfig.json: "isolatedDeclarations": true fails on the generated code, whose exported values have inferred types; set it to false',
        'tsconfig.json: it compiles no file of eda/, where eda\'s code is (its "include", "exclude" or "files" leave it out); add "eda" to "include", or the generated code is not compiled with the rest',
      ]
        .map((w) => `warning: ${w}\n`)
        .join(""),
    );
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(
      '{\n\t"name": "lib",\n\t"devDependencies": {\n\t\t"@eda/cli": "^0.1.0",\n\t\t"@types/node": "^20.19.0",\n\t\t"typescript": "~6.0.3",\n\t\t"zod": "^3.23.8"\n\t},\n' +
        '\t"scripts": {\n\t\t"eda:check": "eda check",\n\t\t"eda:generate": "eda generate"\n\t},\n\t"dependencies": {\n\t\t"@eda/runtime": "^0.1.0",\n\t\t"better-sqlite3": "^12.11.1"\n\t}\n}',
    );
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe(tsconfig);
    expect(Object.keys(snapshot(dir))).not.toContain(".gitignore");
  });

  it("refuses, changing no file, a script of eda's name with another command, a taken path, a broken package.json", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...APP, "package.json": '{\n  "scripts": { "eda:generate": "node gen.js" }\n}\n' }, `package.json already has the script "eda:generate": "node gen.js"; eda init --existing never replaces a script: rename yours, then run it again`],
      [{ ...APP, "src/eda/implementation.ts": "export {};\n" }, "'.' already has src/eda/implementation.ts; eda init --existing never overwrites a file"],
      [{ ...APP, "src/eda/generated/app.ts": "export {};\n" }, "'.' already has src/eda/generated/; eda init --existing never overwrites a file"],
      [{ ...APP, "eda.config.json": "{}\n" }, "'.' already has eda.config.json; eda init --existing never overwrites a file"],
      [{ ...APP, "package.json": '{\n  "name": "app",\n  "scripts": {}\n  "private": true\n}\n' }, "package.json:4:3: invalid JSON: Expected ',' or '}' after property value"],
      [{ "src/index.ts": "" }, "'.' has no package.json; eda init --existing adds eda to a Node project there (for a new project, run eda init without --existing)"],
    ];
    for (const [files, message] of cases) {
      const dir = project(files);
      const run = await runEda(["init", "--existing"], dir);
      expect(run, message).toEqual({ code: 2, stdout: "", stderr: `eda: ${message}\n` });
      expect(snapshot(dir)).toEqual(files);
    }
    // A read-only package.json: an atomic rename would replace it all the same.
    const dir = project(APP);
    chmodSync(join(dir, "package.json"), 0o444);
    const run = await runEda(["init", "--existing"], dir);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "eda: '.' has package.json read-only; eda init --existing edits it: make it writable, then run it again\n" });
    expect(snapshot(dir)).toEqual(APP);
  });

  it("is what eda init says to pass in a folder holding a package.json", async () => {
    const dir = project({ "package.json": "{}\n" });
    expect(await runEda(["init"], dir)).toMatchObject({ code: 2, stderr: "eda: '.' is not empty (package.json); to add eda to the project there, pass --existing; for a new project, choose an empty folder\n" });
    expect((await runEda(["init", "--existing", "--force"], dir)).stderr).toContain("option '--force' cannot be used with option '--existing'");
  });
});
