/** Temporal queries: an aggregate's state at a time or a stream position, with and without snapshots. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import { loadState } from "../../src/pipeline/load-state.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, type StoreHarness } from "../store/support.js";
import { bankCodec, bankDecider, type BankCommand } from "./bank.js";

describe.each(ENGINES)("loadState on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  let now = new Date("2024-01-01T00:00:00.000Z");
  const day = (d: number): Date => new Date(Date.UTC(2024, 0, d));
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open({ clock: () => now });
  });
  afterEach(() => harness.dispose());

  /** Opens account a1 on 1 January, then deposits 10 on each day from the 2nd to the 13th. */
  async function history(snapshotEvery?: number): Promise<void> {
    const decider = bankDecider(snapshotEvery === undefined ? {} : { snapshotEvery });
    let n = 0;
    const send = (payload: BankCommand): Promise<unknown> =>
      handleCommand(store, decider, bankCodec(), { messageId: `c-${(n += 1)}`, payload });
    now = day(1);
    await send({ type: "OpenAccount", accountId: "a1", owner: "Ada" });
    for (let d = 2; d <= 13; d++) {
      now = day(d);
      await send({ type: "Deposit", accountId: "a1", amount: 10 });
    }
  }

  it("answers what the state was at a time and at a position", async () => {
    await history();
    const decider = bankDecider();
    const at = (bound: { at: Date } | { position: number }) => loadState(store, decider, bankCodec(), "Account-a1", bound);
    expect(await at({ at: new Date(Date.UTC(2024, 0, 5, 12)) })).toMatchObject({ position: 4, state: { balance: 40 } });
    expect(await at({ at: day(1) })).toMatchObject({ position: 0, state: { open: true, balance: 0 } });
    expect(await at({ at: new Date(Date.UTC(2023, 11, 31)) })).toMatchObject({ position: null, state: { open: false } });
    expect(await at({ position: 2 })).toMatchObject({ position: 2, state: { balance: 20 } });
    expect(await at({ position: 99 })).toMatchObject({ position: 12, state: { balance: 120 } });
  });

  it("uses a snapshot only when it lies before the bound", async () => {
    await history(5);
    const snapshot = await store.loadSnapshot("Account-a1");
    expect(snapshot).toMatchObject({ position: 9, time: day(10).toISOString() });
    const decider = bankDecider({ snapshotEvery: 5 });
    const codec = bankCodec();
    expect(await loadState(store, decider, codec, "Account-a1", { position: 11 })).toMatchObject({ state: { balance: 110 } });
    expect(codec.calls).toBe(2);
    codec.calls = 0;
    expect(await loadState(store, decider, codec, "Account-a1", { position: 3 })).toMatchObject({ state: { balance: 30 } });
    expect(codec.calls).toBe(4);
    codec.calls = 0;
    expect(await loadState(store, decider, codec, "Account-a1", { at: day(12) })).toMatchObject({ position: 11, state: { balance: 110 } });
    expect(codec.calls).toBe(2);
    codec.calls = 0;
    expect(await loadState(store, decider, codec, "Account-a1", { at: day(7) })).toMatchObject({ position: 6, state: { balance: 60 } });
    expect(codec.calls).toBe(7);
  });
});
