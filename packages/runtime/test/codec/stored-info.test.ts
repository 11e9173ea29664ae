/**
 * The upcasts' `compute` hooks get the stored event's facts through `deserialize`: read back from
 * a real SQLite store, through a chain v1 → v2 → v3 that hands the same read-only object to every
 * step, and through `verifyStore`. A hook written with one parameter still works. A bare payload
 * gives only the facts it has: a hook that reads another fails, naming it; none is made up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodec } from "../../src/codec/codec.js";
import { StoredInfoUnavailableError, type StoredEventInfo } from "../../src/codec/stored-info.js";
import { defineCodecTable } from "../../src/codec/table.js";
import { openStore } from "../../src/engine/open-store.js";
import type { EventStore } from "../../src/store/event-store.js";
import { verifyStore } from "../../src/verify/verify-store.js";
import { thrown } from "./thrown.js";

const V1 = z.object({ parcelId: z.uuid(), phone: z.string() });
const V2 = z.object({ parcelId: z.uuid(), phone: z.string(), pickupCode: z.string().regex(/^[A-F0-9]{6}$/) });
const V3 = V2.extend({ currency: z.enum(["USD", "EUR"]) });
type V1 = z.infer<typeof V1>;
type V2 = z.infer<typeof V2>;

/** Shaped as a generated `<Context>UpcastHooks`: `(event, stored) => value` per computed field. */
interface Hooks {
  readonly ParcelDeposited: {
    readonly v1: { pickupCode(event: V1, stored: StoredEventInfo): string };
    readonly v2: { currency(event: V2, stored: StoredEventInfo): "USD" | "EUR" };
  };
}

/** As the generator writes it: each step's upcast passes the stored facts on to its hooks. */
const table = defineCodecTable<Hooks>({
  events: {
    ParcelDeposited: {
      current: 3,
      versions: {
        1: { schema: V1, up: (e: V1, h: Hooks, s: StoredEventInfo) => ({ ...e, pickupCode: h.ParcelDeposited.v1.pickupCode(e, s) }), next: 2 },
        2: { schema: V2, up: (e: V2, h: Hooks, s: StoredEventInfo) => ({ ...e, currency: h.ParcelDeposited.v2.currency(e, s) }), next: 3 },
        3: { schema: V3 },
      },
    },
  },
  commands: {},
});

const PARCEL = "3f1c2a9e-4b7d-4c1e-9a2b-00000000c0de";
const STREAM = `Lockers.Parcel-${PARCEL}`;
const BEFORE_EURO = new Date("2023-06-01T08:30:00.000Z");
const AFTER_EURO = new Date("2025-02-01T10:00:00.000Z");

/** Hooks that read the stream and the time, recording what each step was given. */
function readingHooks(seen: [string, StoredEventInfo][]): Hooks {
  return {
    ParcelDeposited: {
      v1: {
        pickupCode: (_event, stored) => (seen.push(["v1", stored]), stored.stream.slice(-6).toUpperCase()),
      },
      v2: {
        currency: (_event, stored) => (seen.push(["v2", stored]), stored.time < "2024-01-01" ? "USD" : "EUR"),
      },
    },
  };
}

