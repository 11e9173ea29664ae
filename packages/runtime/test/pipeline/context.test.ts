/**
 * The handler context and expected versions, on every engine: a decider reads the stream's
 * version, the injected clock and the command's metadata; a service the clock and metadata; a
 * command sent against a version its stream does not have is a `conflict`, with nothing stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reject, type CommandEnvelope } from "../../src/pipeline/command-types.js";
import type { CommandContext, DecideContext } from "../../src/pipeline/context.js";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import { runService, type ServiceHandler } from "../../src/pipeline/run-service.js";
import type { EventStore } from "../../src/store/event-store.js";
import type { Decider, EventCodec } from "../../src/types.js";
import { createHarness, ENGINES, type StoreHarness } from "../store/support.js";
import { acceptAll } from "../support/codec.js";
import { bankCodec, bankDecider, type BankCommand, type BankEvent, type BankRejection, type BankState } from "./bank.js";

const NOON = new Date("2026-03-01T12:00:00.000Z");
const clock = (): Date => new Date(NOON);

let seq = 0;
function cmd(payload: BankCommand, extra: Partial<CommandEnvelope<BankCommand>> = {}): CommandEnvelope<BankCommand> {
  seq += 1;
  return { messageId: `ctx-${seq}`, payload, ...extra };
}

/** The bank decider, recording the context of every decision. */
function recording(seen: DecideContext[]): Decider<BankCommand, BankEvent, BankState, BankRejection> {
  const inner = bankDecider();
  return { ...inner, decide: (command, state, context) => (seen.push(context), inner.decide(command, state, context)) };
}

describe.each(ENGINES)("handler context and expected versions on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterEach(() => harness.dispose());

  it("gives the decider the stream's version, the injected clock and the command's metadata", async () => {
    const seen: DecideContext[] = [];
    const decider = recording(seen);
    const codec = bankCodec();
    await handleCommand(store, decider, codec, cmd({ type: "OpenAccount", accountId: "a1", owner: "Ada" }), { clock });
    const deposit = cmd({ type: "Deposit", accountId: "a1", amount: 5 }, { correlationId: "c-1", causationId: "e-9", metadata: { caller: "teller-3", desk: 2 } });
    await handleCommand(store, decider, codec, deposit, { clock });
    await handleCommand(store, decider, codec, cmd({ type: "Deposit", accountId: "a1", amount: 1 }), { clock });
    expect(seen.map((c) => [c.stream, c.version])).toEqual([["Account-a1", 0], ["Account-a1", 1], ["Account-a1", 2]]);
    expect(seen[1]?.now()).toEqual(NOON);
    expect(seen[1]).toMatchObject({ commandId: deposit.messageId, correlationId: "c-1", causationId: "e-9", caller: "teller-3", metadata: { caller: "teller-3", desk: 2 } });
    // A command that starts a conversation: correlated by its own id, caused by nothing, sent by no one said.
    expect(seen[0]).toMatchObject({ correlationId: seen[0]?.commandId, causationId: null, caller: null, metadata: {} });
  });

  it("the system clock unless one is injected", async () => {
    const seen: DecideContext[] = [];
    const before = Date.now();
    await handleCommand(store, recording(seen), bankCodec(), cmd({ type: "OpenAccount", accountId: "a2", owner: "Bo" }));
    expect(seen[0]?.now().getTime()).toBeGreaterThanOrEqual(before);
  });

  it("decides a command at its expected version and answers any other with a conflict, storing nothing", async () => {
    const codec = bankCodec();
    const decider = bankDecider();
    expect(await handleCommand(store, decider, codec, cmd({ type: "OpenAccount", accountId: "a3", owner: "Cy" }, { expectedVersion: 0 }))).toMatchObject({ status: "accepted" });
    const stale = cmd({ type: "Deposit", accountId: "a3", amount: 5 }, { expectedVersion: 0 });
    expect(await handleCommand(store, decider, codec, stale)).toEqual({
      status: "conflict", commandId: stale.messageId, stream: "Account-a3", expectedVersion: 0, actualVersion: 1, duplicate: false,
    });
    expect(await store.streamPosition("Account-a3")).toBe(0);
    expect(await store.commandResult(stale.messageId)).toBeNull();
    // Not recorded: the same command id, sent again at the right version, is decided.
    expect(await handleCommand(store, decider, codec, { ...stale, expectedVersion: 1 })).toMatchObject({ status: "accepted", lastPosition: 1 });
    // A command id handled before answers its first outcome, whatever version it is sent against.
    expect(await handleCommand(store, decider, codec, { ...stale, expectedVersion: 7 })).toMatchObject({ status: "accepted", duplicate: true });
    // Ahead of the stream is a conflict as well.
    expect(await handleCommand(store, decider, codec, cmd({ type: "Deposit", accountId: "a3", amount: 1 }, { expectedVersion: 9 }))).toMatchObject({ status: "conflict", actualVersion: 2 });
  });

  it("of two commands racing at the same expected version, one is accepted and the other is a conflict", async () => {
    const codec = bankCodec();
    const decider = bankDecider();
    await handleCommand(store, decider, codec, cmd({ type: "OpenAccount", accountId: "a4", owner: "Di" }));
    const outcomes = await Promise.all([1, 2, 3].map((amount) => handleCommand(store, decider, codec, cmd({ type: "Deposit", accountId: "a4", amount }, { expectedVersion: 1 }))));
    expect(outcomes.map((o) => o.status).sort()).toEqual(["accepted", "conflict", "conflict"]);
    expect(await store.streamPosition("Account-a4")).toBe(1);
  });

  it("gives a service the clock and the metadata, and checks its expected version before it runs", async () => {
    type Ping = { readonly type: "Ping"; readonly id: string };
    type Ponged = { readonly type: "Ponged"; readonly id: string; readonly at: string; readonly by: string };
    const codec: EventCodec<Ponged> = {
      deserialize: (stored) => ({ type: "Ponged", ...(stored.payload as { id: string; at: string; by: string }) }),
      currentVersion: () => 1,
      redact: (_type, _version, payload) => payload,
      ...acceptAll(),
    };
    const contexts: CommandContext[] = [];
    const pinger: ServiceHandler<Ping, Ponged, string> = {
      name: "Pinger",
      streamOf: (command) => `Ping-${command.id}`,
      handle(command, context) {
        contexts.push(context);
        return context.caller === null ? reject("anonymous") : [{ type: "Ponged", id: command.id, at: context.now().toISOString(), by: context.caller }];
      },
    };
    const ping = (n: number, extra: Partial<CommandEnvelope<Ping>> = {}): CommandEnvelope<Ping> => ({ messageId: `ping-${engine}-${n}`, payload: { type: "Ping", id: "p" }, ...extra });
    expect(await runService(store, pinger, codec, ping(1, { metadata: { caller: "ops" } }), { clock })).toMatchObject({ status: "accepted" });
    expect((await store.readStream("Ping-p"))[0]?.payload).toEqual({ id: "p", at: NOON.toISOString(), by: "ops" });
    expect(await runService(store, pinger, codec, ping(2, { expectedVersion: 0, metadata: { caller: "ops" } }), { clock })).toMatchObject({ status: "conflict", expectedVersion: 0, actualVersion: 1 });
    expect(contexts).toHaveLength(1);
    expect(await runService(store, pinger, codec, ping(3), { clock })).toMatchObject({ status: "rejected", reason: "anonymous" });
  });
});
