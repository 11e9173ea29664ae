/** `jsonBound`: never under the size `JSON.stringify` gives, and says U+0000 or "unusual" where it must. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOLDS_NUL, jsonBound, UNUSUAL } from "../../src/codec/json-bound.js";

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Any text: full Unicode, lone surrogates, control characters (escaped as `\u001f`), quotes and backslashes. */
const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom("\u0001", "\u001f", '"', "\\", "\u2028", "é", "\ud800", "😀") }));

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value")),
    fc.dictionary(text, fc.oneof(tie("value"), fc.constant(undefined))),
  ),
})).value;

describe("jsonBound", () => {
  it("is at least the UTF-8 size of the JSON of any plain value, or finds the U+0000 in it", () => {
    fc.assert(
      fc.property(json, (value) => {
        const bound = jsonBound(value);
        const nul = JSON.stringify(value).includes("\\u0000");
        if (nul) expect(bound).toBe(HOLDS_NUL);
        else expect(bound).toBeGreaterThanOrEqual(bytes(value));
      }),
      { numRuns: 500 },
    );
  });

  it("counts six bytes a character: what the escape of a control character takes", () => {
    expect(bytes("\u001f".repeat(10))).toBe(62);
    expect(jsonBound("\u001f".repeat(10))).toBe(62);
    expect(jsonBound({ a: [1, "é"] })).toBeGreaterThanOrEqual(bytes({ a: [1, "é"] }));
  });

  it("counts a number at its longest: 25 bytes, a negative between 1e-6 and 1e-7 written in decimals", () => {
    const longest = -0.0000012345678901234567;
    expect(bytes(longest)).toBe(25);
    expect(jsonBound(longest)).toBeGreaterThanOrEqual(25);
    const many = Array.from({ length: 40 }, () => longest);
    expect(jsonBound(many)).toBeGreaterThanOrEqual(bytes(many));
  });

  it("finds U+0000 in a key and in a nested string", () => {
    expect(jsonBound({ ["a\u0000"]: 1 })).toBe(HOLDS_NUL);
    expect(jsonBound({ a: [{ b: "x\u0000" }] })).toBe(HOLDS_NUL);
  });

  it("leaves to JSON.stringify what it treats specially", () => {
    for (const odd of [1n, () => 1, Symbol("s"), new Date(0), new Map(), [undefined], { toJSON: () => "x" }, Object.create({ inherited: 1 })]) {
      expect(jsonBound({ a: odd })).toBe(UNUSUAL);
    }
    // JSON.stringify calls a toJSON it can read, enumerable or not, own or not, even from a Proxy's trap.
    const large = () => "x".repeat(1000);
    const hidden = Object.defineProperty({ a: 1 }, "toJSON", { value: large, enumerable: false });
    const trapped = new Proxy({ a: 1 }, { get: (target, key) => (key === "toJSON" ? large : Reflect.get(target, key)) });
    for (const odd of [hidden, Object.assign([1], { toJSON: large }), trapped]) expect(jsonBound(odd)).toBe(UNUSUAL);
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(jsonBound(cycle)).toBe(UNUSUAL);
    expect(jsonBound(Object.assign(Object.create(null) as object, { a: "b" }))).toBeGreaterThanOrEqual(9);
  });
});
