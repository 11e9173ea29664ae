/**
 * `deserialize` on stored fixtures of every old version of the examples' events: upcast to the
 * current version with the user's hooks, and typed errors for unknown and invalid events.
 */
import { join } from "node:path";
import { DeserializeError } from "@eda/runtime/codec";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFrom, readModel, repoRoot, writeOut } from "./support.js";

interface Codec {
  deserialize(stored: { type: string; version: number; payload: unknown }): { type: string; data: Record<string, unknown> };
}
interface CodecModule {
  createCodec(hooks?: unknown): Codec;
}

async function load(example: string): Promise<CodecModule> {
  const dir = writeOut(`deserialize-${example}`, generateFrom(readModel(join(repoRoot, "examples", example))));
  return (await import(join(dir, "codec.ts"))) as CodecModule;
}

const address = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const ids = { orderId: "3f2b5c1e-9a4d-4c2e-8f00-1b2c3d4e5f60", customerId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" };

describe("the shop's codec", () => {
  let shop: CodecModule;
  let codec: Codec;
  beforeAll(async () => {
    shop = await load("shop");
    codec = shop.createCodec({ Ordering: { OrderPlaced: { v1: { total: (e: { totalCents: number }) => ({ amountMinor: e.totalCents, currency: "USD" }) } } } });
  });

  it("reads a stored OrderPlaced v1 as v2: default, rename and hook", () => {
    const stored = { type: "OrderPlaced", version: 1, payload: { ...ids, totalCents: 4200, shipTo: address, email: "ada@example.com" } };
    expect(codec.deserialize(stored)).toEqual({
      type: "OrderPlaced",
      data: { ...ids, lines: [], total: { amountMinor: 4200, currency: "USD" }, shipTo: address, contactEmail: "ada@example.com" },
    });
  });

  it("reads a current OrderPlaced v2 as it is", () => {
    const data = { ...ids, lines: [{ sku: "ABC-1", quantity: 2, unitPrice: { amountMinor: 100, currency: "EUR" } }], total: { amountMinor: 200, currency: "EUR" }, shipTo: address, contactEmail: "a@b.co" };
    expect(codec.deserialize({ type: "OrderPlaced", version: 2, payload: data })).toEqual({ type: "OrderPlaced", data });
  });

  it.each([
    [{ type: "OrderShipped", version: 1, payload: {} }, "unknown-type", undefined],
    [{ type: "OrderPlaced", version: 3, payload: {} }, "unknown-version", undefined],
    [{ type: "OrderPlaced", version: 1, payload: { ...ids, totalCents: "4200", shipTo: address, email: "a@b.co" } }, "invalid-payload", "totalCents"],
    [{ type: "OrderPlaced", version: 1, payload: { ...ids, totalCents: 1, shipTo: { ...address, country: "gb" }, email: "a@b.co" } }, "invalid-payload", "shipTo.country"],
  ])("fails with a typed error naming event, version and field: %j", (stored, reason, field) => {
    let error: unknown;
    try {
      codec.deserialize(stored);
    } catch (e) {
      error = e;
    }
    // The runtime's error: generated code holds data, the runtime the behaviour.
    expect(error).toBeInstanceOf(DeserializeError);
    const e = error as DeserializeError;
    expect([e.reason, e.eventType, e.version, e.field]).toEqual([reason, stored.type, stored.version, field]);
    expect(e.message).toContain(stored.type);
  });

  it("validates what a hook returns", () => {
    const bad = shop.createCodec({ Ordering: { OrderPlaced: { v1: { total: () => ({ amountMinor: -1, currency: "USD" }) } } } });
    const stored = { type: "OrderPlaced", version: 1, payload: { ...ids, totalCents: 1, shipTo: address, email: "a@b.co" } };
    expect(() => bad.deserialize(stored)).toThrow(/"OrderPlaced" v1: invalid upcast result at total\.amountMinor/);
  });
});

describe("the parcel lockers' codec", () => {
  const base = { parcelId: ids.orderId, lockerId: ids.customerId };
  let codec: Codec;
  beforeAll(async () => {
    const mod = await load("parcel-lockers");
    codec = mod.createCodec({ Lockers: { ParcelDeposited: { v2: { pickupCode: (e: { parcelId: string }) => e.parcelId.replace(/\D/g, "").slice(0, 6) } } } });
  });

  it("reads v1 through v2 to v3", () => {
    const out = codec.deserialize({ type: "ParcelDeposited", version: 1, payload: { ...base, phone: "+441234567890" } });
    expect(out.data).toEqual({ ...base, recipientPhone: "+441234567890", size: "Medium", pickupCode: "325194", holdFor: 72 * 3_600_000 });
  });

  it("reads v2 to v3", () => {
    const out = codec.deserialize({ type: "ParcelDeposited", version: 2, payload: { ...base, recipientPhone: "+441234567890", size: "Large" } });
    expect(out.data).toMatchObject({ size: "Large", pickupCode: "325194", holdFor: 259_200_000 });
  });
});
