/**
 * The masking of personal values in error text, attacked: values inside others or overlapping,
 * regex characters, escaped forms, numbers, hostile throwables. Reporting a failure never throws,
 * and a masked copy still reads as the kind of failure it was.
 */
import { describe, expect, it } from "vitest";
import { DeserializeError, isDeserializeError } from "../../src/codec/deserialize-error.js";
import { errorText, maskedError, maskedMessage, maskValues, personalValues } from "../../src/codec/personal-values.js";
import { REDACTED } from "../../src/codec/redact.js";
import { parserMessage, unparsableJson } from "../../src/codec/unparsable.js";
import { decodeEnvelope } from "../../src/bus/envelope-wire.js";
import { CircuitOpenError } from "../../src/consumer/circuit-breaker.js";
import { isPermanentFailure } from "../../src/consumer/consumer.js";
import { describeError } from "../../src/observability/logger.js";
import { parkedEvent } from "../../src/parking/parked.js";
import { InvalidRuleCommandError } from "../../src/workflow/choreography.js";

describe("maskValues", () => {
  it("masks a value and every value inside it or overlapping it under one marker, leaving no part", () => {
    expect(maskValues("to Ada Lovelace.", ["Ada", "Ada Lovelace"])).toBe(`to ${REDACTED}.`);
    expect(maskValues("to Ada Lovelace.", ["Ada Lovelace", "Ada"])).toBe(`to ${REDACTED}.`);
    // Sequential replacement would leave `John` (the longer value masked first) or `Jones`.
    expect(maskValues("for John Smith Jones!", ["Smith Jones", "John Smith"])).toBe(`for ${REDACTED}!`);
    expect(maskValues("AdaLovelace", ["Ada", "Lovelace"])).toBe(REDACTED);
  });

  it("masks a value whatever follows or precedes it: code units, not grapheme clusters", () => {
    // A combining mark, a zero-width joiner, a variation selector or an emoji modifier joins the
    // value's last character into one grapheme with the next: the value must be masked all the same.
    expect(maskValues("no customer Ada\u0301 here", ["Ada"])).toBe(`no customer ${REDACTED}\u0301 here`);
    expect(maskValues("no customer Bob\u200dX", ["Bob"])).toBe(`no customer ${REDACTED}\u200dX`);
    expect(maskValues("row abc\r\n", ["abc\r"])).toBe(`row ${REDACTED}\n`);
    expect(maskValues("x\u0301bcd", ["\u0301bcd"])).toBe(`x${REDACTED}`);
  });

  it("takes values literally (no pattern) and does not mask inside its own marker", () => {
    const value = "a+b(c)*[d]$^.\\1";
    expect(maskValues(`x ${value} y`, [value])).toBe(`x ${REDACTED} y`);
    expect(maskValues("axxxb", ["a.*b"])).toBe("axxxb");
    expect(maskValues(`${REDACTED} and red act`, ["red", "act"])).toBe(`${REDACTED} and ${REDACTED} ${REDACTED}`);
  });

  it("masks the JSON-escaped and \\u-escaped forms of a value, and a number as it is written", () => {
    const name = 'Zoë "Z" Müller\n';
    expect(maskValues(`a ${JSON.stringify({ name })} b`, [name])).toBe(`a {"name":"${REDACTED}"} b`);
    expect(maskValues('{"name":"Zo\\u00eb \\"Z\\" M\\u00fcller\\n"}', [name])).toBe(`{"name":"${REDACTED}"}`);
    const [card] = personalValues({ card: 4111111111111111 }, { card: REDACTED });
    expect(maskValues(`card ${4111111111111111} declined`, [card as string])).toBe(`card ${REDACTED} declined`);
  });

  it("finds values in nested value types, lists and maps", () => {
    const data = { contacts: [{ name: "Ada Lovelace", phones: { home: "+44 20 7946 0958" } }] };
    const values = personalValues(data, { contacts: [{ name: REDACTED, phones: REDACTED }] });
    expect(values).toEqual(["+44 20 7946 0958", "Ada Lovelace"]);
    expect(maskValues(JSON.stringify(data), values)).not.toMatch(/Ada|7946/);
  });

  it("is linear: a megabyte quoting ten thousand values is masked in one pass", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => `person-${i}@example.com`);
    const text = Array.from({ length: 40_000 }, (_, i) => `no ${values[(i * 7) % values.length]} here`).join("; ").slice(0, 1_000_000);
    const masked = maskValues(text, values);
    expect(masked).not.toContain("@example.com");
  });
});

