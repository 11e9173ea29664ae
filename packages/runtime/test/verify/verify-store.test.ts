/** `verifyStore`: every event through the codec, in batches; unreadable ones reported as found, progress, abort. */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodec } from "../../src/codec/codec.js";
import { defineCodecTable } from "../../src/codec/table.js";
import type { EventStore } from "../../src/store/event-store.js";
import { verifyStore, type UnreadableEvent, type VerifyProgress } from "../../src/verify/verify-store.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "../store/support.js";

const codec = createCodec(defineCodecTable({ events: { Counted: { current: 1, versions: { 1: { schema: z.object({ n: z.int().min(0) }) } } } }, commands: {} }), {});

describe.each(ENGINES)("verifyStore on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  afterEach(() => harness.dispose());

  it("reads every event in batches and reports the unreadable ones in global order", async () => {
    harness = await createHarness(engine);
    store = await harness.open();
    for (let i = 0; i < 7; i++) await store.append(`s-${i % 3}`, [newEvent(i === 6 ? "Other" : "Counted", { n: i === 2 ? -1 : i })], { kind: "any" });
    const found: UnreadableEvent[] = [];
    const progress: VerifyProgress[] = [];
    const report = await verifyStore(store, codec, { batchSize: 3, onUnreadable: (e) => found.push(e), onProgress: (p) => progress.push(p) });
    expect(report).toEqual({ events: 7, unreadable: 2, complete: true });
    expect(found.map((e) => [e.globalPosition, e.stream, e.position, e.type, e.reason, e.path])).toEqual([
      [3, "s-2", 0, "Counted", "invalid-payload", "n"],
      [7, "s-0", 2, "Other", "unknown-type", null],
    ]);
    expect(progress.map((p) => [p.read, p.head, p.unreadable])).toEqual([[3, 7, 1], [6, 7, 1], [7, 7, 2]]);
    const controller = new AbortController();
    const stopped = await verifyStore(store, codec, { batchSize: 3, signal: controller.signal, onProgress: () => controller.abort() });
    expect(stopped).toEqual({ events: 3, unreadable: 1, complete: false });
  });
});
