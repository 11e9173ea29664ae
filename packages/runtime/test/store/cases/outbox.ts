/** Conformance: the transactional outbox. */
import { expect, it } from "vitest";
import { newEvent, type StoreHarness } from "../support.js";

/** Registers the outbox cases. */
export function outboxCases(harness: () => StoreHarness): void {
  it("queues one outbox row per appended event, in id order, until marked sent", async () => {
    const store = await harness().open();
    await store.append("a", [newEvent("A", { n: 1 }), newEvent("A", { n: 2 })], { kind: "any" });
    await store.append("b", [newEvent("B", { n: 3 })], { kind: "any" });
    const rows = await store.outbox.fetchUnsent(10);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows.map((r) => [r.envelope.stream, r.envelope.payload])).toEqual([
      ["a", { n: 1 }], ["a", { n: 2 }], ["b", { n: 3 }],
    ]);
    expect(rows[0]?.envelope).toEqual((await store.readAll(1, 1))[0]);
    expect((await store.outbox.fetchUnsent(2)).map((r) => r.id)).toEqual([1, 2]);
    await store.outbox.markSent([1, 3, 99]);
    expect((await store.outbox.fetchUnsent(10)).map((r) => r.id)).toEqual([2]);
    await store.outbox.markSent([2, 2]);
    await store.outbox.markSent([]);
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    await store.append("a", [newEvent("A", { n: 4 })], { kind: "any" });
    expect((await store.outbox.fetchUnsent(10)).map((r) => r.id)).toEqual([4]);
  });

  it("keeps unsent rows across a reopen (a relay that died resumes)", async () => {
    const h = harness();
    const store = await h.open();
    await store.append("a", [newEvent("A", {}), newEvent("A", {})], { kind: "any" });
    await store.outbox.markSent([1]);
    if (h.engine === "memory") return;
    await store.close();
    const again = await h.open();
    expect((await again.outbox.fetchUnsent(10)).map((r) => r.id)).toEqual([2]);
  });
}
