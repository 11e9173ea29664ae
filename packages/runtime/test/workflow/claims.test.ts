/**
 * Workflow instances claimed one by one: several app instances share a workflow's commands and
 * deadlines, no workflow instance is run by two at once, and the instances of an app instance
 * that stops renewing (it died) move to the others once their claims expire.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "../../src/app/lease.js";
import type { EventStore } from "../../src/store/event-store.js";
import type { CommandMeta, CommandSender } from "../../src/workflow/definition.js";
import { createOrchestrator } from "../../src/workflow/orchestrator.js";
import { workflowTables } from "../../src/workflow/tables.js";
import { waitFor } from "../bus/support/wait.js";
import { createHarness, ENGINES, type StoreHarness } from "../store/support.js";
import { deserializeMessage } from "./support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld, type ShopCommand } from "./support/shop.js";

const TTL_MS = 600;

interface Send {
  readonly holder: string;
  readonly commandId: string;
  readonly correlation: string;
  readonly start: number;
  end: number;
}

describe.each(ENGINES)("workflow instances claimed one by one on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
  });
  afterEach(() => harness.dispose());

  const orchestrator = (on: EventStore, holder: string, send: CommandSender<ShopCommand>) =>
    createOrchestrator(checkout, {
      store: on,
      send,
      deserialize: deserializeMessage,
      startAt: "beginning",
      pollIntervalMs: 5,
      tickIntervalMs: 20,
      lease: new Lease(on, "workflow:Checkout", { holder, ttlMs: TTL_MS }),
    });

  it("has one claimant per instance until the claim expires or is given up; pending leaves out others' instances", async () => {
    const coordinator = orchestrator(store, "a", shopSender(store, shopWorld()));
    await coordinator.init();
    const send = shopSender(store, shopWorld());
    for (const id of ["o1", "o2"]) await place(send, placeOrder(id));
    await coordinator.catchUp();
    const now = 1_000_000;
    const tables = <T>(fn: (t: ReturnType<typeof workflowTables>) => Promise<T>) => store.transaction((tx) => fn(workflowTables(tx)));
    expect(await tables((t) => t.claimInstance("Checkout", "o1", "a", now, now + 1_000))).toBe(true);
    expect(await tables((t) => t.claimInstance("Checkout", "o1", "b", now + 500, now + 1_500))).toBe(false);
    expect(await tables((t) => t.claimInstance("Checkout", "o1", "a", now + 900, now + 1_900))).toBe(true);
    // Others' unexpired claims hide their instances' commands; one's own do not.
    const pendingOf = (holder: string, nowMs: number) => tables((t) => t.pending("Checkout", 10, { holder, nowMs })).then((cs) => cs.map((c) => c.correlation));
    expect(await pendingOf("b", now + 1_000)).toEqual(["o2"]);
    expect(await pendingOf("a", now + 1_000)).toEqual(["o1", "o2"]);
    // a stopped renewing: past the expiry b takes the instance over.
    expect(await pendingOf("b", now + 1_900)).toEqual(["o1", "o2"]);
    expect(await tables((t) => t.claimInstance("Checkout", "o1", "b", now + 1_900, now + 2_900))).toBe(true);
    expect(await tables((t) => t.claimInstance("Checkout", "o1", "a", now + 1_901, now + 2_901))).toBe(false);
    await tables((t) => t.claimInstance("Checkout", "o2", "b", now + 1_901, now + 2_901));
    expect(await coordinator.instanceClaims()).toEqual([
      { correlation: "o1", holder: "b", heldUntil: now + 2_900 },
      { correlation: "o2", holder: "b", heldUntil: now + 2_901 },
    ]);
    await tables((t) => t.releaseClaims("Checkout", "b", "o1"));
    expect((await coordinator.instanceClaims()).map((c) => c.correlation)).toEqual(["o2"]);
    await tables((t) => t.releaseClaims("Checkout", "b"));
    expect(await coordinator.instanceClaims()).toEqual([]);
  });

  it("shares the commands of one workflow between two app instances, never runs an instance in both at once, and moves a dead one's instance after its claim expires", async () => {
    const world = shopWorld();
    const sends: Send[] = [];
    const other = engine === "memory" ? store : await harness.open();
    // Each app instance's sender takes a while, so that the two overlap in time.
    const sender = (holder: string, on: EventStore): CommandSender<ShopCommand> => {
      const real = shopSender(on, world);
      return async (command: ShopCommand, meta: CommandMeta) => {
        const record: Send = { holder, commandId: meta.messageId, correlation: String(meta.metadata?.["correlation"]), start: Date.now(), end: Number.POSITIVE_INFINITY };
        sends.push(record);
        await new Promise((resolve) => setTimeout(resolve, 15));
        const outcome = await real(command, meta);
        record.end = Date.now();
        return outcome;
      };
    };
    const a = orchestrator(store, "a", sender("a", store));
    const b = orchestrator(other, "b", sender("b", other));
    await a.init();

    // An app instance "c" claimed o-dead, marked its first command sending, and died.
    await place(shopSender(store, world), placeOrder("o-dead"));
    await a.catchUp();
    const [stuck] = await a.commands("o-dead");
    const claimedAt = Date.now();
    await store.transaction(async (tx) => {
      expect(await workflowTables(tx).claimInstance("Checkout", "o-dead", "c", claimedAt, claimedAt + TTL_MS)).toBe(true);
      expect(await workflowTables(tx).claim(stuck!.commandId)).toBe(true);
    });

    const stop = new AbortController();
    const running = [a.run(stop.signal), b.run(stop.signal)];
    const orders = Array.from({ length: 12 }, (_, i) => `o${i}`);
    for (const id of orders) await place(shopSender(store, world), placeOrder(id));
    const completed = async () => (await a.instances()).filter((i) => i.state.kind === "completed").length;
    // Completed, and every command sent: a run's last transition queues its `complete` command,
    // which is sent after it (stopping at the transition left ConfirmOrder pending).
    const undispatched = async () => (await a.commands()).filter((c) => c.status !== "dispatched").length;
    await waitFor(async () => (await completed()) === orders.length + 1 && (await undispatched()) === 0, "every checkout to complete and its commands to be sent", 30_000);
    stop.abort();
    await Promise.all(running);

    // Shared: both app instances sent commands of the workflow.
    expect(new Set(sends.map((s) => s.holder))).toEqual(new Set(["a", "b"]));
    // Never both at once: the sends of one workflow instance by different app instances never overlap.
    for (const x of sends) {
      for (const y of sends) {
        if (x.holder !== y.holder && x.correlation === y.correlation) expect(x.end <= y.start || y.end <= x.start).toBe(true);
      }
    }
    // Every command was sent once, the dead one's too — after its claim expired, not before.
    const ids = sends.map((s) => s.commandId);
    expect(ids).toHaveLength(new Set(ids).size);
    const moved = sends.find((s) => s.commandId === stuck!.commandId);
    expect(moved?.start).toBeGreaterThanOrEqual(claimedAt + TTL_MS);
    expect((await a.commands()).filter((c) => c.status !== "dispatched")).toEqual([]);
    // Stopped app instances give their claims up.
    expect(await a.instanceClaims()).toEqual([]);
  });
});
