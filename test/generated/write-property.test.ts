/**
 * A property of the write path, through the shop's generated `createApp` on SQLite and
 * PostgreSQL: a valid PlaceOrder with one random mutation (a field replaced by any JSON value —
 * text holding U+0000, fractions, negatives, huge numbers, nested junk — a field removed, a key
 * added) is either accepted with stored events the model reads back, or rejected by the domain,
 * or answered `invalid` with nothing stored. After each engine's run, `eda store verify` (the
 * process, on the store the run left) exits 0.
 *
 * Seeded and bounded for CI: EDA_PROPERTY_RUNS (default 120 on SQLite, a third of it on
 * PostgreSQL) and EDA_PROPERTY_SEED make longer or other runs, e.g.
 * `EDA_PROPERTY_RUNS=5000 pnpm vitest run test/generated/write-property.test.ts`.
 */
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, runEda } from "../cli/helpers.js";
import { HERE } from "./helpers.js";
import { freshStore, loadShop, openShop, SQL_ENGINES, type Shop } from "./shop-app.js";

const RUNS = Number(process.env["EDA_PROPERTY_RUNS"] ?? 120);
const SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 20_261_127);

let shop!: Shop;
beforeAll(async () => {
  ensureBundle();
  shop = await loadShop();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const sku = fc.stringMatching(/^[A-Z0-9-]{3,12}$/);
const money = fc.record({ amountMinor: fc.integer({ min: 0, max: 100_000 }), currency: fc.constantFrom("EUR") });
const validOrder = fc.record({
  orderId: fc.uuid({ version: 4 }),
  customerId: fc.uuid({ version: 4 }),
  lines: fc.array(fc.record({ sku, quantity: fc.integer({ min: 1, max: 20 }), unitPrice: money }), { minLength: 1, maxLength: 3 }),
  shipTo: fc.record({ line1: fc.string({ maxLength: 20 }), city: fc.constantFrom("Leeds", "Paris"), postalCode: fc.constantFrom("LS1 4AP", "75002"), country: fc.constantFrom("GB", "FR") }),
  contactEmail: fc.constantFrom("ada@example.com", "b.o+x@mail.example.org"),
});

/** Values a mutation puts in: any JSON, and the awkward ones on purpose. */
const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  fc.constantFrom<Json>("a\u0000b", "", -5, 1.5, 1e308, -0, "not-a-uuid", "nope", [], {}, null, "💥".repeat(40)),
);

/** Every path to a value of `data` (objects and arrays included). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => paths(v, [...prefix, i])) : Object.entries(value).map(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

type Mutation = { kind: "set"; at: number; value: Json } | { kind: "delete"; at: number } | { kind: "add"; at: number; key: string; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: fc.string({ maxLength: 8 }), value: junk }),
);

function mutate(data: Json, m: Mutation): Json {
  const copy = structuredClone(data) as { [key: string]: Json };
  const all = paths(copy).filter((p) => p.length > 0);
  const at = all[m.at % all.length] as (string | number)[];
  const parent = at.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k] as Json, copy) as Record<string | number, Json>;
  const key = at[at.length - 1] as string | number;
  if (m.kind === "set") parent[key] = m.value;
  else if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (typeof parent[key] === "object" && parent[key] !== null && !Array.isArray(parent[key])) (parent[key] as Record<string, Json>)[m.key] = m.value;
  else parent[m.key] = m.value;
  return copy;
}

describe.each(SQL_ENGINES)("mutated commands on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(engine);
  });
  afterAll(() => store.drop());

  it("are accepted with readable events, rejected, or refused with nothing stored; the store verifies clean", async () => {
    const app = await openShop(shop, store.url);
    const codec = shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts });
    let n = 0;
    const outcomes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(validOrder, mutation, async (order, m) => {
          const data = mutate(order as unknown as Json, m);
          const commandId = `p-${(n += 1)}`;
          const before = await app.store.headPosition();
          const outcome = await app.send({ type: "PlaceOrder", data } as never, { commandId });
          outcomes.set(outcome.status, (outcomes.get(outcome.status) ?? 0) + 1);
          if (outcome.status === "invalid") {
            expect(outcome.issues.length).toBeGreaterThan(0);
            expect(await app.store.headPosition()).toBe(before);
            expect(await app.store.commandResult(commandId)).toBeNull();
            return;
          }
          expect(codec.validateCommand({ type: "PlaceOrder", data }).ok).toBe(true);
          if (outcome.status === "accepted") {
            const stored = await app.store.readStream(outcome.stream, { fromPosition: outcome.events[0]?.position ?? 0 });
            for (const e of stored) expect(() => codec.deserialize(e)).not.toThrow();
          }
        }),
        { numRuns: engine === "sqlite" ? RUNS : Math.ceil(RUNS / 3), seed: SEED },
      );
    } finally {
      await app.close();
    }
    // The generator's mix: both answers happen.
    expect(outcomes.get("invalid") ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("accepted") ?? 0).toBeGreaterThan(0);
    const verify = await runEda(["store", "verify", "--store", store.url, "--codec", path.join(HERE, "shop-generated", "codec.ts"), "--upcasts", path.join(HERE, "shop-hooks.ts")], HERE);
    expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: "" });
    expect(verify.stdout).toMatch(/^verified [\d,]+ events?: every one reads\n$/);
  }, 180_000);
});
