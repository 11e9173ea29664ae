/**
 * The two sides of the notification choreography over RabbitMQ, one per process. Usage:
 *   choreography-child.ts publish <sqlite file> <bus url>
 *       appends two orders, a shipment and a poison event (a payload the codec rejects) to the
 *       store, relays them to the bus, prints "drained" and exits
 *   choreography-child.ts consume <sqlite file> <bus url>
 *       runs the choreography's consumers with the Mailer on its own store, whose mail server
 *       fails twice per command before answering; prints "subscribed", then "attempt <id> <n>"
 *       per call and "sent <id> <correlation id> <causation id> <status> <duplicate>" per answer
 */
import { openBus } from "../../../src/bus/open-bus.js";
import { startRelay } from "../../../src/relay/relay.js";
import { SqliteEventStore } from "../../../src/store/sqlite-store.js";
import type { CommandSender } from "../../../src/workflow/definition.js";
import { startChoreography } from "../../../src/workflow/choreography.js";
import { deserializeMessage } from "../support/messages.js";
import { customerNotifications, mailSender, type MailCommand } from "../support/notifications.js";

const [mode = "", file = "", url = ""] = process.argv.slice(2);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const EVENTS = [
  { stream: "Ordering.Order-o1", id: "placed-o1", type: "OrderPlaced", payload: { orderId: "o1", contactEmail: "o1@example.com" } },
  { stream: "Ordering.Order-o2", id: "placed-o2", type: "OrderPlaced", payload: { orderId: "o2", contactEmail: "o2@example.com" } },
  { stream: "Ordering.Order-o9", id: "placed-poison", type: "OrderPlaced", payload: { unreadable: true } },
  { stream: "Shipping.Shipment-o1", id: "shipped-o1", type: "ShipmentScheduled", payload: { orderId: "o1", trackingCode: "TRK-o1" } },
];

async function publish(): Promise<void> {
  const store = new SqliteEventStore(file);
  for (const e of EVENTS) {
    const event = { messageId: e.id, type: e.type, version: 1, correlationId: `conv-${e.id}`, causationId: null, payload: e.payload };
    await store.append(e.stream, [event], { kind: "any" });
  }
  const bus = await openBus(url, { reconnect: { initialMs: 20, maxMs: 200 } });
  const relay = startRelay(store.outbox, bus, { backoff: { initialMs: 20, maxMs: 200 } });
  await relay.drained();
  await relay.stop();
  await bus.close();
  await store.close();
  say("drained");
}

async function consume(): Promise<void> {
  const store = new SqliteEventStore(file);
  const mail = mailSender(store, { calls: new Map(), failures: 2 });
  let calls = new Map<string, number>();
  const send: CommandSender<MailCommand> = async (command, meta) => {
    const n = (calls.get(meta.messageId) ?? 0) + 1;
    calls = calls.set(meta.messageId, n);
    say(`attempt ${meta.messageId} ${n}`);
    const outcome = await mail(command, meta);
    say(`sent ${meta.messageId} ${meta.correlationId} ${meta.causationId} ${outcome.status} ${outcome.duplicate}`);
    return outcome;
  };
  const bus = await openBus(url, { reconnect: { initialMs: 20, maxMs: 200 } });
  await startChoreography(bus, customerNotifications, {
    deserialize: deserializeMessage,
    send,
    retry: { maxRetries: 3, backoff: { initialMs: 10, maxMs: 40 } },
  });
  say("subscribed");
  await new Promise<never>(() => undefined);
}

(mode === "publish" ? publish() : mode === "consume" ? consume() : Promise.reject(new Error(`unknown mode ${mode}`))).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
