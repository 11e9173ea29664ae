/**
 * A nats-server of a test's own: started in `dir` with the configuration text given (another
 * port, its own JetStream directory — the shared server on :4222 is never touched), ready when it
 * says so, stopped with SIGTERM by `stop`.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestNatsServer {
  stop(): Promise<void>;
}

/** Writes `dir/nats.conf` and starts the server on it; rejects with its log if it exits first. */
export async function startNatsServer(dir: string, config: string): Promise<TestNatsServer> {
  writeFileSync(join(dir, "nats.conf"), config);
  const child = spawn("/usr/sbin/nats-server", ["-c", "nats.conf"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Server is ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
