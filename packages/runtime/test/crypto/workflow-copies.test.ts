/**
 * What a workflow keeps of personal data in its tables, on SQLite and PostgreSQL. A command's
 * `@pii(subject)` fields are sealed in an orchestrator's queue (`eda_workflow_commands`) — they
 * were stored in plain text, only events' plans being looked up — and so are a run's awaited
 * events, kept by type (the walk looked for `{ type, data }` objects only). An event read before a
 * forget that commits before the run is stored is read again, not sealed under a new key.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCodecTable } from "../../src/codec/table.js";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { createOrchestrator } from "../../src/workflow/orchestrator.js";
import type { EventStore, StoreTransaction } from "../../src/store/event-store.js";
import { KeyEpochMovedError } from "../../src/crypto/key-epoch.js";
import { workflowTables } from "../../src/workflow/tables.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { testClock } from "../workflow/support/harness.js";
import { deserializeMessage, recording } from "../workflow/support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld } from "../workflow/support/shop.js";

/** `ChargePayment`'s amount as the personal data of the order (a stand-in for an e-mail or a card). */
const table = defineCodecTable({
  events: {},
  commands: {
    ChargePayment: { schema: z.object({ orderId: z.string(), amount: z.unknown().optional() }), encrypt: { subject: "orderId", fields: { amount: "absent" } } },
  },
});

/** `OrderPlaced`'s contact e-mail as the personal data of its customer. */
const placedTable = defineCodecTable({
  events: {
    OrderPlaced: {
      current: 1,
      versions: { 1: { schema: z.object({ orderId: z.string(), customerId: z.string(), contactEmail: z.string() }).loose(), encrypt: { subject: "customerId", fields: { contactEmail: "placeholder" } } } },
    },
  },
  commands: {},
});

