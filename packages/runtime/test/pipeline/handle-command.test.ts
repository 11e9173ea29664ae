/** The command pipeline, on every engine: envelopes, rejections, idempotency, snapshots, retries. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConcurrencyConflictError, type CommandEnvelope } from "../../src/pipeline/command-types.js";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, ENGINES, newEvent, type StoreHarness } from "../store/support.js";
import { bankCodec, bankDecider, type BankCommand } from "./bank.js";

let seq = 0;
function cmd(payload: BankCommand, extra: Partial<CommandEnvelope<BankCommand>> = {}): CommandEnvelope<BankCommand> {
  seq += 1;
  return { messageId: `cmd-${seq}`, payload, ...extra };
}

describe.each(ENGINES)("handleCommand on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterEach(() => harness.dispose());

  it("appends the decided events with correlation, causation and metadata from the command", async () => {
    const codec = bankCodec();
    const open = cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }, { correlationId: "corr-7", metadata: { user: "u1" } });
    const outcome = await handleCommand(store, bankDecider(), codec, open);
    expect(outcome).toMatchObject({
      status: "accepted", commandId: open.messageId, stream: "Account-a1", lastPosition: 0, lastGlobalPosition: 1, duplicate: false,
      events: [{ type: "AccountOpened", position: 0 }],
    });
    const [event] = await store.readStream("Account-a1");
    expect(event).toMatchObject({
      type: "AccountOpened", version: 2, correlationId: "corr-7", causationId: open.messageId, metadata: { user: "u1" },
      payload: { accountId: "a1", owner: "Ada", currency: "EUR" },
    });
    expect(outcome.status === "accepted" && outcome.events[0]?.messageId).toBe(event?.messageId);
    const deposit = cmd({ type: "Deposit", accountId: "a1", amount: 5 });
    await handleCommand(store, bankDecider(), codec, deposit);
    const [, second] = await store.readStream("Account-a1");
    // A command that starts a conversation correlates by its own id.
    expect(second).toMatchObject({ correlationId: deposit.messageId, causationId: deposit.messageId, metadata: {} });
  });

  it("returns a rejection as data and appends nothing", async () => {
    const outcome = await handleCommand(store, bankDecider(), bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: 5 }));
    expect(outcome).toMatchObject({ status: "rejected", reason: "not-open", stream: "Account-a1", duplicate: false });
    expect(await store.headPosition()).toBe(0);
  });

  it("handles the same command id once: the second time appends nothing and returns the first result", async () => {
    const decider = bankDecider();
    await handleCommand(store, decider, bankCodec(), cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }));
    const deposit = cmd({ type: "Deposit", accountId: "a1", amount: 10 });
    const first = await handleCommand(store, decider, bankCodec(), deposit);
    const second = await handleCommand(store, decider, bankCodec(), deposit);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await store.headPosition()).toBe(2);
    const refused = cmd({ type: "Withdraw", accountId: "a1", amount: 50 });
    const firstRefusal = await handleCommand(store, decider, bankCodec(), refused);
    await handleCommand(store, decider, bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: 100 }));
    // Even though the withdrawal would now succeed, the same command id keeps its first answer.
    expect(await handleCommand(store, decider, bankCodec(), refused)).toEqual({ ...firstRefusal, duplicate: true });
    expect(await store.headPosition()).toBe(3);
  });

  it("upcasts stored old versions before evolving", async () => {
    await store.append("Account-a1", [newEvent("AccountOpened", { accountId: "a1", owner: "Old" }, { version: 1 })], { kind: "no-stream" });
    const outcome = await handleCommand(store, bankDecider(), bankCodec(), cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }));
    expect(outcome).toMatchObject({ status: "rejected", reason: "already-open" });
  });

  it("loads from the latest snapshot plus the tail, and ignores snapshots of another shape", async () => {
    const decider = bankDecider({ snapshotEvery: 5 });
    await handleCommand(store, decider, bankCodec(), cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }));
    for (let i = 1; i <= 11; i++) await handleCommand(store, decider, bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: i }));
    expect(await store.loadSnapshot("Account-a1")).toMatchObject({
      position: 9, schemaTag: "Account", state: { open: true, balance: 45, applied: 10 },
    });
    const codec = bankCodec();
    const outcome = await handleCommand(store, decider, codec, cmd({ type: "Withdraw", accountId: "a1", amount: 66 }));
    expect(outcome).toMatchObject({ status: "accepted", lastPosition: 12 });
    expect(codec.calls).toBe(2);
    const retagged = bankCodec();
    const other = bankDecider({ snapshotEvery: 5, snapshotTag: "Account@2" });
    await handleCommand(store, other, retagged, cmd({ type: "Deposit", accountId: "a1", amount: 1 }));
    expect(retagged.calls).toBe(13);
    expect(await store.loadSnapshot("Account-a1")).toMatchObject({ position: 13, schemaTag: "Account@2" });
  });

  it("retries after losing a race, and fails clearly when retries run out", async () => {
    const decider = bankDecider();
    await handleCommand(store, decider, bankCodec(), cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }));
    const racing = interfering(store, 2);
    const outcome = await handleCommand(racing, decider, bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: 1 }));
    expect(outcome).toMatchObject({ status: "accepted", lastPosition: 3 });
    const always = interfering(store, Infinity);
    const failing = handleCommand(always, decider, bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: 1 }, { messageId: "cmd-x" }), {
      maxRetries: 2, retryDelayMs: () => 0,
    });
    await expect(failing).rejects.toThrow(ConcurrencyConflictError);
    await expect(failing).rejects.toMatchObject({ attempts: 3, stream: "Account-a1", commandId: "cmd-x" });
    await expect(failing).rejects.toThrow(/another writer appended first on each of 3 attempts/);
    expect(await store.commandResult("cmd-x")).toBeNull();
  });

  it("serializes concurrent commands on one stream without losing an update", async () => {
    const decider = bankDecider();
    await handleCommand(store, decider, bankCodec(), cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }));
    await handleCommand(store, decider, bankCodec(), cmd({ type: "Deposit", accountId: "a1", amount: 100 }));
    const other = engine === "memory" ? store : await harness.open();
    const withdrawals = Array.from({ length: 5 }, (_, i) =>
      handleCommand(i % 2 === 0 ? store : other, decider, bankCodec(), cmd({ type: "Withdraw", accountId: "a1", amount: 30 }), { maxRetries: 20 }),
    );
    const outcomes = await Promise.all(withdrawals);
    expect(outcomes.filter((o) => o.status === "accepted")).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => o.status === "rejected" && o.reason)).toEqual([
      "insufficient-funds", "insufficient-funds",
    ]);
    expect((await store.readStream("Account-a1")).map((e) => e.position)).toEqual([0, 1, 2, 3, 4]);
  });
});

/** A store whose next `times` appends are each preceded by a competing append to the same stream. */
function interfering(store: EventStore, times: number): EventStore {
  let left = times;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== "append") return Reflect.get(target, property, receiver) as unknown;
      const append: EventStore["append"] = async (stream, events, expected, options) => {
        if (left > 0 && events.length > 0) {
          left -= 1;
          await target.append(stream, [newEvent("Deposited", { accountId: "a1", amount: 0 })], { kind: "any" });
        }
        return target.append(stream, events, expected, options);
      };
      return append;
    },
  });
}
