/**
 * Runs a fault-test script in a child Node process (TypeScript through tsx) with an IPC
 * channel, so tests can exchange messages with it and SIGKILL it at a chosen point.
 */
import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const runtimeRoot = join(here, "..", "..");

/** A message a child sends: `{ kind, ...data }`. */
export interface ChildMessage {
  readonly kind: string;
  readonly [key: string]: unknown;
}

/** A running child script. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first message of `kind` (already received or future); rejects on exit or after `timeoutMs`. */
  next(kind: string, timeoutMs?: number): Promise<ChildMessage>;
  send(message: ChildMessage): void;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  /** Resolves with the exit code (null when killed). */
  readonly exited: Promise<number | null>;
}

/** Starts `script` (a file in this folder) with `args`. */
export function startChild(script: string, args: readonly string[]): Child {
  const child = fork(join(here, script), [...args], {
    cwd: runtimeRoot,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  child.on("message", (message) => {
    inbox.push(message as ChildMessage);
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const wake of [...waiters]) wake();
  });
  const next = (kind: string, timeoutMs = 30_000): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const index = inbox.findIndex((m) => m.kind === kind || m.kind === "error");
        const found = index >= 0 ? inbox.splice(index, 1)[0] : undefined;
        if (found?.kind === "error") finish(() => reject(new Error(`child ${script} failed: ${String(found["message"])}`)));
        else if (found !== undefined) finish(() => resolve(found));
        else if (gone) finish(() => reject(new Error(`child ${script} exited before sending "${kind}"`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no "${kind}" from ${script} within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  return {
    process: child,
    next,
    send: (message) => child.send(message),
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    exited,
  };
}
