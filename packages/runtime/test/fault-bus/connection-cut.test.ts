/**
 * Fault (d): the connections to the broker are cut while the relay publishes (RabbitMQ: from
 * the server side, `rabbitmqctl close_all_connections` for this test's vhost only; NATS: the
 * test's TCP proxy drops every connection). The relay and the consumer reconnect, and the
 * outbox drains with nothing lost and each stream in order.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/observability/logger.js";
import { noopMetrics } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { startRelay } from "../../src/relay/relay.js";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { waitFor } from "../bus/support/wait.js";
import { newEvent } from "../store/support.js";
import { collect, positionsOf } from "./support/collector.js";
import { BROKERS, createWorld, type FaultWorld } from "./support/fixture.js";

const STREAMS = ["a", "b", "c"];
const reconnect = { initialMs: 50, maxMs: 400 };

describe.each(BROKERS)("fault: the broker connection is cut while publishing (%s)", (kind) => {
  let world: FaultWorld;
  beforeEach(async () => {
    world = await createWorld(kind);
  });
  afterEach(async () => world.dispose());

  it("reconnects, and the outbox drains with no loss", async () => {
    const store = new SqliteEventStore(world.storeFile);
    world.defer(() => store.close());
    const consumerLog = memoryLogger();
    const consumerBus = await world.openBus({ reconnect, logger: consumerLog });
    const audit = await collect(consumerBus, "audit");
    world.defer(() => audit.consumer.close());

    const relayLog = memoryLogger();
    // The broker connection gauge's history: up once connected, down when cut, up again.
    const connection: boolean[] = [];
    const metrics = { ...noopMetrics, brokerConnection: (s: { readonly up: boolean }) => void connection.push(s.up) };
    const relayBus = await world.openBus({ reconnect, logger: relayLog, metrics });
    const relay = startRelay(store.outbox, relayBus, {
      batchSize: 3,
      backoff: { initialMs: 20, maxMs: 200 },
      observability: createObservability({ logger: relayLog }),
    });
    world.defer(() => relay.stop());

    // Appends keep coming before, during and after the cut.
    let rounds = 0;
    let stop = false;
    const appending = (async () => {
      while (!stop) {
        for (const stream of STREAMS) {
          await store.append(stream, [newEvent("ThingHappened", { rounds }, { correlationId: `corr-${stream}` })], { kind: "any" });
        }
        rounds += 1;
        relay.notify();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    world.defer(async () => {
      stop = true;
      await appending;
    });

    await waitFor(() => audit.handled.length >= 30, "events flowing before the cut");
    await world.cutConnections();
    const reconnected = (log: typeof relayLog): boolean => log.records.some((r) => r.event === "bus-reconnected");
    await waitFor(() => reconnected(relayLog) && reconnected(consumerLog), "both connections back");
    const roundsAtReconnect = rounds;
    await waitFor(() => rounds >= roundsAtReconnect + 10, "more appends after the reconnect");
    stop = true;
    await appending;

    const total = rounds * STREAMS.length;
    await waitFor(() => audit.handled.length === total, `all ${total} events at the consumer`, 30_000);
    for (const stream of STREAMS) expect(positionsOf(audit.handled, stream)).toEqual([...Array(rounds).keys()]);
    await relay.drained();
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    expect(relayLog.records.some((r) => r.event === "bus-connection-lost")).toBe(true);
    expect(consumerLog.records.some((r) => r.event === "bus-connection-lost")).toBe(true);
    expect(connection[0]).toBe(true);
    expect(connection).toContain(false);
    expect(connection.at(-1)).toBe(true);
  });
});
