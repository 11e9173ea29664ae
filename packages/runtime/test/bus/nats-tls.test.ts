/**
 * TLS to NATS, beside the URL: a nats-server of the test's own (another port, a temporary
 * JetStream directory) with a test CA generated here by openssl, requiring client certificates.
 * With the CA and a client certificate the bus publishes and consumes; without the client
 * certificate, or without the CA, the server or the client refuses the connection.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, makeTestCertificates } from "../support/test-ca.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import type { TlsOptions } from "../../src/engine/tls.js";
import { BusUnavailableError, type BusMessage } from "../../src/bus/types.js";
import { envelope } from "./support/envelopes.js";
import { waitFor } from "./support/wait.js";
import { startNatsServer, type TestNatsServer } from "../support/nats-server.js";

let dir = "";
let server: TestNatsServer | undefined;
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
  server = await startNatsServer(dir, config);
}, 60_000);

afterAll(async () => {
  await server?.stop();
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
