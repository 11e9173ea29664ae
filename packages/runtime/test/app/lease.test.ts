/** Leases: one holder at a time, taken over after expiry or release; a projection advanced by its holder only. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "../../src/app/lease.js";
import { ProjectionRunner } from "../../src/projection/projection-runner.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "../store/support.js";
import { shopCodec } from "../projection/shop.js";

describe.each(ENGINES)("leases on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterEach(() => harness.dispose());

  it("has one holder until it expires or is released", async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const a = new Lease(store, "projection:P", { holder: "a", ttlMs: 3_000, ...clock });
    const b = new Lease(store, "projection:P", { holder: "b", ttlMs: 3_000, ...clock });
    expect(await a.ensure()).toBe(true);
    expect(await b.ensure()).toBe(false);
    now += 1_500; // a renews (past a third of its time), b still cannot take it
    expect(await a.ensure()).toBe(true);
    expect(await b.ensure()).toBe(false);
    now += 3_001; // a stopped renewing: expired
    expect(await b.ensure()).toBe(true);
    expect(await a.ensure()).toBe(false);
    expect(await a.current()).toMatchObject({ holder: "b" });
    await b.release();
    expect(await a.current()).toBeNull();
    expect(await a.ensure()).toBe(true);
    // Another lease name is independent.
    expect(await new Lease(store, "relay", { holder: "b", ...clock }).ensure()).toBe(true);
  });

  it("gives a lease to exactly one of many racing instances", async () => {
    const leases = Array.from({ length: 6 }, (_, i) => new Lease(store, "workflow:W", { holder: `h${i}` }));
    const taken = await Promise.all(leases.map((l) => l.ensure()));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it("lets only the holder's runner advance a projection, and hands it over on a stop", async () => {
    const projection = {
      name: "Counts", events: ["OrderPlaced"] as const, keyOf: () => "all",
      initialRow: () => ({ n: 0 }), apply: (row: { n: number }) => ({ n: row.n + 1 }),
    };
    const batches = { a: 0, b: 0 };
    const runner = (who: "a" | "b") =>
      new ProjectionRunner(store, shopCodec(), projection, {
        lease: new Lease(store, "projection:Counts", { holder: who, ttlMs: 600 }),
        onBatch: () => void (batches[who] += 1),
      });
    const a = runner("a");
    const stopA = new AbortController();
    const runA = a.run(stopA.signal);
    await until(async () => (await new Lease(store, "projection:Counts").current())?.holder === "a");
    const stopB = new AbortController();
    const runB = runner("b").run(stopB.signal);
    for (let i = 0; i < 5; i++) await store.append(`Account-${i}`, [newEvent("OrderPlaced", { orderId: "o", customerId: "c", total: 1 })], { kind: "any" });
    await until(async () => (await a.row("all"))?.n === 5);
    expect(batches.b).toBe(0);
    stopA.abort();
    await runA;
    await store.append("Account-9", [newEvent("OrderPlaced", { orderId: "o", customerId: "c", total: 1 })], { kind: "any" });
    await until(async () => (await a.row("all"))?.n === 6);
    expect(batches.b).toBeGreaterThan(0);
    stopB.abort();
    await runB;
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
