/**
 * Helpers for the CLI's process tests: they run the real `eda` bin (the esbuild bundle) in
 * temporary folders, with stdout and stderr as pipes.
 */
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The `eda` bin, as installed at `node_modules/.bin/eda`. */
export const BIN = join(ROOT, "packages/cli/bin/eda.js");
const BUNDLE = join(ROOT, "packages/cli/dist/eda.cjs");

/** What a run of `eda` produced. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `eda args…` in `cwd`. The environment is this process's without the colour variables,
 * plus `env` (a value of `undefined` removes a variable).
 */
export function runEda(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `eda args…` on a pseudo-terminal (with util-linux `script`) and resolves to what it
 * printed there, stdout and stderr together, with `\r\n` line ends.
 */
export function runEdaOnTerminal(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const childEnv = cleanEnv({ TERM: "xterm-256color", ...env });
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === null ? reject(new Error("script was killed")) : resolve(out)));
  });
}

/** This process's environment without the colour variables, plus `env` (`undefined` removes). */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A fresh temporary folder holding `files` (path → text); removed by `cleanup()`. */
export function makeProject(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "eda-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Temporary projects for a test file, removed after each test: `project(files)` makes one;
 * `cleanups` takes other clean-ups to run then (newest first with `unshift`).
 */
export function tempProjects(): { project: (files: Record<string, string>) => string; cleanups: (() => void)[] } {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  const project = (files: Record<string, string>): string => {
    const { dir, cleanup } = makeProject(files);
    cleanups.push(cleanup);
    return dir;
  };
  return { project, cleanups };
}

/** True when `text` holds an ANSI escape sequence. */
export function hasAnsi(text: string): boolean {
  return text.includes("\u001b[");
}

/**
 * Makes sure the bundle the bin loads is newer than its inputs (the CLI's sources and the
 * language, generator and language server packages' builds), rebuilding it when not. `pnpm test` type-checks with `tsc -b` but
 * does not bundle, and test files run in parallel workers, hence the lock.
 */
export function ensureBundle(): void {
  if (!isStale()) return;
  const lock = join(ROOT, "packages/cli/dist/.bundle-lock");
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`eda tests: cannot take ${lock}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    if (isStale()) execFileSync(process.execPath, [join(ROOT, "packages/cli/build.mjs")], { stdio: "inherit" });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return true;
  }
  const inputs = [
    join(ROOT, "packages/cli/build.mjs"),
    ...listFiles(join(ROOT, "packages/cli/src")),
    ...listFiles(join(ROOT, "packages/language/dist")),
    ...listFiles(join(ROOT, "packages/generator/dist")),
    ...listFiles(join(ROOT, "packages/lsp/dist")),
  ];
  return inputs.some((file) => statSync(file).mtimeMs > built);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
