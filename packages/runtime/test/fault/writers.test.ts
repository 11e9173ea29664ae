/**
 * Two writer processes append at the same expected version: exactly one wins; the other fails
 * with WrongExpectedVersionError, or — through the command pipeline — retries and succeeds, or
 * fails with a clear ConcurrencyConflictError when it may not retry.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import { loadState } from "../../src/pipeline/load-state.js";
import type { EventStore } from "../../src/store/event-store.js";
import { bankCodec, bankDecider } from "../pipeline/bank.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { startChild, type Child, type ChildMessage } from "./child.js";

describe.each(["sqlite", "postgres"] as const)("two writer processes on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  let children: Child[] = [];
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
    await handleCommand(store, bankDecider(), bankCodec(), { messageId: "open", payload: { type: "OpenAccount", accountId: "a1", owner: "Ada" } });
    await handleCommand(store, bankDecider(), bankCodec(), { messageId: "fund", payload: { type: "Deposit", accountId: "a1", amount: 100 } });
  });
  afterEach(async () => {
    for (const child of children) await child.kill();
    children = [];
    await harness.dispose();
  });

  /** Starts both writers, waits until both loaded the stream at position 1, lets them go, collects results. */
  async function race(mode: string, maxRetries: number): Promise<ChildMessage[]> {
    children = ["w1", "w2"].map((id) => startChild("writer.ts", [harness.url, mode, id, String(maxRetries)]));
    const ready = await Promise.all(children.map((child) => child.next("ready")));
    expect(ready.map((m) => m["position"])).toEqual([1, 1]);
    for (const child of children) child.send({ kind: "go" });
    const results = await Promise.all(children.map((child) => child.next("result")));
    expect(await Promise.all(children.map((child) => child.exited))).toEqual([0, 0]);
    return results;
  }

  it("lets exactly one raw append win", async () => {
    const results = await race("raw", 0);
    const outcomes = results.map((r) => r["outcome"]).sort();
    expect(outcomes).toEqual(["lost", "won"]);
    const loser = results.find((r) => r["outcome"] === "lost");
    expect(loser).toMatchObject({ error: "WrongExpectedVersionError", message: 'stream "Account-a1" expected position 1 but is at position 2' });
    expect((await store.readStream("Account-a1")).map((e) => e.position)).toEqual([0, 1, 2]);
  });

  it("retries the losing command, so both withdrawals land in order", async () => {
    const results = await race("pipeline", 3);
    expect(results.map((r) => r["outcome"])).toEqual(["accepted", "accepted"]);
    expect(results.map((r) => r["appends"]).sort()).toEqual([1, 2]);
    const { state, position } = await loadState(store, bankDecider(), bankCodec(), "Account-a1", { position: 99 });
    expect(position).toBe(3);
    expect(state.balance).toBe(40);
  });

  it("fails the losing command clearly when it may not retry", async () => {
    const results = await race("pipeline", 0);
    const loser = results.find((r) => r["outcome"] === "failed");
    expect(results.map((r) => r["outcome"]).sort()).toEqual(["accepted", "failed"]);
    expect(loser?.["error"]).toBe("ConcurrencyConflictError");
    expect(String(loser?.["message"])).toMatch(/^command w[12] could not be appended to stream "Account-a1": another writer appended first on each of 1 attempt\./);
    expect(await store.commandResult(String(loser?.["commandId"]))).toBeNull();
    expect(await store.streamPosition("Account-a1")).toBe(2);
  });
});
