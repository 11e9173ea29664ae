/**
 * TLS to RabbitMQ from the client's side: `amqps://` with a CA, client certificate and key
 * beside the URL. The shared broker is not reconfigured (a TLS listener needs a restart of it);
 * instead the test puts its own TLS terminator in front of it — a Node TLS server with a test CA
 * generated here, requiring client certificates signed by it, that forwards to the broker's plain
 * port, as a TLS-terminating load balancer would. The broker's own TLS listener is not tested.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { BusUnavailableError, type BusMessage } from "../../src/bus/types.js";
import type { TlsOptions } from "../../src/engine/tls.js";
import { freePort, makeTestCertificates } from "../support/test-ca.js";
import { envelope } from "./support/envelopes.js";
import { createVhost, RABBIT_HOST, type TestVhost } from "./support/rabbit.js";
import { waitFor } from "./support/wait.js";

let dir = "";
let pem: (file: string) => string = () => "";
let terminator: Server | undefined;
let port = 0;
let vhost: TestVhost | undefined;
let handshakes = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eda-rabbit-tls-"));
  pem = makeTestCertificates(dir, "eda-client");
  vhost = await createVhost();
  const [host, brokerPort] = RABBIT_HOST.split(":");
  const server = createServer({ key: pem("server.key"), cert: pem("server.pem"), ca: pem("ca.pem"), requestCert: true, rejectUnauthorized: true }, (socket) => {
    handshakes += 1;
    const broker = connectTcp(Number(brokerPort ?? 5672), host ?? "127.0.0.1");
    socket.pipe(broker).pipe(socket);
    socket.on("error", () => broker.destroy());
    broker.on("error", () => socket.destroy());
  });
  server.on("tlsClientError", () => undefined);
  terminator = server;
  port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => (terminator === undefined ? resolve(undefined) : terminator.close(resolve)));
  await vhost?.dispose();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("rabbitmq bus over amqps:// with client certificates (a TLS terminator of the test's own)", () => {
  const url = (): string => `amqps://guest:guest@127.0.0.1:${port}/${encodeURIComponent(vhost?.name ?? "")}`;
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
      expect(handshakes).toBeGreaterThan(0);
    } finally {
      await bus.close();
    }
  });

  it("is refused without a client certificate, and refuses a server outside the given CA", async () => {
    await expect(open({ ca: pem("ca.pem") })).rejects.toThrow(BusUnavailableError);
    await expect(open({ cert: pem("client.pem"), key: pem("client.key") })).rejects.toThrow(/certificate/i);
  });
});
