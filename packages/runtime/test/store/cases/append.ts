/** Conformance: appending, expected versions, command records. */
import { expect, it } from "vitest";
import { DuplicateCommandError } from "../../../src/store/event-store.js";
import { WrongExpectedVersionError } from "../../../src/types.js";
import { newEvent, type StoreHarness } from "../support.js";

/** Registers the append cases. */
export function appendCases(harness: () => StoreHarness): void {
  it("assigns stream positions from 0 and global positions from 1, and keeps every field", async () => {
    const store = await harness().open({ clock: () => new Date("2024-01-15T10:00:00.000Z") });
    const first = newEvent("OrderPlaced", { orderId: "o-1", lines: [{ sku: "a", qty: 2 }], note: "ünïcødé" }, {
      version: 3, correlationId: "corr-9", causationId: "cmd-1", metadata: { userId: "u-1" },
    });
    const second = newEvent("OrderPaid", { orderId: "o-1", amount: 12.5 });
    const result = await store.append("order-o-1", [first, second], { kind: "no-stream" });
    expect(result).toEqual({ lastPosition: 1, lastGlobalPosition: 2 });
    const events = await store.readStream("order-o-1");
    expect(events).toEqual([
      {
        messageId: first.messageId, type: "OrderPlaced", version: 3, stream: "order-o-1", position: 0, globalPosition: 1,
        time: "2024-01-15T10:00:00.000Z", correlationId: "corr-9", causationId: "cmd-1", metadata: { userId: "u-1" },
        payload: { orderId: "o-1", lines: [{ sku: "a", qty: 2 }], note: "ünïcødé" },
      },
      {
        messageId: second.messageId, type: "OrderPaid", version: 1, stream: "order-o-1", position: 1, globalPosition: 2,
        time: "2024-01-15T10:00:00.000Z", correlationId: "corr-1", causationId: null, metadata: {},
        payload: { orderId: "o-1", amount: 12.5 },
      },
    ]);
    expect(await store.streamPosition("order-o-1")).toBe(1);
    expect(await store.streamPosition("order-none")).toBeNull();
  });

  it("checks the expected version: exact, no-stream and any", async () => {
    const store = await harness().open();
    await store.append("s", [newEvent("A", {})], { kind: "no-stream" });
    await store.append("s", [newEvent("A", {})], { kind: "exact", position: 0 });
    await store.append("s", [newEvent("A", {})], { kind: "any" });
    await store.append("fresh", [newEvent("A", {})], { kind: "any" });
    // exact −1 is "no events yet", the lastPosition an empty stream reports.
    await store.append("empty", [newEvent("A", {})], { kind: "exact", position: -1 });
    await expect(store.append("empty", [newEvent("A", {})], { kind: "exact", position: -1 })).rejects.toThrow(WrongExpectedVersionError);
    const stale = store.append("s", [newEvent("A", {})], { kind: "exact", position: 0 });
    await expect(stale).rejects.toThrow(WrongExpectedVersionError);
    await expect(stale).rejects.toMatchObject({ stream: "s", actualPosition: 2 });
    await expect(stale).rejects.toThrow('stream "s" expected position 0 but is at position 2');
    await expect(store.append("s", [newEvent("A", {})], { kind: "no-stream" })).rejects.toMatchObject({
      name: "WrongExpectedVersionError", actualPosition: 2,
    });
    const missing = store.append("nope", [newEvent("A", {})], { kind: "exact", position: 0 });
    await expect(missing).rejects.toMatchObject({ actualPosition: null });
    expect(await store.streamPosition("s")).toBe(2);
    expect(await store.streamPosition("nope")).toBeNull();
    expect(await store.headPosition()).toBe(5);
  });

  it("writes nothing when the expected version fails", async () => {
    const store = await harness().open();
    await store.append("s", [newEvent("A", {})], { kind: "no-stream" });
    const rejected = store.append("s", [newEvent("A", {}), newEvent("B", {})], { kind: "no-stream" }, {
      command: { id: "c-1", result: { ok: true } },
    });
    await expect(rejected).rejects.toThrow(WrongExpectedVersionError);
    expect(await store.headPosition()).toBe(1);
    expect(await store.readAll(1, 10)).toHaveLength(1);
    expect(await store.outbox.fetchUnsent(10)).toHaveLength(1);
    expect(await store.commandResult("c-1")).toBeNull();
    // The next append continues the global order with no gap.
    expect(await store.append("t", [newEvent("A", {})], { kind: "no-stream" })).toEqual({
      lastPosition: 0, lastGlobalPosition: 2,
    });
  });

  it("records a command with its events and refuses the same command id again", async () => {
    const store = await harness().open();
    const command = { id: "cmd-42", result: { status: "accepted", events: ["e1"] } };
    await store.append("s", [newEvent("A", {})], { kind: "no-stream" }, { command });
    const record = await store.commandResult("cmd-42");
    expect(record).toMatchObject({ commandId: "cmd-42", stream: "s", result: command.result, lastGlobalPosition: 1 });
    expect(typeof record?.time).toBe("string");
    const again = store.append("s", [newEvent("A", {})], { kind: "any" }, { command });
    await expect(again).rejects.toThrow(DuplicateCommandError);
    await expect(again).rejects.toMatchObject({ record: { commandId: "cmd-42", result: command.result } });
    expect(await store.headPosition()).toBe(1);
    expect(await store.commandResult("cmd-other")).toBeNull();
  });

  it("appends no events but records the command, checking the version", async () => {
    const store = await harness().open();
    const result = await store.append("s", [], { kind: "no-stream" }, { command: { id: "c-0", result: "nothing" } });
    expect(result.lastPosition).toBe(-1);
    expect(await store.commandResult("c-0")).toMatchObject({ result: "nothing", lastGlobalPosition: null });
    expect(await store.headPosition()).toBe(0);
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    await expect(store.append("s", [], { kind: "exact", position: 3 })).rejects.toThrow(WrongExpectedVersionError);
  });

  it("keeps events after the store is closed and opened again", async () => {
    const h = harness();
    const store = await h.open();
    await store.append("s", [newEvent("A", { n: 1 }), newEvent("A", { n: 2 })], { kind: "no-stream" });
    if (h.engine === "memory") return;
    await store.close();
    const again = await h.open();
    expect((await again.readStream("s")).map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await again.headPosition()).toBe(2);
    await again.append("s", [newEvent("A", { n: 3 })], { kind: "exact", position: 1 });
    expect(await again.headPosition()).toBe(3);
  });

  it("rejects an empty stream name", async () => {
    const store = await harness().open();
    await expect(store.append("", [newEvent("A", {})], { kind: "any" })).rejects.toThrow(RangeError);
  });
}
