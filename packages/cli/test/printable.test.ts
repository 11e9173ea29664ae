/**
 * Text read from a store or a broker reaches the operator's terminal through `printable` and
 * `textTable`: controls a terminal acts on are shown as escapes, never sent.
 */
import { describe, expect, it } from "vitest";
import { textTable } from "../src/commands/operator-project.js";
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
});
