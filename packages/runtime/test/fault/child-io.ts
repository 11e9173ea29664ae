/** The child side of the fault tests' IPC: send messages, await the parent's. */
import type { ChildMessage } from "./child.js";

/** Sends a message to the parent test. */
export function tell(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) return reject(new Error("no IPC channel: start this script from the fault tests"));
    process.send(message, undefined, {}, (error) => (error === null ? resolve() : reject(error)));
  });
}

/** Resolves with the next parent message of `kind`. */
export function hear(kind: string): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const listener = (message: unknown): void => {
      if ((message as ChildMessage).kind !== kind) return;
      process.off("message", listener);
      resolve(message as ChildMessage);
    };
    process.on("message", listener);
  });
}

/** Runs `main`, reporting a failure to the parent before exiting non-zero. */
export function runChild(main: () => Promise<void>): void {
  main().then(
    () => process.disconnect?.(),
    async (error: unknown) => {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await tell({ kind: "error", message }).catch(() => undefined);
      process.exit(1);
    },
  );
}
