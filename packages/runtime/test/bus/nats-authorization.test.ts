/**
 * Authorization on NATS is the server's: a nats-server of the test's own (another port, a
 * temporary JetStream directory; the shared server is never touched) with one user per service,
 * each with the permissions `natsPermissions` gives for its own event types and consumers. The
 * server itself refuses a consumer another context's durable consumer, a publisher another
 * context's event type, and a user reading another's inbox — whatever eda asks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { natsPermissions, type NatsServiceAccess } from "../../src/bus/nats/permissions.js";
import type { Bus, BusMessage } from "../../src/bus/types.js";
import { freePort } from "../support/test-ca.js";
import { envelope } from "./support/envelopes.js";
import { waitFor } from "./support/wait.js";
import { startNatsServer, type TestNatsServer } from "../support/nats-server.js";

const STREAM = "AUTHZ_EVENTS";
/** Three services; the admin makes the streams, as an operator would. */
const SERVICES: Record<string, Omit<NatsServiceAccess, "stream">> = {
  ordering: { publishes: ["OrderPlaced"], consumers: ["Ordering.Confirmations"], inboxPrefix: "_INBOX_ordering", createStreams: false },
  payments: { publishes: ["PaymentCaptured"], consumers: [], inboxPrefix: "_INBOX_payments", createStreams: false },
  shipping: { publishes: [], consumers: ["Shipping.Dispatch"], inboxPrefix: "_INBOX_shipping", createStreams: false },
};

let dir = "";
let server: TestNatsServer | undefined;
let port = 0;
const buses: Bus[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eda-nats-authz-"));
  port = await freePort();
  const users = [
    { user: "admin", password: "admin-secret" },
    ...Object.keys(SERVICES).map((name) => ({ user: name, password: `${name}-secret`, permissions: natsPermissions({ stream: STREAM, ...SERVICES[name]! }) })),
  ];
  // JSON is valid nats-server configuration.
  server = await startNatsServer(dir, JSON.stringify({ listen: `127.0.0.1:${port}`, jetstream: { store_dir: join(dir, "js") }, authorization: { users } }, null, 2));
  // The operator's user makes the streams (the services may not).
  buses.push(await openBus(`nats://admin:admin-secret@127.0.0.1:${port}/${STREAM}`));
}, 60_000);

afterAll(async () => {
  for (const bus of buses) await bus.close().catch(() => undefined);
  await server?.stop();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

async function open(service: string): Promise<Bus> {
  const bus = await openBus(`nats://${service}:${service}-secret@127.0.0.1:${port}/${STREAM}`, {
    inboxPrefix: SERVICES[service]!.inboxPrefix,
    connectTimeoutMs: 3_000,
  });
  buses.push(bus);
  return bus;
}

describe("NATS permissions per service (the test's own nats-server)", () => {
  it("lets each service do its own work: Payments publishes its event, Ordering's consumer receives it", async () => {
    const ordering = await open("ordering");
    const received: BusMessage[] = [];
    await ordering.subscribe("Ordering.Confirmations", async (m) => void (received.push(m), await m.ack()), { types: ["PaymentCaptured"] });
    const payments = await open("payments");
    await payments.publish([{ envelope: envelope("Payments.Payment-1", 0, "PaymentCaptured") }]);
    await waitFor(() => received.length === 1, "Ordering receives the event");
    expect(received[0]?.envelope.stream).toBe("Payments.Payment-1");
  });

  it("refuses, at the server, a consumer another context's durable consumer", async () => {
    const ordering = await open("ordering");
    const refused = await ordering.subscribe("Shipping.Dispatch", async (m) => void (await m.ack())).then(() => undefined, (e: unknown) => e);
    // The server's own words: it refused the JetStream API request for that consumer.
    expect(String(refused)).toMatch(/permissions violation.*\$JS\.API\.CONSUMER\.[A-Z.]*AUTHZ_EVENTS\.Shipping~2EDispatch/i);
    const shipping = await open("shipping");
    await expect(shipping.subscribe("Ordering.Confirmations", async (m) => void (await m.ack()))).rejects.toThrow(/permissions violation/i);
    // The same request from a user without restrictions goes through: the permissions refused it.
    await expect(buses[0]!.subscribe("Shipping.Dispatch", async (m) => void (await m.ack()))).resolves.toBeDefined();
  });

  it("refuses, at the server, a publisher another context's event type", async () => {
    const payments = await open("payments");
    const refused = await payments.publish([{ envelope: envelope("Ordering.Order-1", 0, "OrderPlaced") }]).then(() => undefined, (e: unknown) => e as Error);
    expect(`${String(refused)} ${String((refused?.cause as Error | undefined) ?? "")}`).toMatch(/permissions violation.*AUTHZ_EVENTS\.e\.OrderPlaced/i);
  });

  it("refuses, at the server, a user reading the inboxes other users pull their messages into", async () => {
    const nc = await connect({ servers: `127.0.0.1:${port}`, user: "shipping", pass: "shipping-secret", inboxPrefix: "_INBOX_shipping" });
    try {
      const errors: string[] = [];
      void (async () => {
        for await (const status of nc.status()) if (status.type === "error") errors.push(String(status.error));
      })();
      nc.subscribe("_INBOX_ordering.>");
      nc.subscribe("_INBOX.>");
      await nc.flush();
      await waitFor(() => errors.length >= 2, "the server's permission errors");
      expect(errors.join("\n")).toMatch(/Permissions Violation for Subscription to "_INBOX_ordering\.>"/i);
      expect(errors.join("\n")).toMatch(/Permissions Violation for Subscription to "_INBOX\.>"/i);
    } finally {
      await nc.close();
    }
  });
});