describe("errors that fight back", () => {
  const hostile = Object.defineProperty(new Error("x"), "message", {
    get() {
      throw new Error("no message for you");
    },
  });
  const noString = Object.create(null) as object;
  const cyclic = new Error("outer ada@example.com");
  const inner = new Error("inner ada@example.com", { cause: cyclic });
  Object.assign(cyclic, { cause: inner });

  it("never make the reporting throw", () => {
    for (const error of [hostile, noString, cyclic, "ada@example.com", { toString: () => "obj ada@example.com" }, undefined, null, Symbol("s")]) {
      expect(() => describeError(error, ["ada@example.com"])).not.toThrow();
      expect(() => maskedError(error, ["ada@example.com"])).not.toThrow();
      expect(() => errorText(error)).not.toThrow();
      expect(() => parkedEvent("r", envelope, "handler-failed", error, { blocking: false, attempts: 1, time: "t", personal: ["ada@example.com"] })).not.toThrow();
    }
    expect(maskedMessage({ toString: () => "obj ada@example.com" }, ["ada@example.com"])).toBe(`obj ${REDACTED}`);
    expect(maskedError("no ada@example.com", ["ada@example.com"])).toBe(`no ${REDACTED}`);
    expect(errorText(noString)).toBe("(a thrown object whose text cannot be read)");
  });

  it("a cyclic cause chain is masked to a bounded depth", () => {
    const copy = maskedError(cyclic, ["ada@example.com"]) as Error;
    let e: unknown = copy;
    for (let i = 0; i < 10 && e instanceof Error; i++, e = e.cause) expect(e.message).not.toContain("ada@example.com");
  });
});

describe("a masked copy reads as the failure it was", () => {
  // A value that is also in the stack's file paths forces a copy even of an error that does not quote it.
  const inPath = ["runtime", "ada@example.com"];

  it("keeps its class, its fields and its permanence", () => {
    const open = new CircuitOpenError("payments", 5_000);
    const copy = maskedError(open, inPath) as CircuitOpenError;
    expect(copy).not.toBe(open);
    expect(copy).toBeInstanceOf(CircuitOpenError);
    expect([copy.name, copy.retryAt]).toEqual([open.name, open.retryAt]);

    const invalid = new InvalidRuleCommandError("W", "r", "Mail", [{ path: ["to"], code: "invalid_format", message: "Invalid email" }]);
    const masked = maskedError(invalid, inPath);
    expect(masked).toBeInstanceOf(InvalidRuleCommandError);
    expect(isPermanentFailure(masked)).toBe(true);

    const unreadable = new DeserializeError("invalid-payload", "CustomerRegistered", 1, [{ path: ["email"], code: "invalid_type", message: "ada@example.com" }]);
    const read = maskedError(unreadable, inPath) as DeserializeError;
    expect(isDeserializeError(read) && read instanceof DeserializeError).toBe(true);
    expect([read.reason, read.field, read.issues]).toEqual([unreadable.reason, unreadable.field, unreadable.issues]);
    expect(isPermanentFailure(read)).toBe(true);
  });

  it("masks its cause, which stays a cause", () => {
    const error = new Error("step failed", { cause: new TypeError("no ada@example.com") });
    const copy = maskedError(error, ["ada@example.com"]) as Error;
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect((copy.cause as Error).message).toBe(`no ${REDACTED}`);
    expect(copy.message).toBe("step failed");
  });
});

const envelope = {
  messageId: "m",
  stream: "S-1",
  position: 0,
  globalPosition: 1,
  type: "T",
  version: 1,
  payload: {},
  metadata: {},
  correlationId: "c",
  causationId: null,
  time: "2026-01-01T00:00:00.000Z",
};

describe("text that is not JSON", () => {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      return error;
    }
  };

  it("is refused without the parser quoting it: a stored payload's issue, a message body's error", () => {
    const text = '{"email": ada.lovelace@example.com, "name": "Ada"}';
    const marker = unparsableJson("payload", parse(text));
    expect(marker.message).toBe("Unexpected token 'a' (the text is not quoted here)");
    expect(parserMessage(parse("hello ada@example.com"))).toBe("Unexpected token 'h' (the text is not quoted here)");
    // Messages that quote nothing are kept as they are, with the position V8 gives.
    expect(parserMessage(parse('{"a":"b'))).toBe("Unterminated string in JSON at position 7");
    const body = new TextEncoder().encode(text);
    expect(() => decodeEnvelope(body)).toThrow(/^the message body is not JSON: Unexpected token 'a' \(the text is not quoted here\)$/);
    expect(() => decodeEnvelope(new TextEncoder().encode('{"name":"Ada Lovelace"}'))).toThrow("the message body is not an eda envelope");
  });
});
