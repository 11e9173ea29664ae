/**
 * Text read from a store or a broker reaches the operator's terminal through `printable` and
 * `textTable`: controls a terminal acts on are shown as escapes, never sent.
 */
import { describe, expect, it } from "vitest";
import { textTable } from "../src/commands/operator-project.js";
import { describeRun } from "../src/commands/workflows.js";
import { printable } from "../src/printable.js";

describe("printable", () => {
  it("escapes C0 and C1 controls, DEL, line separators and bidirectional overrides", () => {
    const hostile = "Order-1\u001b[2J\u009b31m\u007f\r\n\u2028\u202eevil\u2066";
    expect(printable(hostile)).toBe("Order-1\\u001b[2J\\u009b31m\\u007f\\u000d\\u000a\\u2028\\u202eevil\\u2066");
  });

  it("keeps line breaks when asked (a stack shown whole), escaping the rest", () => {
    expect(printable("Error: no\n    at f (x.ts:1)\r\u001b]0;title\u0007", { lines: true })).toBe("Error: no\n    at f (x.ts:1)\\u000d\\u001b]0;title\\u0007");
  });

  it("cuts at max characters, saying how long the text was", () => {
    expect(printable("x".repeat(10), { max: 4 })).toBe("xxxx… (10 characters)");
    expect(printable("plain text, ünïcode and emoji 🎉")).toBe("plain text, ünïcode and emoji 🎉");
  });

  it("makes every cell of a table printable, aligned on what is shown", () => {
    expect(textTable(["stream", "n"], [["A\u001b[31m", "1"], ["B", "22"]])).toBe("stream       n\nA\\u001b[31m  1\nB            22\n");
  });

  it("makes every line of eda workflows show printable: the correlation is in command ids, an event's id is its producer's", () => {
    const correlation = "o1\u001b[2J";
    const text = describeRun({
      instance: {
        workflow: "Checkout",
        correlation,
        state: { kind: "awaiting", step: "charge" },
        startedAt: "t0",
        updatedAt: "t1",
        retryAt: null,
        timeoutAt: null,
        completedSteps: ["reserve"],
        failure: null,
        rejections: [],
        history: [
          { at: "t0", from: null, to: "awaiting:reserve", attempt: 1, cause: { kind: "event", type: "OrderPlaced", messageId: "m\u009b2J" } },
          { at: "t1", from: "awaiting:reserve", to: "awaiting:charge", attempt: 1, cause: { kind: "outcome", commandId: `Checkout/${correlation}/reserve/send/1`, status: "accepted" } },
        ],
      },
      commands: [],
    });
    expect(text).not.toMatch(/[\u001b\u009b]/);
    expect(text).toContain("Checkout o1\\u001b[2J: awaiting charge\n");
    expect(text).toContain("by event OrderPlaced m\\u009b2J\n");
    expect(text).toContain("by Checkout/o1\\u001b[2J/reserve/send/1 accepted\n");
  });
});
