/**
 * The generated Zod schemas at run time: every constraint accepts at its boundary and rejects just
 * past it; formats are checked; defaults fill in; redaction reaches nested personal data.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { generateFrom, readModel, writeOut } from "./support.js";

let Lab: Record<string, ZodType>;
let codec: {
  redact(type: string, version: number, data: unknown): unknown;
  redactCommand(type: string, data: unknown): unknown;
  table: { commands: Record<string, { encrypt?: unknown }>; events: Record<string, { versions: Record<number, { encrypt?: unknown }> }> };
};

const valid = {
  count: 1,
  ratio: 0.5,
  price: "99.99",
  code: "AB",
  id: "3f2b5c1e-9a4d-4c2e-8f00-1b2c3d4e5f60",
  mail: "someone@example.com",
  site: "https://example.com/x",
  at: "2026-01-15T09:30:00Z",
  day: "2026-01-15",
  wait: 0,
  tags: ["a"],
  scores: { a: 1 },
  extra: { any: [1, "two", null] },
  secret: "s3cret",
};

beforeAll(async () => {
  const dir = writeOut("constraints", generateFrom(readModel(join(import.meta.dirname, "models"))));
  Lab = (await import(join(dir, "lab/schemas.ts"))) as Record<string, ZodType>;
  codec = ((await import(join(dir, "codec.ts"))) as { createCodec(): typeof codec }).createCodec();
});

const accepts = (patch: Record<string, unknown>) => Lab["Sample"]?.safeParse({ ...valid, ...patch }).success;

describe("generated schemas", () => {
  it("accept a valid value and fill defaults", () => {
    const parsed = Lab["Sample"]?.parse(valid) as Record<string, unknown>;
    expect(parsed["level"]).toBe("Low");
    expect(parsed["flag"]).toBe(false);
    // The model's `-0` is negative zero in the code, not the 0 JSON would write.
    expect(Object.is(parsed["offset"], -0)).toBe(true);
    expect(parsed).not.toHaveProperty("note");
  });

  it.each([
    ["count", 1, 0],
    ["count", 10, 11],
    ["count", 5, 5.5],
    ["ratio", -0.5, -0.51],
    ["ratio", 0.5, 0.51],
    ["price", "0", "-0.01"],
    ["price", "99.99", "99.991"],
    ["price", "12.50", "12,50"],
    ["code", "ABCD", "ABCDE"],
    ["code", "AB", "A"],
    ["code", "XY", "xy"],
    ["tags", ["a", "b"], ["a", "b", "c"]],
    ["tags", ["a"], []],
    ["wait", 0, -1],
  ])("%s accepts %j and rejects %j", (field, ok, bad) => {
    expect(accepts({ [field]: ok })).toBe(true);
    expect(accepts({ [field]: bad })).toBe(false);
  });

  it.each([
    ["id", "not-a-uuid"],
    ["mail", "nobody"],
    ["site", "not a url"],
    ["at", "2026-01-15 09:30"],
    ["at", "2026-01-15T09:30:00"],
    ["day", "2026-13-01"],
    ["level", "Medium"],
    ["scores", { a: "1" }],
    ["flag", "yes"],
  ])("rejects %s = %j", (field, bad) => {
    expect(accepts({ [field]: bad })).toBe(false);
  });

  it("keeps decimals, timestamps and dates exact through JSON", () => {
    const value = { ...valid, price: "12.10", at: "2026-01-15T09:30:00.123456+01:00", day: "2026-02-28" };
    const round = Lab["Sample"]?.parse(JSON.parse(JSON.stringify(Lab["Sample"]?.parse(value)))) as Record<string, unknown>;
    expect(round["price"]).toBe("12.10");
    expect(round["at"]).toBe("2026-01-15T09:30:00.123456+01:00");
    expect(round["day"]).toBe("2026-02-28");
  });

  it("redacts personal data in messages and in the value types inside them", () => {
    const data = { sample: { ...valid }, by: "Ada" };
    expect(codec.redactCommand("RecordSample", data)).toEqual({ sample: { ...valid, secret: "[redacted]" }, by: "[redacted]" });
    expect(data.by).toBe("Ada");
    expect(codec.redact("SampleRecorded", 1, data)).toEqual({ sample: { ...valid, secret: "[redacted]" }, by: "[redacted]" });
    // An unknown type or version is not logged at all: its personal data is not known.
    expect(codec.redact("Unknown", 1, data)).toBeUndefined();
    expect(codec.redact("SampleRecorded", 2, data)).toBeUndefined();
  });
});

describe("the codec table", () => {
  it("gives commands and events with `@pii(subject)` fields their encryption plan (a queued command is sealed like an event)", () => {
    expect(codec.table.commands["Enrol"]?.encrypt).toEqual({ subject: "studentId", fields: { mail: "placeholder", phone: "absent" } });
    expect(codec.table.events["Enrolled"]?.versions[1]?.encrypt).toEqual({ subject: "studentId", fields: { mail: "placeholder" } });
    expect(codec.table.commands["RecordSample"]?.encrypt).toBeUndefined();
  });
});
