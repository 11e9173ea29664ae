import { describe, expect, it } from "vitest";
import { BrokerUrlError, parseBrokerUrl, withoutParam } from "../../src/bus/broker-url.js";
import { encodeToken } from "../../src/bus/nats/names.js";
import { decodeHeaderValue, encodeHeaderValue } from "../../src/bus/nats/nats-wire.js";
import { redactUrl } from "../../src/bus/url.js";

describe("broker URLs with several addresses", () => {
  it("splits the addresses and keeps credentials, path and query on each", () => {
    const url = parseBrokerUrl("amqp://app:p%40ss@rabbit-1:5672,rabbit-2,[::1]:5673/shop%2Fprod?queue-type=quorum&heartbeat=10");
    expect(url.addresses).toEqual(["rabbit-1:5672", "rabbit-2", "[::1]:5673"]);
    expect(url.username).toBe("app");
    expect(url.password).toBe("p@ss");
    expect(url.path).toBe("shop/prod");
    expect(url.params.get("queue-type")).toBe("quorum");
    expect(url.urls[1]).toBe("amqp://app:p%40ss@rabbit-2/shop%2Fprod?queue-type=quorum&heartbeat=10");
    expect(url.shown).toBe("amqp://app:***@rabbit-1:5672,rabbit-2,[::1]:5673/shop%2Fprod?queue-type=quorum&heartbeat=10");
    expect(withoutParam(url.urls[0] ?? "", "queue-type")).toBe("amqp://app:p%40ss@rabbit-1:5672/shop%2Fprod?heartbeat=10");
  });

  it("reads a token (user without password) and a URL with one address", () => {
    const url = parseBrokerUrl("nats://s3cr3t@127.0.0.1:4222");
    expect(url).toMatchObject({ username: "s3cr3t", password: "", addresses: ["127.0.0.1:4222"], path: "" });
  });

  it("rejects empty and malformed addresses without showing the password", () => {
    expect(() => parseBrokerUrl("amqp://u:secret@a,,b/")).toThrow(BrokerUrlError);
    const error = (() => {
      try {
        parseBrokerUrl("amqp://u:secret@host:99999/");
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/not a valid host\[:port\]/);
    expect(error?.message).not.toContain("secret");
    expect(() => parseBrokerUrl("not a url")).toThrow(/scheme:\/\//);
  });

  it("masks the password of a multi-address URL that the WHATWG parser rejects", () => {
    expect(redactUrl("amqp://u:secret@h1,h2/v")).toBe("amqp://u:***@h1,h2/v");
    expect(redactUrl("amqp://u:secret@h1/v")).toBe("amqp://u:***@h1/v");
  });
});

describe("NATS names and header values", () => {
  it("encodes any string to a subject token injectively, keeping plain words", () => {
    expect(encodeToken("OrderPlaced")).toBe("OrderPlaced");
    expect(encodeToken("a.b *>%")).toBe("a%2Eb%20%2A%3E%25");
    expect(encodeToken("é")).toBe("%C3%A9");
    expect(encodeToken("")).not.toBe(encodeToken("%"));
    const names = ["a.b", "a%2Eb", "a_b", "a-b", "a b"];
    expect(new Set(names.map((n) => encodeToken(n))).size).toBe(names.length);
  });

  it("escapes only what a NATS header line cannot carry, and reverses it", () => {
    expect(encodeHeaderValue("00-abc-def-01")).toBe("00-abc-def-01");
    for (const value of ["Error: x\n    at y", " padded ", "100%", "%41 stays", "tab\tinside", "naïve"]) {
      const encoded = encodeHeaderValue(value);
      expect(encoded).not.toMatch(/[\r\n]|^\s|\s$/);
      expect(decodeHeaderValue(encoded)).toBe(value);
    }
  });
});
