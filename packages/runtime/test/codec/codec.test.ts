/**
 * The model codec over a table of real Zod schemas, shaped as the generator emits it: the upcast
 * chain, typed deserialize errors, validation of commands and new events (schema, size, U+0000),
 * redaction by type and version — and hostile type names.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodec, DEFAULT_MAX_COMMAND_BYTES, validateCommand } from "../../src/codec/codec.js";
import { REDACTED } from "../../src/codec/redact.js";
import { defineCodecTable } from "../../src/codec/table.js";
import { unparsableJson } from "../../src/codec/unparsable.js";
import { thrown } from "./thrown.js";

const Address = z.object({ street: z.string(), city: z.string() });
const V1 = z.object({ orderId: z.uuid(), email: z.email(), cents: z.int() });
const V2 = z.object({ orderId: z.uuid(), contactEmail: z.email(), cents: z.int(), currency: z.string() });
const V3 = z.object({ orderId: z.uuid(), contactEmail: z.email(), total: z.object({ cents: z.int().min(0), currency: z.string() }), shipTo: Address });
const PlaceOrder = z.object({ orderId: z.uuid(), lines: z.array(z.object({ quantity: z.int().min(1) })).min(1), contactEmail: z.email(), note: z.string().default("") });

interface Hooks {
  readonly Ordering: { readonly shipTo: (e: z.infer<typeof V2>) => z.infer<typeof Address> };
}

const table = defineCodecTable<Hooks>({
  events: {
    OrderPlaced: {
      current: 3,
      versions: {
        1: { schema: V1, up: (e: z.infer<typeof V1>) => ({ orderId: e.orderId, contactEmail: e.email, cents: e.cents, currency: "USD" }), next: 2, redact: { pii: ["email"] } },
        2: {
          schema: V2,
          up: (e: z.infer<typeof V2>, h: Hooks) => ({ orderId: e.orderId, contactEmail: e.contactEmail, total: { cents: e.cents, currency: e.currency }, shipTo: h.Ordering.shipTo(e) }),
          next: 3,
          redact: { pii: ["contactEmail"] },
        },
        3: { schema: V3, redact: { pii: ["contactEmail"], nested: [["shipTo", "Shared.Address", "one"]] } },
      },
    },
  },
  commands: { PlaceOrder: { schema: PlaceOrder, redact: { pii: ["contactEmail"] } } },
  types: { "Shared.Address": { pii: ["street"] } },
});

const ORDER = "3f1c2a9e-4b7d-4c1e-9a2b-000000000001";
const home = { street: "1 High Street", city: "Leeds" };
const codec = createCodec(table, { Ordering: { shipTo: () => home } });

describe("deserialize", () => {
  it("reads v1 through v2 to v3, with the hooks, validating the stored and the current version", () => {
    const v1 = { type: "OrderPlaced", version: 1, payload: { orderId: ORDER, email: "ada@example.com", cents: 250 } };
    expect(codec.deserialize(v1)).toEqual({
      type: "OrderPlaced",
      data: { orderId: ORDER, contactEmail: "ada@example.com", total: { cents: 250, currency: "USD" }, shipTo: home },
    });
    const v3 = { orderId: ORDER, contactEmail: "a@b.co", total: { cents: 1, currency: "EUR" }, shipTo: home };
    expect(codec.deserialize({ type: "OrderPlaced", version: 3, payload: v3 })).toEqual({ type: "OrderPlaced", data: v3 });
  });

  it("fails with a typed error naming the event, its place, the version, the field and the reason", () => {
    const at = { stream: "Order-1", position: 4, globalPosition: 17 };
    const e = thrown(() => codec.deserialize({ type: "OrderPlaced", version: 1, payload: { orderId: ORDER, email: "nope", cents: 1 }, ...at }));
    expect([e.reason, e.eventType, e.version, e.field, e.at]).toEqual(["invalid-payload", "OrderPlaced", 1, "email", at]);
    expect(e.message).toBe('event 4 of stream "Order-1" (global position 17), "OrderPlaced" v1: invalid payload at email: Invalid email address');
    expect(e.message).not.toContain("nope");
    expect(thrown(() => codec.deserialize({ type: "OrderShipped", version: 1, payload: {} })).reason).toBe("unknown-type");
    expect(thrown(() => codec.deserialize({ type: "OrderPlaced", version: 7, payload: {} })).reason).toBe("unknown-version");
    expect(thrown(() => codec.deserialize({ type: "OrderPlaced", version: 1, payload: unparsableJson("payload", new SyntaxError("Unexpected token")) })).reason).toBe("invalid-json");
  });

  it("reports a hook that throws, and an upcast result that breaks the current schema", () => {
    const v2 = { type: "OrderPlaced", version: 2, payload: { orderId: ORDER, contactEmail: "a@b.co", cents: -1, currency: "EUR" } };
    const throwing = createCodec(table, { Ordering: { shipTo: () => { throw new Error("no address book"); } } });
    const e = thrown(() => throwing.deserialize(v2));
    expect([e.reason, e.message]).toEqual(["upcast-failed", '"OrderPlaced" v2: the upcast threw: no address book']);
    expect(e.cause).toBeInstanceOf(Error);
    const bad = thrown(() => codec.deserialize(v2));
    expect([bad.reason, bad.field]).toEqual(["invalid-upcast", "total.cents"]);
  });

  it("never takes a type or version from Object's prototype", () => {
    for (const type of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(thrown(() => codec.deserialize({ type, version: 1, payload: {} })).reason).toBe("unknown-type");
      expect(codec.validateCommand({ type, data: {} })).toMatchObject({ ok: false, issues: [{ code: "unknown-type" }] });
      expect(codec.redact(type, 1, { a: 1 })).toBeUndefined();
    }
    expect(codec.redact("OrderPlaced", Number.NaN, {})).toBeUndefined();
  });
});

describe("validateCommand and validateEvent", () => {
  const place = { type: "PlaceOrder", data: { orderId: ORDER, lines: [{ quantity: 1 }], contactEmail: "ada@example.com" } };

  it("returns the parsed command: defaults filled, unknown keys dropped", () => {
    expect(codec.validateCommand({ ...place, data: { ...place.data, extra: true } })).toEqual({ ok: true, value: { type: "PlaceOrder", data: { ...place.data, note: "" } } });
  });

  it("names every refused field by path and code, never quoting a value", () => {
    const secret = "not-an-email-but-personal@@";
    const result = codec.validateCommand({ type: "PlaceOrder", data: { orderId: "x", lines: [{ quantity: 1.5 }, { quantity: -5 }], contactEmail: secret } });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["orderId", "invalid_format"],
      ["lines.0.quantity", "invalid_type"],
      ["lines.1.quantity", "too_small"],
      ["contactEmail", "invalid_format"],
    ]);
    expect(JSON.stringify(issues)).not.toContain(secret);
    expect(codec.validateCommand({ type: "PlaceOrder", data: { ...place.data, lines: [] } })).toMatchObject({ ok: false, issues: [{ path: ["lines"], code: "too_small" }] });
    expect(codec.validateCommand({ type: "PlaceOrder" })).toMatchObject({ ok: false, issues: [{ path: [], code: "invalid_type" }] });
    expect(codec.validateCommand(null)).toMatchObject({ ok: false, issues: [{ code: "unknown-type" }] });
  });

  it("refuses data above the size bound, naming the size and the limit", () => {
    const big = { ...place, data: { ...place.data, note: "é".repeat(DEFAULT_MAX_COMMAND_BYTES / 2) } };
    const result = codec.validateCommand(big);
    expect(result).toMatchObject({ ok: false, issues: [{ path: [], code: "too-large" }] });
    expect(result.ok ? "" : result.issues[0]?.message).toMatch(/^the command PlaceOrder is 524\.\d kB as JSON, above the limit of 524\.3 kB \(maxCommandBytes\)$/);
    expect(validateCommand(table, place, { maxBytes: 50 })).toMatchObject({ ok: false, issues: [{ code: "too-large" }] });
    // At the bound exactly (the parsed data's JSON measured, not estimated): accepted; one byte under it, refused.
    const parsed = validateCommand(table, place);
    const exact = Buffer.byteLength(JSON.stringify(parsed.ok ? parsed.value.data : undefined));
    expect(validateCommand(table, place, { maxBytes: exact }).ok).toBe(true);
    expect(validateCommand(table, place, { maxBytes: exact - 1 })).toMatchObject({ ok: false, issues: [{ code: "too-large" }] });
    // Numbers at their longest JSON (25 bytes each), one byte over the bound.
    const readings = { type: "Read", data: Array.from({ length: 40 }, () => -0.0000012345678901234567) };
    const numbers = { events: {}, commands: { Read: { schema: z.array(z.number()) } } };
    expect(validateCommand(numbers, readings, { maxBytes: Buffer.byteLength(JSON.stringify(readings.data)) - 1 })).toMatchObject({ ok: false, issues: [{ code: "too-large" }] });
    const event = { type: "OrderPlaced", data: { orderId: ORDER, contactEmail: "a@b.co", total: { cents: 1, currency: "EUR" }, shipTo: home } };
    expect(codec.validateEvent(event, { maxBytes: 20 })).toMatchObject({ ok: false, issues: [{ code: "too-large", message: expect.stringContaining("maxEventBytes") }] });
  });

  it("refuses U+0000 in any text or key, at its path (no store keeps it the same way)", () => {
    const nul = codec.validateCommand({ ...place, data: { ...place.data, note: "a\u0000b" } });
    expect(nul).toMatchObject({ ok: false, issues: [{ path: ["note"], code: "nul-character" }] });
    const event = { type: "OrderPlaced", data: { orderId: ORDER, contactEmail: "a@b.co", total: { cents: 1, currency: "EUR" }, shipTo: { ...home, city: "\u0000" } } };
    expect(codec.validateEvent(event)).toMatchObject({ ok: false, issues: [{ path: ["shipTo", "city"], code: "nul-character" }] });
    // A backslash followed by "u0000" is plain text.
    expect(codec.validateCommand({ ...place, data: { ...place.data, note: "\\u0000" } }).ok).toBe(true);
  });

  it("refuses a json value nested too deeply for the schema's parse, rather than throw a RangeError", () => {
    // A few kilobytes of "[[[…]]]" in a request: JSON.parse reads it; Zod's recursive parse would overflow the stack.
    const deep = JSON.parse(`${"[".repeat(20_000)}${"]".repeat(20_000)}`) as unknown;
    const Note = z.object({ value: z.json() });
    const table = defineCodecTable({ events: { Noted: { current: 1, versions: { 1: { schema: Note } } } }, commands: { Note: { schema: Note } } });
    expect(validateCommand(table, { type: "Note", data: { value: deep } })).toMatchObject({ ok: false, issues: [{ path: [], code: "too-deep" }] });
    // Written to a store by another way, it reads as a DeserializeError (a poison event), not a RangeError.
    const e = thrown(() => createCodec(table, {}).deserialize({ type: "Noted", version: 1, payload: { value: deep } }));
    expect([e.reason, e.issues[0]?.code]).toEqual(["invalid-payload", "too-deep"]);
  });

  it("validates a new event at its current version only", () => {
    const v1Shape = { type: "OrderPlaced", data: { orderId: ORDER, email: "a@b.co", cents: 1 } };
    expect(codec.validateEvent(v1Shape)).toMatchObject({ ok: false });
    expect(codec.validateEvent({ type: "OrderShipped", data: {} })).toMatchObject({ ok: false, issues: [{ code: "unknown-type" }] });
  });
});

describe("redact", () => {
  it("redacts by type and version: an old version's personal field under its old name", () => {
    expect(codec.redact("OrderPlaced", 1, { orderId: ORDER, email: "ada@example.com", cents: 1 })).toEqual({ orderId: ORDER, email: REDACTED, cents: 1 });
    expect(codec.redact("OrderPlaced", 2, { orderId: ORDER, contactEmail: "ada@example.com" })).toEqual({ orderId: ORDER, contactEmail: REDACTED });
  });

  it("reaches personal data in nested value types, and replaces a payload of the wrong shape whole", () => {
    const v3 = { orderId: ORDER, contactEmail: "a@b.co", shipTo: home };
    expect(codec.redact("OrderPlaced", 3, v3)).toEqual({ orderId: ORDER, contactEmail: REDACTED, shipTo: { street: REDACTED, city: "Leeds" } });
    expect(v3.shipTo.street).toBe("1 High Street");
    expect(codec.redact("OrderPlaced", 3, "ada@example.com")).toBe(REDACTED);
    expect(codec.redactCommand("PlaceOrder", { contactEmail: "x@y.z", orderId: ORDER })).toEqual({ contactEmail: REDACTED, orderId: ORDER });
    expect(codec.redactCommand("Unknown", { contactEmail: "x@y.z" })).toBeUndefined();
  });
});
