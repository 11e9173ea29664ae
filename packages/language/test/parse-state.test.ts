/**
 * The parser carries nothing from one parse to the next: the lexer and the Chevrotain parser are
 * reused, but a file parses the same whatever was parsed before it, and in whichever order.
 */
import { describe, expect, it } from "vitest";
import { parseFile, type ParsedFile } from "../src/index.js";

const deep = `context Deep\n\nevent Nested { value: ${"list<".repeat(40)}string${">".repeat(40)} }\n`;
const INPUTS = [
  { path: "ok.eda", text: "context Shop\n\ncommand PlaceOrder { orderId: uuid }\nevent OrderPlaced { orderId: uuid }\n" },
  { path: "deep.eda", text: deep },
  { path: "unterminated.eda", text: 'context Notes\n\ncommand Write { text: string = "open\n}\nevent Written { at: timestamp }\n' },
  { path: "clauses.eda", text: "context Shop\n\naggregate Order {\n  stream orderId\n  stream orderId\n}\n" },
  {
    path: "dropped.eda",
    text: "context Shop\n\ncommand PlaceOrder { orderId: uuid }\nevent OrderPlaced { orderId: uuid }\naggregate Order {\n  stream orderId\n  on PlaceOrder -> \n  on PlaceOrder -> OrderPlaced\n}\n",
  },
  { path: "shallow.eda", text: "context Shallow\n\nevent Flat { value: list<list<string>> }\n" },
  { path: "empty.eda", text: "" },
];

/** A parse as plain data, so that two parses compare by value. */
const plain = (r: ParsedFile): unknown => JSON.parse(JSON.stringify(r));

describe("parser state", () => {
  it("gives each file the same result in any order of parses", () => {
    const forward = INPUTS.map((s) => plain(parseFile(s)));
    const backward = [...INPUTS].reverse().map((s) => plain(parseFile(s))).reverse();
    const interleaved = INPUTS.flatMap((s, i) => {
      parseFile(INPUTS[(i + 1) % INPUTS.length] as (typeof INPUTS)[number]);
      return [plain(parseFile(s))];
    });
    expect(backward).toEqual(forward);
    expect(interleaved).toEqual(forward);
  });

  it("does not let a type that nests too deep leak its depth into the next parse", () => {
    const before = parseFile(INPUTS[5] as (typeof INPUTS)[number]);
    expect(parseFile({ path: "deep.eda", text: deep }).diagnostics.map((d) => d.code)).toContain("EDA1013");
    const after = parseFile(INPUTS[5] as (typeof INPUTS)[number]);
    expect(after.diagnostics).toEqual([]);
    expect(plain(after)).toEqual(plain(before));
  });

  it("names each file in its own spans and diagnostics", () => {
    const text = "context Shop\n\ncommand PlaceOrder { orderId: uuid \n";
    const a = parseFile({ path: "a.eda", text });
    const b = parseFile({ path: "b.eda", text });
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(new Set(a.diagnostics.map((d) => d.span.file))).toEqual(new Set(["a.eda"]));
    expect(new Set(b.diagnostics.map((d) => d.span.file))).toEqual(new Set(["b.eda"]));
    expect(JSON.stringify(plain(b)).includes('"a.eda"')).toBe(false);
  });

  it("keeps an unterminated string's echo to its own file", () => {
    // The same broken declaration without the unterminated string reports its syntax error.
    const echo = parseFile(INPUTS[2] as (typeof INPUTS)[number]).diagnostics.map((d) => d.code);
    const plainError = parseFile({ path: "b.eda", text: "context Notes\n\ncommand Write { text: string = \n}\nevent Written { at: timestamp }\n" }).diagnostics.map((d) => d.code);
    expect(echo).toEqual(["EDA1002"]);
    expect(plainError).not.toContain("EDA1002");
    expect(plainError.length).toBeGreaterThan(0);
  });
});
