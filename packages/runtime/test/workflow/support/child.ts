/** Runs a test child script (through tsx) and waits for the lines it prints. */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const runtimeRoot = join(here, "..", "..", "..");

/** A running child. */
export interface Child {
  /** Resolves with the first line matching `pattern`, printed before or after the call. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Every line printed so far. */
  readonly lines: readonly string[];
  /** Kills with SIGKILL, as a crash would, and waits for the exit. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

/** Starts `children/<script>` with `args`. */
export function startChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "..", "children", script), ...args], {
    cwd: runtimeRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffer = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      resolve(code);
      for (const listener of listeners) listener();
    }),
  );
  const line = (pattern: RegExp, timeoutMs = 30_000): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      const check = (): void => {
        const found = lines.find((l) => pattern.test(l));
        if (found !== undefined) return done(() => resolve(found));
        if (child.exitCode !== null) return done(() => reject(new Error(`${script} exited (${child.exitCode}) before printing ${pattern}: ${stderr}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${script}: no line ${pattern} within ${timeoutMs} ms; stderr: ${stderr}`))), timeoutMs);
      listeners.add(check);
      check();
    });
  return {
    line,
    lines,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
