/**
 * TLS to NATS, beside the URL: a nats-server of the test's own (another port, a temporary
 * JetStream directory) with a test CA generated here by openssl, requiring client certificates.
 * With the CA and a client certificate the bus publishes and consumes; without the client
 * certificate, or without the CA, the server or the client refuses the connection.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, makeTestCertificates } from "../support/test-ca.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import type { TlsOptions } from "../../src/engine/tls.js";
import { BusUnavailableError, type BusMessage } from "../../src/bus/types.js";
import { envelope } from "./support/envelopes.js";
import { waitFor } from "./support/wait.js";

let dir = "";
let server: ChildProcess | undefined;
let port = 0;
let pem: (file: string) => string = () => "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eda-nats-tls-"));
  pem = makeTestCertificates(dir, "eda-client");
  port = await freePort();
  const config = [
    `listen: "127.0.0.1:${port}"`,
    `jetstream { store_dir: ${JSON.stringify(join(dir, "js"))} }`,
    `tls { cert_file: "server.pem", key_file: "server.key", ca_file: "ca.pem", verify: true, timeout: 2 }`,
  ].join("\n");
  writeFileSync(join(dir, "nats.conf"), config);
  const child = spawn("nats-server", ["-c", "nats.conf"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  server = child;
  let log = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Server is ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
}, 60_000);

afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.on("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("nats bus over TLS (the test's own server, its own CA, client certificates required)", () => {
  const url = (): string => `nats://127.0.0.1:${port}/TLS_TEST`;
  const open = (tls: TlsOptions) => openBus(url(), { tls, connectTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 50 } });

  it("publishes and consumes with the CA and a client certificate (mutual TLS)", async () => {
    const bus = await open({ ca: pem("ca.pem"), cert: pem("client.pem"), key: pem("client.key") });
    try {
      const sent = envelope("tls", 0);
      const seen: BusMessage[] = [];
      await bus.subscribe("tls-consumer", async (m) => void (seen.push(m), await m.ack()));
      await bus.publish([{ envelope: sent }]);
      await waitFor(() => seen.length === 1, "the message over TLS");
      expect(seen[0]?.envelope.messageId).toBe(sent.messageId);
    } finally {
      await bus.close();
    }
  });

  it("is refused without a client certificate", async () => {
    await expect(open({ ca: pem("ca.pem") })).rejects.toThrow(BusUnavailableError);
  });

  it("refuses a server whose certificate does not chain to the given CA", async () => {
    // No CA given: the system's CAs do not know the test CA.
    await expect(open({ cert: pem("client.pem"), key: pem("client.key") })).rejects.toThrow(/TLS|certificate/i);
  });

  it("is refused in plain text: the server requires TLS", async () => {
    await expect(openBus(url(), { connectTimeoutMs: 3_000 })).rejects.toThrow(BusUnavailableError);
  });
});
