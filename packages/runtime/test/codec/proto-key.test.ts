/**
 * A key `__proto__` in a message's data: `JSON.parse` (every store's reader, every HTTP body)
 * makes it an ordinary key, and Zod's records and `z.json()` drop it rather than set a
 * prototype. The codec refuses it, stored or new, instead of reading a map or a `json` value
 * without the entry.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodec } from "../../src/codec/codec.js";
import { defineCodecTable } from "../../src/codec/table.js";
import { mayKeepAnyKey } from "../../src/codec/keeps-keys.js";
import { thrown } from "./thrown.js";

const Tagged = z.object({ id: z.string(), tags: z.record(z.string(), z.int()), extra: z.json().optional() });
const TaggedV1 = z.object({ id: z.string(), labels: z.array(z.object({ name: z.string(), weight: z.record(z.string(), z.int()) })) });

const table = defineCodecTable({
  events: {
    Tagged: {
      current: 2,
      versions: {
        1: { schema: TaggedV1, up: (e: z.infer<typeof TaggedV1>) => ({ id: e.id, tags: Object.assign({}, ...e.labels.map((l) => l.weight)) as Record<string, number> }), next: 2 },
        2: { schema: Tagged },
      },
    },
  },
  commands: { Tag: { schema: Tagged } },
});
const codec = createCodec(table, {});

/** What a store's reader holds after reading the JSON text. */
const stored = (version: number, json: string) => ({ type: "Tagged", version, payload: JSON.parse(json) as unknown, stream: "Tagged-1", position: 0, globalPosition: 3 });

describe("a key __proto__", () => {
  it("in a stored map or json value is refused at its path, not read without the entry", () => {
    const map = thrown(() => codec.deserialize(stored(2, '{"id":"a","tags":{"__proto__":5,"b":1}}')));
    expect([map.reason, map.field, map.issues[0]?.code]).toEqual(["invalid-payload", "tags.__proto__", "proto-key"]);
    expect(map.message).toBe('event 0 of stream "Tagged-1" (global position 3), "Tagged" v2: invalid payload at tags.__proto__: a key may not be `__proto__`: it cannot be read back as data (JavaScript objects and schemas drop it)');
    const json = thrown(() => codec.deserialize(stored(2, '{"id":"a","tags":{},"extra":[{"x":{"__proto__":{"admin":true}}}]}')));
    expect(json.field).toBe("extra.0.x.__proto__");
    const old = thrown(() => codec.deserialize(stored(1, '{"id":"a","labels":[{"name":"n","weight":{"__proto__":2}}]}')));
    expect([old.version, old.field]).toEqual([1, "labels.0.weight.__proto__"]);
  });

  it("in a command or a new event is refused, not accepted without the entry", () => {
    const data = JSON.parse('{"id":"a","tags":{"__proto__":5,"b":1}}') as unknown;
    expect(codec.validateCommand({ type: "Tag", data })).toEqual({ ok: false, issues: [{ path: ["tags", "__proto__"], code: "proto-key", message: expect.stringContaining("`__proto__`") as string }] });
    expect(codec.validateEvent({ type: "Tagged", data })).toMatchObject({ ok: false, issues: [{ path: ["tags", "__proto__"], code: "proto-key" }] });
  });

  it("is the only key refused: `constructor`, `prototype` and `__proto__` as a value read as they are", () => {
    const payload = '{"id":"__proto__","tags":{"constructor":1,"prototype":2,"toString":3},"extra":{"k":"__proto__"}}';
    expect(codec.deserialize(stored(2, payload)).data).toEqual(JSON.parse(payload));
    expect(codec.validateCommand({ type: "Tag", data: JSON.parse(payload) })).toMatchObject({ ok: true });
  });
});

describe("which schemas the walk for a key __proto__ runs on", () => {
  const Line = z.object({ sku: z.string(), quantity: z.int().min(1), note: z.string().nullable().optional() });
  it("not on named objects of scalars, lists and enums, however nested", () => {
    const Named = z.object({ id: z.uuid(), at: z.iso.datetime(), kind: z.enum(["a", "b"]), lines: z.array(Line).default([]), pair: z.tuple([z.string(), z.number()]), either: z.union([z.literal(1), Line]) });
    expect(mayKeepAnyKey(Named)).toBe(false);
    expect(mayKeepAnyKey(z.strictObject({ a: z.string() }))).toBe(false);
  });

  it("on anything that may hold keys it does not name, at any depth", () => {
    for (const schema of [
      z.object({ lines: z.array(z.object({ tags: z.record(z.string(), z.string()) })) }),
      z.object({ extra: z.json().optional() }),
      z.object({ any: z.unknown() }),
      z.looseObject({ a: z.string() }),
      z.object({ a: z.string() }).catchall(z.string()),
      z.object({ next: z.lazy(() => z.string()) }),
      { safeParse: (value: unknown) => ({ success: true as const, data: value }) },
    ]) expect(mayKeepAnyKey(schema)).toBe(true);
  });

  it("a named object's stored key __proto__ is dropped like any key it does not name; a map's is refused", () => {
    const named = createCodec(defineCodecTable({ events: { Named: { current: 1, versions: { 1: { schema: z.object({ id: z.string(), line: Line }) } } } }, commands: {} }), {});
    const read = named.deserialize({ type: "Named", version: 1, payload: JSON.parse('{"id":"a","line":{"sku":"s","quantity":1,"__proto__":{"admin":true}},"other":1}') as unknown });
    expect(read.data).toEqual({ id: "a", line: { sku: "s", quantity: 1 } });
    expect(Object.getPrototypeOf((read.data as { line: object }).line)).toBe(Object.prototype);
    expect(thrown(() => codec.deserialize(stored(2, '{"id":"a","tags":{"__proto__":5}}'))).field).toBe("tags.__proto__");
  });
});
