import { describe, expect, it } from "vitest";
import { jsonLogger, messageRecord } from "../../src/observability/logger.js";
import type { EventCodec } from "../../src/types.js";
import { envelope } from "../bus/support/envelopes.js";
import { acceptAll } from "../support/codec.js";

const codec = (redact: EventCodec["redact"]): EventCodec => ({
  deserialize: (stored) => ({ type: stored.type }),
  currentVersion: () => 1,
  redact,
  ...acceptAll(),
});

describe("structured logs", () => {
  it("writes one JSON object per line", () => {
    const lines: string[] = [];
    const logger = jsonLogger((line) => lines.push(line));
    const e = envelope("s", 0);
    logger.log(messageRecord("info", "consumed", e, null, { consumer: "c" }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "info",
      event: "consumed",
      consumer: "c",
      correlationId: e.correlationId,
      messageId: e.messageId,
      stream: "s",
    });
  });

  it("passes on the records at its level or above", () => {
    const e = envelope("s", 0);
    const kept = (level?: "info" | "warn" | "error") => {
      const lines: string[] = [];
      const logger = jsonLogger((line) => lines.push(line), level === undefined ? {} : { level });
      for (const l of ["info", "warn", "error"] as const) logger.log(messageRecord(l, "consumed", e, null));
      return lines.map((line) => (JSON.parse(line) as { level: string }).level);
    };
    expect(kept()).toEqual(["info", "warn", "error"]);
    expect(kept("info")).toEqual(["info", "warn", "error"]);
    expect(kept("warn")).toEqual(["warn", "error"]);
    expect(kept("error")).toEqual(["error"]);
  });

  it("logs the payload only through the codec's redact", () => {
    const e = envelope("s", 0, "CustomerRegistered", { email: "ann@example.com", name: "Ann" });
    const withCodec = messageRecord("info", "published", e, codec((_t, _v, p) => ({ ...(p as object), email: "***" })));
    expect(withCodec.payload).toEqual({ stream: "s", position: 0, email: "***", name: "Ann" });
    expect(messageRecord("info", "published", e, null).payload).toBeUndefined();
  });

  it("drops the payload when the codec cannot redact it", () => {
    const e = envelope("s", 0, "Unknown", { email: "ann@example.com" });
    const record = messageRecord("warn", "handler-failed", e, codec(() => { throw new Error("unknown type"); }), { error: new Error("x") });
    expect(JSON.stringify(record)).not.toContain("ann@example.com");
    expect(record.error?.message).toBe("x");
  });
});