/** `PaymentCaptured`'s amount as personal data of the order (its awaited event). */
const awaitedTable = defineCodecTable({
  events: {
    PaymentCaptured: { current: 1, versions: { 1: { schema: z.object({ orderId: z.string(), amount: z.unknown().optional() }), encrypt: { subject: "orderId", fields: { amount: "absent" } } } } },
  },
  commands: {},
});

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe.each(["sqlite", "postgres"] as const)("a workflow's queued commands on %s", (engine) => {
  it("are stored sealed, reach their handler in clear, and read without the field once the subject is forgotten", async () => {
    harness = await createHarness(engine);
    const clock = testClock();
    const inner = await harness.open({ clock });
    const store = encryptedStore(inner, table, sqlKeyStore(inner));
    const world = shopWorld();
    const recorder = recording(shopSender(store, world));
    const orchestrator = createOrchestrator(checkout, { store, send: recorder.send, deserialize: deserializeMessage, clock });
    await orchestrator.init();
    await place(shopSender(store, world), placeOrder("o1", { amountMinor: 4_321 }));
    await orchestrator.settle();

    const charge = recorder.log.find((r) => r.type === "ChargePayment");
    expect(charge?.data).toEqual({ orderId: "o1", amount: { amountMinor: 4_321, currency: "EUR" } });
    const rows = await inner.transaction((tx) => tx.sql!.query<{ command: unknown }>("SELECT command FROM eda_workflow_commands"));
    const stored = rows.map((r) => (typeof r.command === "string" ? r.command : JSON.stringify(r.command)));
    const chargeRow = stored.find((c) => c.includes('"ChargePayment"'));
    expect(chargeRow).toContain('"eda:enc"');
    expect(chargeRow).not.toContain("4321");
    // Other commands carry no plan: stored as they are.
    expect(stored.find((c) => c.includes('"ReserveStock"'))).not.toContain('"eda:enc"');

    const queued = async () => (await orchestrator.commands("o1")).find((c) => c.command.type === "ChargePayment")?.command.data;
    expect(await queued()).toEqual({ orderId: "o1", amount: { amountMinor: 4_321, currency: "EUR" } });
    expect(await store.forget("o1")).toBe(1);
    expect(await queued()).toEqual({ orderId: "o1" });
  });

  it("keep an awaited event's personal fields sealed in the run's row", async () => {
    const { inner, store, world, orchestrator } = await checkoutOn(engine);
    await place(shopSender(store, world), placeOrder("o2", { amountMinor: 8_765 }));
    await orchestrator.settle();
    const rows = await inner.transaction((tx) => tx.sql!.query<Record<string, unknown>>("SELECT * FROM eda_workflow_instances"));
    const run = Object.values(rows[0] ?? {})
      .map((v) => (typeof v === "string" && v.startsWith("{") ? (JSON.parse(v) as unknown) : v))
      .find((v): v is { events: Record<string, Record<string, unknown>> } => typeof v === "object" && v !== null && "events" in v);
    // The payment's amount (8765 in the order too, which has no plan here) is in the sealed entry only.
    expect(Object.keys(run?.events["PaymentCaptured"] ?? {}).sort()).toEqual(["eda:enc", "orderId"]);
    // Read back through the store, the run holds the event's data as it was.
    expect((await orchestrator.instance("o2"))?.events["PaymentCaptured"]).toEqual({ orderId: "o2", amount: { amountMinor: 8_765, currency: "EUR" } });
  });

  it("do not keep an event read before a forget that commits before the run is stored: no key is made for the subject again", async () => {
    harness = await createHarness(engine);
    const clock = testClock();
    const inner = await harness.open({ clock });
    const encrypted = encryptedStore(inner, placedTable, sqlKeyStore(inner));
    // Another process's `eda forget` commits just after the orchestrator read the order.
    let forgotten = 0;
    const store = new Proxy(encrypted, {
      get: (target, prop) => {
        if (prop === "readAll") {
          return async (from: number, size: number) => {
            const events = await target.readAll(from, size);
            if (forgotten === 0 && events.some((e) => e.type === "OrderPlaced")) forgotten = await sqlKeyStore(inner).forget("customer-o3");
            return events;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const world = shopWorld();
    const orchestrator = createOrchestrator(checkout, { store, send: shopSender(store, world), deserialize: deserializeMessage, clock });
    await orchestrator.init();
    await place(shopSender(store, world), placeOrder("o3"));
    await orchestrator.settle();
    expect(forgotten).toBe(1);
    const run = await orchestrator.instance("o3");
    expect(run?.state).toEqual({ kind: "completed" });
    expect((run?.start.data as { contactEmail: string }).contactEmail).toBe("[forgotten]");
    expect((await sqlKeyStore(inner).keysOf(["customer-o3"])).get("customer-o3") ?? []).toEqual([]);
    const rows = JSON.stringify(await inner.transaction((tx) => tx.sql!.query("SELECT * FROM eda_workflow_instances")));
    expect(rows).not.toContain("@example");
  });
});

/** The checkout orchestrator on an encrypting store of `engine` (awaited events sealed), started. */
async function checkoutOn(engine: "sqlite" | "postgres") {
  harness = await createHarness(engine);
  const clock = testClock();
  const inner = await harness.open({ clock });
  const store = encryptedStore(inner, awaitedTable, sqlKeyStore(inner));
  const world = shopWorld();
  const orchestrator = createOrchestrator(checkout, { store, send: shopSender(store, world), deserialize: deserializeMessage, clock });
  await orchestrator.init();
  return { inner, store, world, orchestrator };
}

/** `inner` whose transactions call `hook` after each statement (before its result is opened). */
function hooked(inner: EventStore, hook: (text: string) => Promise<void>): EventStore {
  return new Proxy(inner, {
    get: (target, prop) => {
      if (prop === "transaction") {
        return (fn: (tx: StoreTransaction) => Promise<unknown>) =>
          target.transaction((tx) => {
            const sql = tx.sql!;
            const wrapped = { dialect: sql.dialect, query: async (text: string, params?: readonly unknown[]) => {
              const rows = await sql.query(text, params);
              await hook(text);
              return rows;
            } };
            return fn(new Proxy(tx, { get: (t, p) => (p === "sql" ? wrapped : typeof Reflect.get(t, p, t) === "function" ? (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind(t) : Reflect.get(t, p, t)) }));
          });
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// A forget committing inside another transaction: PostgreSQL only (SQLite runs one transaction at a time).
describe("a run loaded and saved in one transaction, a forget committing between (PostgreSQL)", () => {
  it("fails the transaction before it writes, and the run keeps the placeholder afterwards", async () => {
    harness = await createHarness("postgres");
    const clock = testClock();
    const inner = await harness.open({ clock });
    const store = encryptedStore(inner, placedTable, sqlKeyStore(inner));
    const world = shopWorld();
    world.silentCharges.set("o4", 1); // the run waits at chargePayment
    const orchestrator = createOrchestrator(checkout, { store, send: shopSender(store, world), deserialize: deserializeMessage, clock });
    await orchestrator.init();
    await place(shopSender(store, world), placeOrder("o4"));
    await orchestrator.settle();
    // As the dispatcher's outcome and a deadline do: load the run (decrypted), save it again.
    const saved = store.transaction(async (tx) => {
      const tables = workflowTables(tx);
      const run = await tables.load("Checkout", "o4");
      expect((run?.start.data as { contactEmail: string }).contactEmail).toBe("o4@example.com");
      expect(await store.forget("customer-o4", { purge: false })).toBe(1);
      await tables.save(run!);
    });
    await expect(saved).rejects.toBeInstanceOf(KeyEpochMovedError);
    const run = await orchestrator.instance("o4");
    expect((run?.start.data as { contactEmail: string }).contactEmail).toBe("[forgotten]");
    expect((await sqlKeyStore(inner).keysOf(["customer-o4"])).get("customer-o4") ?? []).toEqual([]);
  });

  it("the dispatcher records a refused command's outcome on its next round, the e-mail forgotten", async () => {
    harness = await createHarness("postgres");
    const clock = testClock();
    const base = await harness.open({ clock });
    let armed = false;
    let forgot = 0;
    const forgetNow = { run: async (): Promise<number> => 0 };
    const inner = hooked(base, async (text) => {
      // Dispatcher.record loads the run, then reads the command: the forget commits there.
      if (armed && text.startsWith("SELECT") && text.includes("FROM eda_workflow_commands WHERE command_id")) {
        armed = false;
        forgot = await forgetNow.run();
      }
    });
    const store = encryptedStore(inner, placedTable, sqlKeyStore(base));
    forgetNow.run = () => store.forget("customer-o5", { purge: false });
    const world = shopWorld();
    world.refuseCharges.add("o5");
    const orchestrator = createOrchestrator(checkout, {
      store,
      send: async (command, meta) => {
        if (command.type === "ChargePayment" && forgot === 0) armed = true;
        return shopSender(store, world)(command, meta);
      },
      deserialize: deserializeMessage,
      clock,
    });
    await orchestrator.init();
    await place(shopSender(store, world), placeOrder("o5"));
    await orchestrator.settle().catch(() => undefined);
    await orchestrator.settle();
    expect(forgot).toBe(1);
    const run = await orchestrator.instance("o5");
    expect(run?.rejections.length).toBeGreaterThan(0);
    expect((run?.start.data as { contactEmail: string }).contactEmail).toBe("[forgotten]");
    expect((await sqlKeyStore(base).keysOf(["customer-o5"])).get("customer-o5") ?? []).toEqual([]);
  });
});

/** An order whose start event carries a map (`gifts: map<string, Gift>`) keyed by the customer's text. */
function withGifts(orderId: string, gifts: Record<string, unknown>) {
  const command = placeOrder(orderId);
  return { ...command, data: { ...command.data, gifts } } as typeof command;
}

describe.each(["sqlite", "postgres"] as const)("a run's map keyed like a type with a plan, on %s", (engine) => {
  it("does not wedge the orchestrator", async () => {
    const { store, world, orchestrator } = await checkoutOn(engine);
    // A gift card labelled "PaymentCaptured" by the customer.
    await place(shopSender(store, world), withGifts("o6", { PaymentCaptured: { amount: 25 } }));
    // It failed: "cannot encrypt a workflow's message: its subject field "orderId" holds no id", for ever.
    await expect(orchestrator.settle()).resolves.toBeUndefined();
  });

  it("keeps a map value as it was when another subject is forgotten", async () => {
    const { store, world, orchestrator } = await checkoutOn(engine);
    await place(shopSender(store, world), withGifts("o7", { PaymentCaptured: { orderId: "someone-else", amount: 25 } }));
    await orchestrator.settle();
    await store.forget("someone-else");
    const run = await orchestrator.instance("o7");
    // The amount was sealed under "someone-else" and went with their forget.
    expect((run?.start.data as { gifts: unknown }).gifts).toEqual({ PaymentCaptured: { orderId: "someone-else", amount: 25 } });
  });
});
