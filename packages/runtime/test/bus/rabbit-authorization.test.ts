/**
 * Authorization is the broker's: a service's RabbitMQ user gets permissions (configure, write,
 * read) on its own context's queues and the events exchange only, and the broker itself refuses
 * the rest — a consumer subscribing to another context's queue, a publisher without write on the
 * exchange — whatever eda asks. The permissions are the ones SECURITY.md gives.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import type { Bus, BusMessage } from "../../src/bus/types.js";
import { envelope } from "./support/envelopes.js";
import { createVhost, RABBIT_HOST, type TestVhost } from "./support/rabbit.js";
import { waitFor } from "./support/wait.js";

const run = promisify(execFile);
const ctl = async (...args: string[]): Promise<void> => void (await run("rabbitmqctl", ["--quiet", ...args], { timeout: 30_000 }));

let vhost: TestVhost;
const users: string[] = [];
const buses: Bus[] = [];

/** A user of the test's vhost with the three permission patterns; returns the bus URL. */
async function user(configure: string, write: string, read: string): Promise<string> {
  const name = `eda-test-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(9).toString("hex");
  await ctl("add_user", name, password);
  users.push(name);
  await ctl("set_permissions", "-p", vhost.name, name, configure, write, read);
  return `amqp://${name}:${password}@${RABBIT_HOST}/${encodeURIComponent(vhost.name)}`;
}

async function open(url: string): Promise<Bus> {
  const bus = await openBus(url, { queueType: "classic" });
  buses.push(bus);
  return bus;
}

beforeAll(async () => {
  vhost = await createVhost();
});
afterAll(async () => {
  for (const bus of buses) await bus.close().catch(() => undefined);
  for (const name of users) await ctl("delete_user", name).catch(() => undefined);
  await vhost.dispose();
});

describe("RabbitMQ permissions per context", () => {
  it("the broker refuses a consumer another context's queue, and a publisher without write on the exchange", async () => {
    // Ordering's service: the exchange, its own queues (and their dead-letter queues), nothing else.
    const ordering = await open(await user("^(eda\\.events|Ordering\\..*)$", "^(amq\\.default|eda\\.events|Ordering\\..*)$", "^(eda\\.events|Ordering\\..*)$"));
    const received: BusMessage[] = [];
    await ordering.subscribe("Ordering.Confirmations", async (m) => void (received.push(m), await m.ack()), { types: ["PaymentCaptured"] });
    await expect(ordering.subscribe("Shipping.Dispatch", async (m) => void (await m.ack()), { types: ["PaymentCaptured"] })).rejects.toThrow(/ACCESS_REFUSED|403/);

    // A reader: may consume what it is given, may not publish.
    const reader = await open(await user("^(eda\\.events|Reporting\\..*)$", "^(Reporting\\..*)$", "^(eda\\.events|Reporting\\..*)$"));
    const refused = await reader.publish([{ envelope: envelope("Payments.Payment-1", 0, "PaymentCaptured") }]).then(() => undefined, (e: unknown) => e as Error & { cause?: unknown });
    expect(refused).toBeInstanceOf(Error);
    // The broker closed the channel for the publish: its reason is in the error or its cause.
    expect(`${refused?.message} ${String((refused?.cause as Error | undefined)?.message ?? refused?.cause ?? "")}`).toMatch(/ACCESS_REFUSED|403|not confirm/);

    // The allowed path works: Payments publishes, Ordering's queue receives.
    const payments = await open(await user("^(eda\\.events|Payments\\..*)$", "^(amq\\.default|eda\\.events|Payments\\..*)$", "^(eda\\.events|Payments\\..*)$"));
    await payments.publish([{ envelope: envelope("Payments.Payment-2", 0, "PaymentCaptured") }]);
    await waitFor(() => received.length === 1, "Ordering receives the event");
    expect(received[0]?.envelope.stream).toBe("Payments.Payment-2");
  });
});
