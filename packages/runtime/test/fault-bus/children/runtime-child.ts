/**
 * The runtime in a child process, for the fault tests to kill. Usage:
 *   runtime-child.ts <mode> <sqlite file> <bus url> [count]
 * Modes:
 *   append <count>       appends <count> events to each of streams a, b, c; prints "appended"; hangs
 *                        (it never publishes: the parent kills it between append and publish)
 *   relay                relays until the outbox is empty; prints "drained"; exits
 *   relay-stall          relays, but hangs after the second batch was confirmed and before it
 *                        is marked sent; prints "published-unmarked"
 *   consume-stall        consumes as "effects", commits the handler's write, then hangs before
 *                        the ack; prints "subscribed", then "committed <message id>"
 * Every line it prints is a state the parent waits for.
 */
import { openBus } from "../../../src/bus/open-bus.js";
import type { Bus } from "../../../src/bus/types.js";
import { startConsumer } from "../../../src/consumer/consumer.js";
import { storeProcessedMessages } from "../../../src/consumer/processed-messages.js";
import { startRelay } from "../../../src/relay/relay.js";
import { SqliteEventStore } from "../../../src/store/sqlite-store.js";
import type { Outbox } from "../../../src/store/outbox.js";
import { wrapBus } from "../../bus/support/wrap.js";
import { countEffect } from "./effects.js";
import { FAULT_BUS_OPTIONS } from "../support/fixture.js";

const [mode = "", file = "", url = "", count = "10"] = process.argv.slice(2);
const never = new Promise<never>(() => undefined);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function append(store: SqliteEventStore): Promise<void> {
  for (let i = 0; i < Number(count); i++) {
    for (const stream of ["a", "b", "c"]) {
      const event = { messageId: `${stream}-${i}`, type: "ThingHappened", version: 1, correlationId: `corr-${stream}`, causationId: null, payload: { stream, i } };
      await store.append(stream, [event], { kind: "any" });
    }
  }
  say("appended");
  await never;
}

async function relay(store: SqliteEventStore, bus: Bus, outbox: Outbox): Promise<void> {
  const relay = startRelay(outbox, bus, { batchSize: 5, backoff: { initialMs: 20, maxMs: 200 } });
  await relay.drained();
  await relay.stop();
  say("drained");
}

function stallingOutbox(store: SqliteEventStore): Outbox {
  let marks = 0;
  return {
    fetchUnsent: (limit) => store.outbox.fetchUnsent(limit),
    markSent: async (ids) => {
      marks += 1;
      if (marks < 2) return store.outbox.markSent(ids);
      say("published-unmarked");
      await never;
    },
  };
}

async function consumeStall(store: SqliteEventStore, bus: Bus): Promise<void> {
  const stalling = wrapBus(bus, {
    subscribe: (consumer, handler, options) =>
      bus.subscribe(
        consumer,
        (message) =>
          handler({
            ...message,
            stale: false,
            ack: async () => {
              say(`committed ${message.envelope.messageId}`);
              await never;
            },
          }),
        options,
      ),
  });
  await startConsumer(stalling, {
    name: "effects",
    processed: storeProcessedMessages(store),
    handle: (envelope, { tx }) => countEffect(tx, envelope.messageId),
  });
  say("subscribed");
  await never;
}

async function main(): Promise<void> {
  const store = new SqliteEventStore(file);
  if (mode === "append") return append(store);
  const bus = await openBus(url, FAULT_BUS_OPTIONS);
  if (mode === "relay") await relay(store, bus, store.outbox);
  else if (mode === "relay-stall") await relay(store, bus, stallingOutbox(store));
  else if (mode === "consume-stall") await consumeStall(store, bus);
  else throw new Error(`unknown mode ${mode}`);
  await bus.close();
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
