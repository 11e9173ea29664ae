/** Runs the runtime in a child process (through tsx) and waits for the lines it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const runtimeRoot = join(here, "..", "..", "..");
const script = join(here, "..", "children", "runtime-child.ts");

/** A running child. */
export interface Child {
  /** Resolves with the first line matching `pattern` (printed before or after the call). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kills with SIGKILL, as a crash would, and waits for the exit. */
  kill(): Promise<void>;
  /** Resolves with the exit code once the child exits. */
  readonly exited: Promise<number | null>;
}

/** Starts `runtime-child.ts` with the given arguments. */
export function startChild(args: readonly string[]): Child {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: runtimeRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  const listeners = new Set<() => void>();
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    for (const listener of listeners) listener();
    resolve(code);
  }));
  return {
    exited,
    line: (pattern, timeoutMs = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const found = lines.find((l) => pattern.test(l));
          if (found !== undefined) return done(() => resolve(found));
          if (child.exitCode !== null) return done(() => reject(new Error(`the child exited (${child.exitCode}) before printing ${pattern}: ${stderr}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms; stderr: ${stderr}`))), timeoutMs);
        const done = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