let dir: string;
let store: EventStore;
let now: Date;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "eda-stored-info-"));
  now = BEFORE_EURO;
  store = await openStore(`sqlite:${join(dir, "events.db")}`, { clock: () => now });
  const deposited = (id: string, version: number, payload: unknown) => ({ messageId: id, type: "ParcelDeposited", version, correlationId: `c-${id}`, causationId: "cmd-1", metadata: { kiosk: 7, site: { city: "Lyon" } }, payload });
  await store.append(STREAM, [deposited("m-1", 1, { parcelId: PARCEL, phone: "+33 6 00 00 00 00" })], { kind: "no-stream" });
  now = AFTER_EURO;
  await store.append(STREAM, [deposited("m-2", 2, { parcelId: PARCEL, phone: "+33 6 00 00 00 00", pickupCode: "ABC123" })], { kind: "exact", position: 0 });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("compute hooks read the stored event", () => {
  it("through a v1 → v2 → v3 chain, every step gets the same facts as the store recorded them", async () => {
    const seen: [string, StoredEventInfo][] = [];
    const codec = createCodec(table, readingHooks(seen));
    const [first, second] = await store.readStream(STREAM);
    expect(codec.deserialize(first as NonNullable<typeof first>).data).toEqual({ parcelId: PARCEL, phone: "+33 6 00 00 00 00", pickupCode: "00C0DE", currency: "USD" });
    expect(seen.map(([step]) => step)).toEqual(["v1", "v2"]);
    const [[, atV1], [, atV2]] = seen as [[string, StoredEventInfo], [string, StoredEventInfo]];
    expect(atV2).toBe(atV1);
    expect({ ...atV1 }).toEqual({
      type: "ParcelDeposited",
      version: 1,
      messageId: "m-1",
      stream: STREAM,
      position: 0,
      globalPosition: 1,
      time: BEFORE_EURO.toISOString(),
      correlationId: "c-m-1",
      causationId: "cmd-1",
      metadata: { kiosk: 7, site: { city: "Lyon" } },
    });
    // The v2 event starts its chain at v2, stored after the switch: its own time decides.
    expect(codec.deserialize(second as NonNullable<typeof second>).data).toMatchObject({ pickupCode: "ABC123", currency: "EUR" });
    expect(seen.slice(2).map(([step, s]) => [step, s.version, s.position, s.time])).toEqual([["v2", 2, 1, AFTER_EURO.toISOString()]]);
  });

  it("gives hooks a frozen copy: a hook cannot change what the readers after it see", async () => {
    const changing: Hooks = {
      ParcelDeposited: {
        v1: {
          pickupCode: (_event, stored) => {
            (stored as { time: string }).time = "1970-01-01T00:00:00.000Z";
            return "000000";
          },
        },
        v2: { currency: () => "EUR" },
      },
    };
    const [first] = await store.readStream(STREAM);
    const e = thrown(() => createCodec(table, changing).deserialize(first as NonNullable<typeof first>));
    expect(e.reason).toBe("upcast-failed");
    expect((e.cause as Error).message).toMatch(/^Cannot assign to read only property 'time'/);
    expect(first?.time).toBe(BEFORE_EURO.toISOString());
  });

  it("gives hooks a frozen copy of the metadata too, at every level", async () => {
    const [first] = await store.readStream(STREAM);
    const writing = (write: (metadata: Record<string, unknown>) => void): Hooks => ({
      ParcelDeposited: {
        v1: {
          pickupCode: (_event, stored) => {
            write(stored.metadata as Record<string, unknown>);
            return "000000";
          },
        },
        v2: { currency: () => "EUR" },
      },
    });
    const top = thrown(() => createCodec(table, writing((m) => (m["kiosk"] = 8))).deserialize(first as NonNullable<typeof first>));
    expect((top.cause as Error).message).toMatch(/^Cannot assign to read only property 'kiosk'/);
    const nested = thrown(() => createCodec(table, writing((m) => ((m["site"] as { city: string }).city = "Paris"))).deserialize(first as NonNullable<typeof first>));
    expect((nested.cause as Error).message).toMatch(/^Cannot assign to read only property 'city'/);
    expect(first?.metadata).toEqual({ kiosk: 7, site: { city: "Lyon" } });
  });

  it("still calls a hook written with the event only, in a chain with one that reads the facts", async () => {
    const mixed: Hooks = {
      ParcelDeposited: {
        v1: { pickupCode: (event) => event.parcelId.slice(-6).toUpperCase() },
        v2: { currency: (_event, stored) => (stored.time < "2024-01-01" ? "USD" : "EUR") },
      },
    };
    const [first] = await store.readStream(STREAM);
    expect(createCodec(table, mixed).deserialize(first as NonNullable<typeof first>).data).toMatchObject({ pickupCode: "00C0DE", currency: "USD" });
  });

  it("verifyStore reads every event with its facts", async () => {
    const seen: [string, StoredEventInfo][] = [];
    expect(await verifyStore(store, createCodec(table, readingHooks(seen)))).toEqual({ events: 2, unreadable: 0, complete: true });
    expect(seen.map(([step, s]) => [step, s.messageId, s.globalPosition, s.stream])).toEqual([
      ["v1", "m-1", 1, STREAM],
      ["v2", "m-1", 1, STREAM],
      ["v2", "m-2", 2, STREAM],
    ]);
  });
});

describe("a payload without its stored event", () => {
  const payload = { parcelId: PARCEL, phone: "+33 6 00 00 00 00" };

  it("fails a hook that reads a fact it was not given, naming the fact, instead of making one up", () => {
    const codec = createCodec(table, readingHooks([]));
    const e = thrown(() => codec.deserialize({ type: "ParcelDeposited", version: 1, payload }));
    expect(e.reason).toBe("upcast-failed");
    expect(e.cause).toBeInstanceOf(StoredInfoUnavailableError);
    expect((e.cause as StoredInfoUnavailableError).fact).toBe("stream");
    expect(e.message).toBe('"ParcelDeposited" v1: the upcast threw: the hook read stored.stream, which deserialize was not given (a payload without its stored event\'s stream)');
    // Given where it is but not when: the stream reads, the time fails.
    const located = { type: "ParcelDeposited", version: 1, payload, stream: STREAM, position: 0, globalPosition: 1 };
    const late = thrown(() => codec.deserialize(located));
    expect((late.cause as StoredInfoUnavailableError).fact).toBe("time");
  });

  it("reads as before when the hooks need no fact", () => {
    const codec = createCodec(table, { ParcelDeposited: { v1: { pickupCode: () => "FFFFFF" }, v2: { currency: (_e, stored) => (stored.version === 1 ? "USD" : "EUR") } } });
    expect(codec.deserialize({ type: "ParcelDeposited", version: 1, payload }).data).toMatchObject({ pickupCode: "FFFFFF", currency: "USD" });
  });
});
