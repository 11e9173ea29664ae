/**
 * Choreographed workflows: each rule an idempotent consumer that sends one command per event,
 * with the event's correlation id, its id as causation and a command id derived from both.
 * First in one process on the memory bus, then between two processes over RabbitMQ.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { openBus } from "../../src/bus/open-bus.js";
import type { Bus } from "../../src/bus/types.js";
import { MemoryEventStore } from "../../src/store/memory-store.js";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { startChoreography, type RuleRejection } from "../../src/workflow/choreography.js";
import { InvalidWorkflowError } from "../../src/workflow/validate.js";
import { createVhost } from "../bus/support/rabbit.js";
import { waitFor } from "../bus/support/wait.js";
import { startChild, type Child } from "./support/child.js";
import { deserializeMessage, recording } from "./support/messages.js";
import { customerNotifications, mailSender, published, type MailServer } from "./support/notifications.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});

describe("a choreography on the memory bus", () => {
  async function start(bus: Bus, store: MemoryEventStore, server: MailServer, onRejected?: (r: RuleRejection) => void) {
    const recorder = recording(mailSender(store, server));
    const running = await startChoreography(bus, customerNotifications, {
      deserialize: deserializeMessage,
      send: recorder.send,
      retry: { maxRetries: 2, backoff: { initialMs: 1, maxMs: 1 } },
      sleep: async () => undefined,
      ...(onRejected === undefined ? {} : { onRejected }),
    });
    cleanup.push(() => running.close());
    return { running, log: recorder.log };
  }

  it("sends each rule's command with the event's correlation id and its id as causation", async () => {
    const bus = createMemoryBus();
    const store = new MemoryEventStore();
    const { running, log } = await start(bus, store, { calls: new Map(), failures: 0 });
    await bus.publish([
      { envelope: published("e1", "OrderPlaced", { orderId: "o1", contactEmail: "a@example.com" }, 1) },
      { envelope: published("e2", "ShipmentScheduled", { orderId: "o1", trackingCode: "T1" }, 2) },
      { envelope: published("e3", "OrderConfirmed", { orderId: "o1" }, 3) },
    ]);
    await waitFor(() => log.length === 2, "two commands");
    await running.idle();
    const sorted = [...log].sort((a, b) => (a.commandId < b.commandId ? -1 : 1));
    expect(sorted.map((r) => [r.commandId, r.type, r.correlationId, r.causationId])).toEqual([
      ["CustomerNotifications/onOrderPlaced/e1", "SendOrderConfirmation", "conv-e1", "e1"],
      ["CustomerNotifications/onShipmentScheduled/e2", "SendShippingNotice", "conv-e2", "e2"],
    ]);
    expect(sorted[0]?.data).toEqual({ orderId: "o1", to: "a@example.com" });
    const mail = await store.readStream("Notifications.Mail-o1");
    expect(mail.map((e) => [e.type, e.correlationId, e.causationId])).toEqual(
      expect.arrayContaining([
        ["OrderConfirmationSent", "conv-e1", "CustomerNotifications/onOrderPlaced/e1"],
        ["ShippingNoticeSent", "conv-e2", "CustomerNotifications/onShipmentScheduled/e2"],
      ]),
    );
  });

  it("an event redelivered after a restart sends the same command id, and nothing is appended twice", async () => {
    const bus = createMemoryBus();
    const store = new MemoryEventStore();
    const server = { calls: new Map<string, number>(), failures: 0 };
    const first = await start(bus, store, server);
    const event = published("e1", "OrderPlaced", { orderId: "o1", contactEmail: "a@example.com" }, 1);
    await bus.publish([{ envelope: event }]);
    await waitFor(() => first.log.length === 1, "the first command");
    await first.running.close();

    const second = await start(bus, store, server);
    await bus.publish([{ envelope: event }]);
    await waitFor(() => second.log.length === 1, "the redelivered command");
    expect(second.log[0]).toMatchObject({ commandId: first.log[0]?.commandId, duplicate: true, status: "accepted" });
    expect(await store.readStream("Notifications.Mail-o1")).toHaveLength(1);
  });

  it("a handler that fails twice then succeeds sends once; a poison event is parked; a rejection is reported, not retried", async () => {
    const bus = createMemoryBus();
    const store = new MemoryEventStore();
    const rejections: RuleRejection[] = [];
    const server = { calls: new Map<string, number>(), failures: 2 };
    const { running, log } = await start(bus, store, server, (r) => rejections.push(r));
    await bus.publish([
      { envelope: published("good", "OrderPlaced", { orderId: "o1", contactEmail: "a@example.com" }, 1) },
      { envelope: published("poison", "OrderPlaced", { unreadable: true }, 2, "Ordering.Order-o9") },
      { envelope: published("untracked", "ShipmentScheduled", { orderId: "o2", trackingCode: "" }, 3, "Shipping.Shipment-o2") },
    ]);
    await waitFor(async () => (await bus.deadLetterDepth("CustomerNotifications.onOrderPlaced")) === 1, "the poison parked");
    await waitFor(() => log.length === 2, "both commands answered");
    await running.idle();

    expect(server.calls.get("CustomerNotifications/onOrderPlaced/good")).toBe(3);
    expect(await store.readStream("Notifications.Mail-o1")).toHaveLength(1);
    const [parked] = await bus.peekDeadLetters("CustomerNotifications.onOrderPlaced");
    expect(parked?.envelope.messageId).toBe("poison");
    expect(parked?.reason).toMatchObject({ attempts: 3, message: "OrderPlaced v1: invalid payload" });
    expect(rejections.map((r) => [r.rule, r.commandId, r.reason])).toEqual([
      ["onShipmentScheduled", "CustomerNotifications/onShipmentScheduled/untracked", "no-tracking-code"],
    ]);
    expect(server.calls.get("CustomerNotifications/onShipmentScheduled/untracked")).toBe(3);
    expect(await bus.deadLetterDepth("CustomerNotifications.onShipmentScheduled")).toBe(0);
  });

  it("refuses two rules with one name", async () => {
    const rule = customerNotifications.rules[0];
    if (rule === undefined) throw new Error("no rule");
    const twice = { name: "Twice", rules: [rule, rule] };
    await expect(
      startChoreography(createMemoryBus(), twice, { deserialize: deserializeMessage, send: () => Promise.reject(new Error("unused")) }),
    ).rejects.toThrow(InvalidWorkflowError);
  });
});

describe("a choreography over RabbitMQ between two processes", () => {
  it("a publisher with the relay, a consumer with the rules: retries, once-only effects, and the poison on the dead-letter queue", async () => {
    const vhost = await createVhost();
    cleanup.push(() => vhost.dispose());
    const dir = mkdtempSync(join(tmpdir(), "eda-choreography-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const mailDb = join(dir, "mail.db");
    const spawn = (...args: string[]): Child => {
      const child = startChild("choreography-child.ts", args);
      cleanup.push(() => child.kill());
      return child;
    };
    const bus = await openBus(vhost.url);
    cleanup.push(() => bus.close());

    const consumer = spawn("consume", mailDb, vhost.url);
    await consumer.line(/^subscribed$/);
    const publisher = spawn("publish", join(dir, "orders.db"), vhost.url);
    await publisher.line(/^drained$/);
    expect(await publisher.exited).toBe(0);

    const ids = ["onOrderPlaced/placed-o1", "onOrderPlaced/placed-o2", "onShipmentScheduled/shipped-o1"].map((s) => `CustomerNotifications/${s}`);
    for (const id of ids) await consumer.line(new RegExp(`^sent ${id} `));
    await waitFor(async () => (await bus.deadLetterDepth("CustomerNotifications.onOrderPlaced")) === 1, "the poison event parked");

    for (const id of ids) {
      expect(consumer.lines.filter((l) => l.startsWith(`attempt ${id} `))).toEqual([1, 2, 3].map((n) => `attempt ${id} ${n}`));
    }
    expect(consumer.lines.find((l) => l.startsWith(`sent ${ids[0]} `))).toBe(`sent ${ids[0]} conv-placed-o1 placed-o1 accepted false`);
    const [parked] = await bus.peekDeadLetters("CustomerNotifications.onOrderPlaced");
    expect(parked?.envelope.messageId).toBe("placed-poison");
    expect(parked?.reason).toMatchObject({ attempts: 4, message: "OrderPlaced v1: invalid payload" });
    await consumer.kill();

    // The same events published again (another outbox, same ids) reach a restarted consumer:
    // it sends the same command ids and the Mailer appends nothing more.
    const restarted = spawn("consume", mailDb, vhost.url);
    await restarted.line(/^subscribed$/);
    const again = spawn("publish", join(dir, "orders-again.db"), vhost.url);
    await again.line(/^drained$/);
    for (const id of ids) expect(await restarted.line(new RegExp(`^sent ${id} `))).toMatch(/ accepted true$/);
    await waitFor(async () => (await bus.deadLetterDepth("CustomerNotifications.onOrderPlaced")) === 2, "the poison parked again");
    await restarted.kill();

    const store = new SqliteEventStore(mailDb);
    cleanup.push(() => store.close());
    // The two rules are two consumers: their mails for o1 may land in either order.
    const o1 = (await store.readStream("Notifications.Mail-o1")).sort((a, b) => (a.type < b.type ? -1 : 1));
    expect(o1.map((e) => [e.type, e.correlationId, e.causationId])).toEqual([
      ["OrderConfirmationSent", "conv-placed-o1", ids[0]],
      ["ShippingNoticeSent", "conv-shipped-o1", ids[2]],
    ]);
    expect((await store.readStream("Notifications.Mail-o2")).map((e) => e.type)).toEqual(["OrderConfirmationSent"]);
  });
});
