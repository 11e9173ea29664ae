/**
 * The README cannot drift: its "first ten minutes" runs here exactly as printed, from a clone
 * named `eda` (a link to this repository) in an empty temp folder — packing the packages,
 * `eda init`, installing the tarballs with npm (from the registry for the rest), check, generate,
 * test and start (sodium-native, the runtime's optional dependency, installed with it). Then what a
 * PostgreSQL-only user does: no better-sqlite3 installed at all, nor any optional dependency.
 *
 * npm builds better-sqlite3 from source when no prebuilt binary downloads (minutes); the test
 * hands prebuild-install the binary this workspace built, through its documented
 * `npm_config_<package>_local_prebuilds` setting, so nothing in the README's commands changes.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVhost } from "../../packages/runtime/test/bus/support/rabbit.js";
import { blocksScript, lastBlock, readmeBlocks } from "./readme.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PG_ADMIN = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";
let work = "";

/** A user's shell: none of the npm_config_* settings `pnpm test` exports to its scripts. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.entries(process.env).filter(([k]) => !/^(npm_(config|package|lifecycle)_|NODE_OPTIONS$|VITEST)/i.test(k));
  return {
    ...Object.fromEntries(clean),
    NO_COLOR: "1",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_prefer_offline: "true",
    npm_config_better_sqlite3_local_prebuilds: join(work, "prebuilds"),
    ...extra,
  };
}

function bash(script: string, cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // PWD keeps the logical path, so that `cd ..` from the `eda` link lands in the temp folder.
    const child = spawn("bash", ["-c", script], { cwd, env: userEnv({ PWD: cwd, ...env }), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "eda-readme-"));
  symlinkSync(ROOT, join(work, "eda"));
  // better-sqlite3's prebuilt binary, named as prebuild-install looks for it.
  const sqlite = dirname(createRequire(join(ROOT, "packages/runtime/package.json")).resolve("better-sqlite3/package.json"));
  const { version } = JSON.parse(readFileSync(join(sqlite, "package.json"), "utf8")) as { version: string };
  mkdirSync(join(work, "prebuilds"));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await promisify(execFile)("tar", ["czf", join(work, "prebuilds", name), "-C", sqlite, "build/Release/better_sqlite3.node"]);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("README.md, your first ten minutes", () => {
  const blocks = readmeBlocks(readFileSync(join(ROOT, "README.md"), "utf8"), "Your first ten minutes");

  it("marks every block: sh runs, file=PATH is a file eda init writes, norun is only shown", () => {
    expect(blocks.filter((b) => b.kind === "sh").length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((b) => b.kind === "file").map((b) => b.kind === "file" && b.path)).toEqual(
      expect.arrayContaining(["model/ordering.eda", "eda.config.json", "src/handlers/ordering/order.ts", "src/order.test.ts", "src/main.ts"]),
    );
  });

  it("stops at the first block that fails, a command or a file that differs, and names its line", async () => {
    const dir = mkdtempSync(join(work, "mechanism-"));
    writeFileSync(join(dir, "a.txt"), "as made\n");
    const edited = readmeBlocks("\n## S\n\n```sh\necho one\n```\n\n```txt file=a.txt\nas printed\n```\n\n```sh\necho never\n```\n", "S");
    const run = await bash(blocksScript(edited), dir);
    expect(run.code).not.toBe(0);
    expect(lastBlock(run.stderr)).toBe("8");
    expect(run.stdout).toContain("one");
    expect(run.stdout).not.toContain("never");
    const failing = readmeBlocks("\n## S\n\n```sh\nnpm run no-such-script\necho never\n```\n", "S");
    const failed = await bash(blocksScript(failing), dir);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).not.toContain("never");
  });

  it("runs as printed: pack, init, install from the tarballs, check, generate, test, start (and the app exits)", async () => {
    writeFileSync(join(work, "readme.sh"), blocksScript(blocks));
    const run = await bash(`bash ${join(work, "readme.sh")}`, join(work, "eda"));
    const failed = `stopped in the block at README.md:${lastBlock(run.stderr)}\n${run.stdout}\n${run.stderr}`;
    expect(run.code, failed).toBe(0);
    expect(lastBlock(run.stderr)).toBe("done");
    expect(run.stdout).toContain("No problems in 1 file.");
    expect(run.stdout).toMatch(/# pass 2\n# fail 0/);
    expect(run.stdout).toContain("PlaceOrder: accepted (store sqlite, bus memory:)");
    expect(existsSync(join(work, "my-app", "eda.db"))).toBe(true);
    // The optional dependency that seals @pii(subject) fields in one native call came with the runtime.
    expect(existsSync(join(work, "my-app", "node_modules", "sodium-native"))).toBe(true);
    // The generated code and the handler need no @types/node (the test and main use Node's own modules).
    const app = join(work, "my-app");
    writeFileSync(join(app, "tsconfig.no-node.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { types: [], noEmit: true }, include: ["src/generated", "src/handlers"] }));
    const noNode = await bash("npx tsc -p tsconfig.no-node.json", app);
    expect(noNode, noNode.stdout).toMatchObject({ code: 0 });
  }, 600_000);

  it("runs on PostgreSQL and RabbitMQ alone: the runtime installed without better-sqlite3, and the app exits", async () => {
    const database = `eda_readme_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const vhost = await createVhost();
    try {
      const url = new URL(PG_ADMIN);
      url.pathname = `/${database}`;
      const script = [
        "set -euo pipefail",
        "node eda/packages/cli/bin/eda.js init pg-app && cd pg-app",
        "npm pkg delete dependencies.better-sqlite3",
        "npm install --omit=optional ../eda/packs/eda-cli-0.1.0.tgz ../eda/packs/eda-runtime-0.1.0.tgz pg amqplib",
        "test ! -e node_modules/better-sqlite3",
        // Without the optional sodium-native, the app's @pii(subject) fields are sealed through node:crypto.
        "test ! -e node_modules/sodium-native",
        `EDA_STORE=${url.href} EDA_BUS=${vhost.url} npm start`,
      ].join("\n");
      const run = await bash(script, work);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/PlaceOrder: accepted \(store postgres, bus amqp:\/\/guest:\*\*\*@/);
    } finally {
      await vhost.dispose();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }, 600_000);
});
