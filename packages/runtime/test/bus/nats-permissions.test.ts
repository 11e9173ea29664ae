/** `natsPermissions` names exactly the subjects of one service's bus, as the bus spells them. */
import { describe, expect, it } from "vitest";
import { natsPermissions } from "../../src/bus/nats/permissions.js";

describe("natsPermissions", () => {
  it("allows the service's event types, its consumers' API, acks and dead letters, its streams and its inbox only", () => {
    const p = natsPermissions({ publishes: ["OrderPlaced"], consumers: ["Ordering.Confirm"], inboxPrefix: "_INBOX_ordering" });
    expect(p.subscribe.allow).toEqual(["_INBOX_ordering.>"]);
    expect(p.publish.allow).toEqual([
      "$JS.API.INFO",
      "$JS.API.STREAM.INFO.EDA_EVENTS",
      "$JS.API.STREAM.INFO.EDA_EVENTS_DLQ",
      "$JS.API.STREAM.CREATE.EDA_EVENTS",
      "$JS.API.STREAM.CREATE.EDA_EVENTS_DLQ",
      "EDA_EVENTS.e.OrderPlaced",
      "$JS.API.CONSUMER.INFO.EDA_EVENTS.Ordering~2EConfirm",
      "$JS.API.CONSUMER.CREATE.EDA_EVENTS.Ordering~2EConfirm",
      "$JS.API.CONSUMER.CREATE.EDA_EVENTS.Ordering~2EConfirm.>",
      "$JS.API.CONSUMER.DURABLE.CREATE.EDA_EVENTS.Ordering~2EConfirm",
      "$JS.API.CONSUMER.MSG.NEXT.EDA_EVENTS.Ordering~2EConfirm",
      "$JS.ACK.EDA_EVENTS.Ordering~2EConfirm.>",
      "EDA_EVENTS.dlq.Ordering%2EConfirm",
    ]);
    // No wildcard reaches another service's subjects.
    expect(p.publish.allow.filter((s) => s.includes("*") || s === ">" || s.endsWith(".e.>"))).toEqual([]);
  });

  it("leaves stream creation to the operator when asked, and refuses an inbox prefix that is not one token", () => {
    const p = natsPermissions({ stream: "SHOP", publishes: [], consumers: [], inboxPrefix: "_INBOX_x", createStreams: false });
    expect(p.publish.allow).toEqual(["$JS.API.INFO", "$JS.API.STREAM.INFO.SHOP", "$JS.API.STREAM.INFO.SHOP_DLQ"]);
    expect(() => natsPermissions({ publishes: [], consumers: [], inboxPrefix: "_INBOX.>" })).toThrow(/must be one subject token/);
  });
});
