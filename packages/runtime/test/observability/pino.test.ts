/** The pino adapter, on a real pino writing JSON lines to a stream the test reads. */
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { messageRecord } from "../../src/observability/logger.js";
import { pinoLogger } from "../../src/observability/pino.js";
import { envelope } from "../bus/support/envelopes.js";

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe("pinoLogger", () => {
  it("writes message records as pino lines at their level, fields at the top", () => {
    const { lines, stream } = capture();
    const logger = pinoLogger(pino({ base: null }, stream));
    const e = envelope("Ordering.Order-1", 0, "OrderPlaced", { email: "ann@example.com" });
    logger.log(messageRecord("warn", "handler-failed", e, null, { consumer: "mail", attempt: 2, error: new Error("down") }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: "handler-failed OrderPlaced v1 (mail)",
      event: "handler-failed",
      correlationId: e.correlationId,
      messageId: e.messageId,
      type: "OrderPlaced",
      version: 1,
      consumer: "mail",
      attempt: 2,
      error: { message: "down" },
    });
    // Without a codec no payload is logged, through pino as through jsonLogger.
    expect(JSON.stringify(lines)).not.toContain("ann@example.com");
  });

  it("writes system records with their own message, errors at level 50", () => {
    const { lines, stream } = capture();
    const logger = pinoLogger(pino({ base: null }, stream));
    logger.log({ level: "error", event: "runner-error", time: new Date().toISOString(), message: "a background loop ended: boom", runner: "projection:P" });
    logger.log({ level: "info", event: "workflow-transition", time: new Date().toISOString(), message: "workflow Checkout o1: start -> awaiting:reserveStock", runner: "workflow:Checkout", correlationId: "c1", from: null, to: "awaiting:reserveStock" });
    expect(lines.map((l) => [l["level"], l["event"], l["msg"]])).toEqual([
      [50, "runner-error", "a background loop ended: boom"],
      [30, "workflow-transition", "workflow Checkout o1: start -> awaiting:reserveStock"],
    ]);
    expect(lines[1]).toMatchObject({ correlationId: "c1", from: null, to: "awaiting:reserveStock" });
  });
});
