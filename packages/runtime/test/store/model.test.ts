/**
 * Model-based property: any sequence of appends (random streams, sizes and expected versions)
 * behaves on every engine exactly as a plain reference model says — which appends succeed,
 * the positions they get, and what readAll, readStream and the outbox return afterwards.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventStore } from "../../src/store/event-store.js";
import { WrongExpectedVersionError, type ExpectedVersion } from "../../src/types.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "./support.js";

interface Step {
  readonly stream: number;
  readonly count: number;
  readonly expected: { kind: "any" } | { kind: "no-stream" } | { kind: "exact"; offset: number };
}

const step: fc.Arbitrary<Step> = fc.record({
  stream: fc.integer({ min: 0, max: 2 }),
  count: fc.integer({ min: 0, max: 3 }),
  expected: fc.oneof(
    fc.constant({ kind: "any" as const }),
    fc.constant({ kind: "no-stream" as const }),
    // offset 0 = the right position most of the time; others are stale or ahead.
    fc.integer({ min: -2, max: 1 }).map((offset) => ({ kind: "exact" as const, offset })),
  ),
});

/** Runs the steps on the store and on the model, comparing as it goes. */
async function check(store: EventStore, run: number, steps: readonly Step[]): Promise<void> {
  const head = await store.headPosition();
  const lengths = [0, 0, 0];
  const order: string[] = [];
  for (const s of steps) {
    const stream = `run${run}-s${s.stream}`;
    const length = lengths[s.stream] ?? 0;
    const expected: ExpectedVersion =
      s.expected.kind === "exact" ? { kind: "exact", position: length - 1 + s.expected.offset } : s.expected;
    const ok = expected.kind === "any" || (expected.kind === "no-stream" ? length === 0 : expected.position === length - 1);
    const events = Array.from({ length: s.count }, (_, i) => newEvent("E", { stream, n: length + i }));
    const result = store.append(stream, events, expected);
    if (!ok) {
      await expect(result).rejects.toBeInstanceOf(WrongExpectedVersionError);
      continue;
    }
    expect(await result).toEqual({ lastPosition: length + s.count - 1, lastGlobalPosition: head + order.length + s.count });
    lengths[s.stream] = length + s.count;
    for (const e of events) order.push(e.messageId);
  }
  const all = await store.readAll(head + 1, 1000);
  expect(all.map((e) => e.messageId)).toEqual(order);
  expect(all.map((e) => e.globalPosition)).toEqual(order.map((_, i) => head + 1 + i));
  for (const [index, length] of lengths.entries()) {
    const events = await store.readStream(`run${run}-s${index}`);
    expect(events.map((e) => e.position)).toEqual(Array.from({ length }, (_, i) => i));
    expect(events.map((e) => (e.payload as { n: number }).n)).toEqual(Array.from({ length }, (_, i) => i));
  }
  const unsent = await store.outbox.fetchUnsent(1000);
  expect(unsent.map((r) => r.envelope.messageId)).toEqual(order);
  await store.outbox.markSent(unsent.map((r) => r.id));
}

describe.each(ENGINES)("event store against a reference model: %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeAll(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterAll(() => harness.dispose());

  it("agrees with the model on any sequence of appends", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), (steps) => check(store, (run += 1), steps)),
      { numRuns: engine === "postgres" ? 40 : 100 },
    );
  });
});
