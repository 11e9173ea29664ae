/**
 * The parser carries nothing from one parse to the next: the lexer and the Chevrotain parser are
 * reused, but a file parses the same whatever was parsed before it, and in whichever order.
 */
import { describe, expect, it } from "vitest";
import { createParser, type ParsedFile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

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
  it("gives each file the same result from a parser of its own and from a shared one", () => {
    const own = INPUTS.map((s) => plain(createParser().parse(s)));
    expect(INPUTS.map((s) => plain(parser.parse(s)))).toEqual(own);
  });

  it("gives each file the same result in any order of parses", () => {
    const forward = INPUTS.map((s) => plain(parser.parse(s)));
    const backward = [...INPUTS].reverse().map((s) => plain(parser.parse(s))).reverse();
    const interleaved = INPUTS.flatMap((s, i) => {
      parser.parse(INPUTS[(i + 1) % INPUTS.length] as (typeof INPUTS)[number]);
      return [plain(parser.parse(s))];
    });
    expect(backward).toEqual(forward);
    expect(interleaved).toEqual(forward);
  });

  it("does not let a type that nests too deep leak its depth into the next parse", () => {
    const before = parser.parse(INPUTS[5] as (typeof INPUTS)[number]);
    expect(parser.parse({ path: "deep.eda", text: deep }).diagnostics.map((d) => d.code)).toContain("EDA1013");
    const after = parser.parse(INPUTS[5] as (typeof INPUTS)[number]);
    expect(after.diagnostics).toEqual([]);
    expect(plain(after)).toEqual(plain(before));
  });

  it("names each file in its own spans and diagnostics", () => {
    const text = "context Shop\n\ncommand PlaceOrder { orderId: uuid \n";
    const a = parser.parse({ path: "a.eda", text });
    const b = parser.parse({ path: "b.eda", text });
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(new Set(a.diagnostics.map((d) => d.span.file))).toEqual(new Set(["a.eda"]));
    expect(new Set(b.diagnostics.map((d) => d.span.file))).toEqual(new Set(["b.eda"]));
    expect(JSON.stringify(plain(b)).includes('"a.eda"')).toBe(false);
  });

  it("keeps an unterminated string's echo to its own file", () => {
    // The same broken declaration without the unterminated string reports its syntax error.
    const echo = parser.parse(INPUTS[2] as (typeof INPUTS)[number]).diagnostics.map((d) => d.code);
    const plainError = parser.parse({ path: "b.eda", text: "context Notes\n\ncommand Write { text: string = \n}\nevent Written { at: timestamp }\n" }).diagnostics.map((d) => d.code);
    expect(echo).toEqual(["EDA1002"]);
    expect(plainError).not.toContain("EDA1002");
    expect(plainError.length).toBeGreaterThan(0);
  });
});
