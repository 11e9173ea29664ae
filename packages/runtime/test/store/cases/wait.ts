/** Conformance: waiting for new events. */
import { expect, it } from "vitest";
import { newEvent, type StoreHarness } from "../support.js";

/** Registers the waitForEvents cases. */
export function waitCases(harness: () => StoreHarness): void {
  it("resolves at once when newer events exist", async () => {
    const store = await harness().open();
    await store.append("s", [newEvent("A", {}), newEvent("A", {})], { kind: "any" });
    expect(await store.waitForEvents(1)).toBe(true);
  });

  it("resolves when this or another connection appends", async () => {
    const h = harness();
    const store = await h.open();
    const other = await h.open();
    const first = store.waitForEvents(0);
    await store.append("s", [newEvent("A", {})], { kind: "any" });
    expect(await first).toBe(true);
    const second = store.waitForEvents(1);
    await other.append("s", [newEvent("A", {})], { kind: "any" });
    expect(await second).toBe(true);
  });

  it("resolves false when aborted or when the store closes", async () => {
    const h = harness();
    const store = await h.open();
    const controller = new AbortController();
    const aborted = store.waitForEvents(0, controller.signal);
    controller.abort();
    expect(await aborted).toBe(false);
    const preAborted = new AbortController();
    preAborted.abort();
    expect(await store.waitForEvents(0, preAborted.signal)).toBe(false);
    const closing = store.waitForEvents(0);
    await store.close();
    expect(await closing).toBe(false);
  });
}
