/**
 * The PostgreSQL command path in two round trips: one read (command record, snapshot, stream)
 * and one call of `eda_append`. Every statement the store's connections send is counted; the
 * NOTIFY that follows an append (postgres-announce.ts) is counted apart, since no command waits
 * for it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import type { EventStore } from "../../src/store/event-store.js";
import { PostgresEventStore } from "../../src/store/postgres-store.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";
import { recordStatements } from "../support/pg-statements.js";
import { bankCodec, bankDecider } from "./bank.js";

describe("the PostgreSQL command path", () => {
  let harness: StoreHarness;
  let store: EventStore;
  let statements: string[];
  const isNotify = (s: string): boolean => s.includes("pg_notify");
  beforeEach(async () => {
    harness = await createHarness("postgres");
    store = await harness.open();
    statements = recordStatements();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await harness.dispose();
  });

  it("sends two statements per command, on a new stream, an existing one, past a snapshot and for a rejection", async () => {
    const decider = bankDecider({ snapshotEvery: 3 });
    const send = async (id: string, payload: Parameters<typeof decider.decide>[0]): Promise<string[]> => {
      statements.length = 0;
      await handleCommand(store, decider, bankCodec(), { messageId: id, payload });
      return statements.filter((s) => !isNotify(s));
    };
    expect(await send("c1", { type: "OpenAccount", accountId: "a1", owner: "Ada" })).toHaveLength(2);
    expect(await send("c2", { type: "Deposit", accountId: "a1", amount: 5 })).toHaveLength(2);
    // The third event reaches snapshotEvery: the snapshot is saved by a third statement.
    expect(await send("c3", { type: "Deposit", accountId: "a1", amount: 5 })).toHaveLength(3);
    const past = await send("c4", { type: "Deposit", accountId: "a1", amount: 5 });
    expect(past).toHaveLength(2);
    expect(past[1]).toContain("eda_append");
    // The appends are announced once committed, by a statement of their own, which the command
    // does not wait for: inside the append's transaction, the NOTIFY would make its commit hold
    // PostgreSQL's server-wide NOTIFY lock through the WAL flush.
    const defined = await store.autocommit!.query<{ name: string; def: string }>(
      "SELECT proname AS name, pg_get_functiondef(oid) AS def FROM pg_proc WHERE proname IN ('eda_append', 'eda_write', 'eda_append_many')",
    );
    // eda_append twice: with the first data keys that ride along, and without.
    expect(defined.map((f) => f.name).sort()).toEqual(["eda_append", "eda_append", "eda_append_many", "eda_write"]);
    expect(defined.filter((f) => f.def.includes("pg_notify"))).toEqual([]);
    const head = (await store.readAll(1, 100)).at(-1)?.globalPosition;
    await vi.waitFor(() => expect(statements.filter(isNotify).at(-1)).toMatch(new RegExp(` ${head}$`)));
    const notifies = (): number => statements.filter(isNotify).length;
    statements.length = 0;
    expect(await send("c5", { type: "Withdraw", accountId: "a1", amount: 1_000 })).toHaveLength(2);
    // A rejection and a command seen before append no events: nothing to announce.
    // A command seen before is answered by the first statement alone.
    expect(await send("c4", { type: "Deposit", accountId: "a1", amount: 5 })).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notifies()).toBe(0);
    const events = await store.readStream("Account-a1");
    expect(events.map((e) => e.type)).toEqual(["AccountOpened", "Deposited", "Deposited", "Deposited"]);
    expect((await store.loadSnapshot("Account-a1"))?.position).toBe(2);
  });

  it("sends appends that arrive together as one batch, each with its own checks and answer", async () => {
    const event = (i: number) => newEvent("Deposited", { accountId: "a", amount: i });
    statements.length = 0;
    const results = await Promise.allSettled([
      ...Array.from({ length: 8 }, (_, i) => store.append(`Free-${i}`, [event(i), event(i)], { kind: "no-stream" })),
      // One stream, one expected version: exactly one wins.
      ...Array.from({ length: 5 }, (_, i) => store.append("Contested", [event(i)], { kind: "no-stream" })),
      // One command id: the first records it, the others are duplicates.
      ...Array.from({ length: 4 }, (_, i) => store.append(`Cmd-${i}`, [event(i)], { kind: "any" }, { command: { id: "same", result: { n: i } } })),
    ]);
    const status = results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as Error).name));
    expect(status.slice(0, 8)).toEqual(Array(8).fill("ok"));
    expect(status.slice(8, 13).sort()).toEqual(["WrongExpectedVersionError", "WrongExpectedVersionError", "WrongExpectedVersionError", "WrongExpectedVersionError", "ok"]);
    expect(status.slice(13).sort()).toEqual(["DuplicateCommandError", "DuplicateCommandError", "DuplicateCommandError", "ok"]);
    // Fewer statements than appends: the ones that waited went together.
    expect(statements.length).toBeLessThan(results.length);
    expect(statements.some((s) => s.includes("eda_append_many"))).toBe(true);
    const all = await store.readAll(1, 100);
    // In global order; the appends that lost leave their positions unused (gaps).
    expect(all.map((e) => e.globalPosition)).toEqual([...all.map((e) => e.globalPosition)].sort((a, b) => a - b));
    expect(all).toHaveLength(8 * 2 + 1 + 1);
    const streams = [...Array.from({ length: 8 }, (_, i) => `Free-${i}`), ...Array<string>(5).fill("Contested"), ...Array.from({ length: 4 }, (_, i) => `Cmd-${i}`)];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") expect(all.find((e) => e.globalPosition === r.value.lastGlobalPosition)?.stream).toBe(streams[i]);
    });
    expect((await store.readStream("Free-3")).map((e) => e.position)).toEqual([0, 1]);
  });

  it("groups the appends of the commands under way: eight senders in step share one append per round", async () => {
    const decider = bankDecider();
    const appendCalls = (): number => statements.filter((s) => s.includes("eda_append")).length;
    // Lone senders: one append each, never grouped.
    statements.length = 0;
    for (let i = 0; i < 3; i++) await handleCommand(store, decider, bankCodec(), { messageId: `lone-${i}`, payload: { type: "OpenAccount", accountId: `l${i}`, owner: "Ada" } });
    expect(statements.filter((s) => s.includes("eda_append_many"))).toHaveLength(0);
    // A long linger makes the grouping certain on a loaded machine: without it, the first append
    // of each round would leave alone while the seven others wait (1 + 7, two calls per round).
    const grouped = await PostgresEventStore.open(harness.url, { appendLingerMs: 500 });
    try {
      const rounds = 5;
      const send = (round: number, sender: number) =>
        handleCommand(grouped, decider, bankCodec(), { messageId: `g-${round}-${sender}`, payload: round === 0 ? { type: "OpenAccount", accountId: `g${sender}`, owner: "Ada" } : { type: "Deposit", accountId: `g${sender}`, amount: round } });
      statements.length = 0;
      await Promise.all(Array.from({ length: 8 }, async (_, sender) => {
        for (let round = 0; round < rounds; round++) expect((await send(round, sender)).status).toBe("accepted");
      }));
      expect(appendCalls()).toBeLessThanOrEqual(rounds + 1);
      for (let sender = 0; sender < 8; sender++) expect(await grouped.readStream(`Account-g${sender}`)).toHaveLength(rounds);
      // A command that reads and appends nothing (a rejection) does not hold the next append back for good.
      const rejected = await send(9, 0).then(() => handleCommand(grouped, decider, bankCodec(), { messageId: "too-much", payload: { type: "Withdraw", accountId: "g1", amount: 1_000_000 } }));
      expect(rejected.status).toBe("rejected");
      expect((await send(10, 2)).status).toBe("accepted");
    } finally {
      await grouped.close();
    }
  });
});
