import { describe, expect, it } from "vitest";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { PublishError } from "../../src/bus/types.js";
import { describeBusConformance } from "./bus-conformance.js";
import { envelope } from "./support/envelopes.js";

describeBusConformance("memory", async () => {
  const bus = createMemoryBus();
  return { bus, dispose: () => bus.close() };
});

describe("memory bus", () => {
  it("allows one active subscription per consumer", async () => {
    const bus = createMemoryBus();
    await bus.subscribe("c", async (m) => m.ack());
    await expect(bus.subscribe("c", async (m) => m.ack())).rejects.toThrow(/already has an active subscription/);
    await bus.close();
  });

  it("refuses to publish once closed", async () => {
    const bus = createMemoryBus();
    await bus.close();
    await expect(bus.publish([{ envelope: envelope("s", 0) }])).rejects.toBeInstanceOf(PublishError);
  });
});
