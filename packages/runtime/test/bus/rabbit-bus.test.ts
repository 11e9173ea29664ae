import { describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { PublishError, type BusMessage } from "../../src/bus/types.js";
import { memoryLogger } from "../../src/observability/logger.js";
import { describeBusConformance } from "./bus-conformance.js";
import { envelope } from "./support/envelopes.js";
import { createVhost } from "./support/rabbit.js";
import { waitFor } from "./support/wait.js";

describeBusConformance("rabbitmq", async () => {
  const vhost = await createVhost();
  const bus = await openBus(vhost.url);
  return {
    bus,
    dispose: async () => {
      await bus.close();
      await vhost.dispose();
    },
  };
});

describe("rabbitmq bus", () => {
  it("comes back after the broker closes its connection: old and new subscriptions receive, publishing resumes", async () => {
    const vhost = await createVhost();
    const logger = memoryLogger();
    const bus = await openBus(vhost.url, { reconnect: { initialMs: 20, maxMs: 200 }, logger });
    try {
      const before: BusMessage[] = [];
      await bus.subscribe("before", async (m) => void (before.push(m), await m.ack()));
      await vhost.cutConnections();
      // Subscribing while the bus may be reconnecting: recorded now, attached when it is back.
      const after: BusMessage[] = [];
      await bus.subscribe("after", async (m) => void (after.push(m), await m.ack()));
      await waitFor(() => logger.records.some((r) => r.event === "bus-reconnected"), "the reconnect");
      const event = envelope("r", 0);
      await waitFor(async () => {
        const published = await bus.publish([{ envelope: event }]).then(() => true, (e: unknown) => {
          if (e instanceof PublishError) return false;
          throw e;
        });
        return published;
      }, "a confirmed publish");
      await waitFor(() => before.length >= 1 && after.length >= 1, "the message at both consumers");
      expect(before[0]?.envelope.messageId).toBe(event.messageId);
      expect(after[0]?.envelope.messageId).toBe(event.messageId);
      expect(logger.records.find((r) => r.event === "bus-connection-lost")).toMatchObject({ level: "warn" });
      expect(JSON.stringify(logger.records)).not.toContain("guest:guest");
    } finally {
      await bus.close();
      await vhost.dispose();
    }
  });

  it("stops reconnecting once closed", async () => {
    const vhost = await createVhost();
    const logger = memoryLogger();
    const bus = await openBus(vhost.url, { reconnect: { initialMs: 20, maxMs: 200 }, logger });
    await bus.close();
    await expect(bus.publish([{ envelope: envelope("x", 0) }])).rejects.toBeInstanceOf(PublishError);
    await vhost.dispose();
    expect(logger.records).toEqual([]);
  });
});
