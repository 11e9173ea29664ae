/**
 * Helpers for the `eda generate` process tests: snapshots of folders, and a running `eda` that a
 * test can wait on and signal.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { BIN } from "./helpers.js";

/** Every file below `dir`: relative path (with `/`) → text; `undefined` when `dir` does not exist. */
export function snapshot(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path).split(sep).join("/")] = readFileSync(path, "utf8");
  }
  return files;
}

/** Every file below `dir` with its modification time, to prove that nothing was written. */
export function mtimes(dir: string): Record<string, number> {
  const times: Record<string, number> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    times[relative(dir, path)] = statSync(path).mtimeMs;
  }
  return times;
}

/** A running `eda`: what it printed so far, and ways to wait for more and to stop it. */
export interface LiveEda {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr (`stream`) contains `text` `times` times; rejects after `ms`. */
  waitFor(stream: "stdout" | "stderr", text: string, options?: { times?: number; ms?: number }): Promise<void>;
  /** Resolves to the exit code (or the signal's name) once the process has ended. */
  exited(): Promise<number | string>;
}

/** Starts `eda args…` in `cwd` with `env` added to this process's environment. */
export function startEda(args: readonly string[], cwd: string, env: Record<string, string> = {}): LiveEda {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  let ended = false;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => ((out.stdout += chunk), changed()));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => ((out.stderr += chunk), changed()));
  const exit = new Promise<number | string>((resolve) =>
    child.on("close", (code, signal) => {
      ended = true;
      changed();
      resolve(code ?? signal ?? "unknown");
    }),
  );
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited: () => exit,
    waitFor(stream, text, { times = 1, ms = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const printed = () => `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`;
        const settle = (error?: Error) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        function check(): void {
          if (out[stream].split(text).length - 1 >= times) settle();
          else if (ended) settle(new Error(`eda ended before printing ${JSON.stringify(text)} ×${times} on ${stream}; ${printed()}`));
        }
        const timer = setTimeout(() => settle(new Error(`waited ${ms} ms for ${JSON.stringify(text)} ×${times} on ${stream}; ${printed()}`)), ms);
        listeners.add(check);
        check();
      });
    },
  };
}
