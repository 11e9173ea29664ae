/**
 * The operator commands as processes on a real project (the shop generated with `eda generate`,
 * inside the repository so @eda/runtime resolves as installed): `eda projections status` (each
 * projection's checkpoint against the store's head, on SQLite and PostgreSQL) and `eda workflows
 * list | show` (runs made by the shop's generated app, with their transitions) and `eda dlq list | show | replay |
 * discard` (on a RabbitMQ virtual host and a NATS stream prefix of the test's own), as tables and
 * as JSON.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import { implementation, loadShop, openShop, orderId, placeOrder } from "../generated/shop-app.js";
import { createVhost } from "../../packages/runtime/test/bus/support/rabbit.js";
import { createTestStream } from "../../packages/runtime/test/bus/support/nats.js";
import { envelope } from "../../packages/runtime/test/bus/support/envelopes.js";
import { ensureBundle, ROOT, runEda } from "./helpers.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `status-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");
const ADMIN = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";
const HOUR = 3_600_000;

let runtime: typeof Runtime;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", store: "sqlite:store/shop.db" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

/** Three events stored an hour ago; CustomerOrders has applied the first. */
async function fill(url: string): Promise<void> {
  const store = await runtime.openStore(url, { clock: () => new Date(Date.now() - HOUR) });
  try {
    for (const id of ["a", "b", "c"]) await store.append(`Ordering.Order-${id}`, [{ messageId: id, type: "OrderPlaced", version: 2, correlationId: id, causationId: null, payload: {} }], { kind: "no-stream" });
    await store.transaction((tx) => tx.setCheckpoint("projection:Ordering.CustomerOrders", { position: 1, lastEventTime: null }));
  } finally {
    await store.close();
  }
}

async function postgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `eda_status_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe("eda projections status", () => {
  it("shows each projection's checkpoint, lag and state on SQLite (the config's store)", async () => {
    await fill(`sqlite:${join(PROJECT, "store", "shop.db")}`);
    const run = await runEda(["projections", "status"], PROJECT);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^projection\s+position\s+head\s+behind\s+oldest unapplied\s+parked\s+state$/);
    expect(lines[1]).toMatch(/^Ordering\.CustomerOrders\s+1\s+3\s+2\s+36\d\d s ago\s+0\s+behind$/);

    const json = await runEda(["projections", "status", "--format", "json"], PROJECT);
    const rows = JSON.parse(json.stdout) as { projection: string; position: number; head: number; eventsBehind: number; secondsBehind: number; started: boolean; stopped: boolean }[];
    expect(rows).toMatchObject([{ projection: "Ordering.CustomerOrders", runner: "projection:Ordering.CustomerOrders", started: true, position: 1, head: 3, eventsBehind: 2, parked: 0, stopped: false }]);
    expect(rows[0]?.secondsBehind).toBeGreaterThan(3_500);
  });

  it("reads a PostgreSQL store named by EDA_STORE, a projection never started shown as such", async () => {
    const db = await postgresUrl();
    try {
      const store = await runtime.openStore(db.url);
      await store.append("Ordering.Order-x", [{ messageId: "x", type: "OrderPlaced", version: 2, correlationId: "x", causationId: null, payload: {} }], { kind: "no-stream" });
      await store.close();
      const run = await runEda(["projections", "status", "--format", "json"], PROJECT, { EDA_STORE: db.url });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toMatchObject([{ projection: "Ordering.CustomerOrders", started: false, position: 0, head: 1, eventsBehind: 1 }]);
    } finally {
      await db.drop();
    }
  });

  it("refuses a store that does not exist, exit 2", async () => {
    const run = await runEda(["projections", "status", "--store", `sqlite:${join(PROJECT, "nowhere.db")}`], PROJECT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no SQLite store at");
  });
});

describe("eda workflows list | show", () => {
  it("lists the runs the shop's app made and shows one with its commands", async () => {
    const file = join(PROJECT, "store", "runs.db");
    const shop = await loadShop();
    const app = await openShop(shop, `sqlite:${file}`, {}, implementation(shop));
    const order = orderId(0x51);
    try {
      expect(await app.send(placeOrder(order))).toMatchObject({ status: "accepted" });
      await app.settle();
    } finally {
      await app.close();
    }
    const store = ["--store", `sqlite:${file}`];
    const list = await runEda(["workflows", "list", ...store], PROJECT);
    expect(list.stderr).toBe("");
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^workflow\s+correlation\s+state\s+started\s+last moved\s+retry at\s+times out at$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^Checkout\\s+${order}\\s+completed\\s+\\d{4}-`))]);

    const show = await runEda(["workflows", "show", order, ...store], PROJECT);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Checkout ${order}: completed`);
    expect(show.stdout).toMatch(/completed steps: reserveStock, chargePayment, scheduleShipment/);
    expect(show.stdout).toMatch(/ {4}\d{4}-\S+ {2}ReserveStock {2}dispatched \S+ \(accepted\)/);
    // The run's transitions, each with its time and the event that caused it.
    const transitions = show.stdout.slice(show.stdout.indexOf("  transitions:\n"), show.stdout.indexOf("  commands:\n")).split("\n").slice(1, -1);
    expect(transitions.map((t) => t.replace(/^ {4}\d{4}-\d\d-\d\dT[\d:.]+Z {2}/, "").replace(/ \S+$/, ""))).toEqual([
      "start -> awaiting:reserveStock  by event OrderPlaced",
      "awaiting:reserveStock -> awaiting:chargePayment  by event StockReserved",
      "awaiting:chargePayment -> awaiting:scheduleShipment  by event PaymentCaptured",
      "awaiting:scheduleShipment -> completed  by event ShipmentScheduled",
    ]);

    const json = JSON.parse((await runEda(["workflows", "show", order, "--format", "json", ...store], PROJECT)).stdout) as { instance: { state: unknown }; commands: { command: { type: string } }[] }[];
    expect(json[0]?.instance.state).toEqual({ kind: "completed" });
    expect(json[0]?.commands.map((c) => c.command.type)).toEqual(["ReserveStock", "ChargePayment", "ScheduleShipment", "ConfirmOrder"]);

    const missing = await runEda(["workflows", "show", "nobody", ...store], PROJECT);
    expect(missing).toMatchObject({ code: 1, stdout: "", stderr: 'eda: no workflow run has the correlation "nobody"\n' });
  }, 60_000);
});

describe("eda workflows: a run whose compensation was rejected", () => {
  it("says so in the list and shows the rejection's reason, escaped for the terminal", async () => {
    const file = join(PROJECT, "store", "rejected.db");
    const shop = await loadShop({ write: false });
    const base = implementation(shop);
    const reservation = shop.reservation.reservation;
    // The payment is declined (above the card limit); releasing the stock is then refused.
    const refusal = shop.runtime.reject({ code: "warehouse-closed", note: "\u001b[31m\u009b2J" });
    const refusing: typeof reservation = { ...reservation, decide: (command, state, context) => (command.type === "ReleaseStock" ? refusal : reservation.decide(command, state, context)) };
    const app = await openShop(shop, `sqlite:${file}`, {}, { ...base, Inventory: { Reservation: refusing } });
    const order = orderId(0x52);
    const declined = placeOrder(order);
    try {
      const lines = declined.data.lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice, amountMinor: 60_000 } }));
      expect(await app.send({ ...declined, data: { ...declined.data, lines } })).toMatchObject({ status: "accepted" });
      await app.settle();
    } finally {
      await app.close();
    }
    const store = ["--store", `sqlite:${file}`];
    const list = await runEda(["workflows", "list", ...store], PROJECT);
    expect(list.stdout).toMatch(new RegExp(`^Checkout\\s+${order}\\s+failed, compensation rejected: ReleaseStock\\s+\\d{4}-`, "m"));
    const show = await runEda(["workflows", "show", order, ...store], PROJECT);
    expect(show.stdout).toContain(`Checkout ${order}: failed, compensation rejected: ReleaseStock`);
    expect(show.stdout).toMatch(/ {2}rejected compensation: ReleaseStock at \S+: \{"code":"warehouse-closed","note":"\\u001b\[31m\\u009b2J"\}\n/);
    expect(show.stdout).not.toMatch(/[\u001b\u009b]/);
  }, 60_000);
});

describe("eda dlq list | show | replay", () => {
  const RULE = "CustomerNotifications.onOrderPlacedSendSendOrderConfirmation";
  const SECRET = "lovelace@example.com";

  it("shows a consumer's dead letters without payloads and replays them, on RabbitMQ", async () => {
    const vhost = await createVhost();
    try {
      // A consumer that parks every message, as the rule does when the mail server is down.
      const bus = await runtime.openBus(vhost.url);
      const subscription = await bus.subscribe(RULE, (m) =>
        m.deadLetter({ message: "the mail server is down", stack: null, attempts: 3, firstFailureAt: "2030-01-01T00:00:00.000Z", lastFailureAt: "2030-01-01T00:00:01.000Z" }),
      );
      await bus.publish([{ envelope: envelope("Ordering.Order-1", 0, "OrderPlaced", { contactEmail: SECRET }) }]);
      for (let i = 0; i < 100 && (await bus.deadLetterDepth(RULE)) < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await subscription.close();
      await bus.close();
      const env = { EDA_BUS: vhost.url };

      const list = await runEda(["dlq", "list", "--format", "json"], PROJECT, env);
      expect(list.stderr).toBe("");
      expect(JSON.parse(list.stdout)).toEqual([
        { consumer: RULE, depth: 1 },
        { consumer: "CustomerNotifications.onShipmentScheduledSendSendShippingNotice", depth: 0 },
      ]);
      const show = await runEda(["dlq", "show", RULE], PROJECT, env);
      expect(show.stdout).toMatch(/^\S+ OrderPlaced v1 Ordering\.Order-1 #0 \(correlation \S+\): 3 attempts, last 2030-01-01T00:00:01\.000Z\n {2}the mail server is down\n$/);
      expect(show.stdout).not.toContain(SECRET);
      expect(show.stdout).not.toContain("guest:guest");

      expect(await runEda(["dlq", "replay", RULE], PROJECT, env)).toMatchObject({ code: 0, stdout: `replayed 1 message to ${RULE}\n` });
      expect(JSON.parse((await runEda(["dlq", "list", "--format", "json"], PROJECT, env)).stdout)[0]).toEqual({ consumer: RULE, depth: 0 });
      // Replayed, not dropped: the consumer receives the message again.
      const again = await runtime.openBus(vhost.url);
      try {
        const received: string[] = [];
        const resumed = await again.subscribe(RULE, async (m) => {
          received.push(m.envelope.type);
          await m.ack();
        });
        for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        await resumed.close();
        expect(received).toEqual(["OrderPlaced"]);
      } finally {
        await again.close();
      }

      const unknown = await runEda(["dlq", "show", "Nobody.rule"], PROJECT, env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('the model has no consumer "Nobody.rule"; its consumers are');
    } finally {
      await vhost.dispose();
    }
  }, 60_000);

  it("refuses the in-memory bus and a missing one, exit 2", async () => {
    expect(await runEda(["dlq", "list", "--bus", "memory:"], PROJECT)).toMatchObject({ code: 2, stderr: expect.stringContaining("the memory bus lives inside the app's process") });
    expect(await runEda(["dlq", "list"], PROJECT, { EDA_BUS: undefined })).toMatchObject({ code: 2, stderr: expect.stringContaining("no bus: pass --bus URL or set EDA_BUS") });
  });

  const brokers = [
    { name: "RabbitMQ", open: async () => createVhost() },
    { name: "NATS JetStream", open: async () => createTestStream() },
  ];
  for (const broker of brokers) {
    it(`discards one dead letter by id, and all of them only with --yes, on ${broker.name}`, async () => {
      const target = await broker.open();
      try {
        const bus = await runtime.openBus(target.url);
        // An error that would clear the operator's screen, printed as it is.
        const subscription = await bus.subscribe(RULE, (m) =>
          m.deadLetter({ message: "the mail server is down\u001b[2J\u009b31m", stack: null, attempts: 3, firstFailureAt: "2030-01-01T00:00:00.000Z", lastFailureAt: "2030-01-01T00:00:01.000Z" }),
        );
        const parked = [0, 1, 2].map((i) => envelope(`Ordering.Order-${i}`, 0, "OrderPlaced", {}));
        await bus.publish(parked.map((e) => ({ envelope: e })));
        for (let i = 0; i < 100 && (await bus.deadLetterDepth(RULE)) < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await bus.close();
        const env = { EDA_BUS: target.url };
        const ids = async (): Promise<string[]> => (JSON.parse((await runEda(["dlq", "show", RULE, "--format", "json"], PROJECT, env)).stdout) as { messageId: string }[]).map((l) => l.messageId);
        expect(await ids()).toEqual(parked.map((e) => e.messageId));
        const firstTwo = await runEda(["dlq", "show", RULE, "--limit", "2"], PROJECT, env);
        expect(firstTwo.stdout.match(/^\S+ OrderPlaced v1 /gm)).toHaveLength(2);
        expect(firstTwo.stdout).toContain("  the mail server is down\\u001b[2J\\u009b31m\n");
        expect(firstTwo.stdout).not.toMatch(/[\u001b\u009b]/);
        expect(firstTwo.stderr).toBe(`eda: 1 more dead letter of ${RULE} not shown (--limit 2); replay or discard acts on all of them\n`);

        expect(await runEda(["dlq", "discard", RULE, parked[1]!.messageId], PROJECT, env)).toMatchObject({ code: 0, stdout: `discarded 1 message of ${RULE}\n` });
        expect(await ids()).toEqual([parked[0]!.messageId, parked[2]!.messageId]);
        expect(await runEda(["dlq", "discard", RULE, "gone"], PROJECT, env)).toMatchObject({ code: 1, stdout: "", stderr: `eda: no dead letter of ${RULE} has the message id "gone"\n` });
        expect(await runEda(["dlq", "discard", RULE], PROJECT, env)).toMatchObject({ code: 2, stderr: expect.stringContaining("give the message id to discard") });
        expect(await runEda(["dlq", "discard", RULE, "--all"], PROJECT, env)).toMatchObject({ code: 2, stderr: expect.stringContaining(`--all drops the 2 dead letters of ${RULE} for good: add --yes to confirm`) });
        expect(await ids()).toHaveLength(2);
        expect(await runEda(["dlq", "discard", RULE, "--all", "--yes", "--format", "json"], PROJECT, env)).toMatchObject({ code: 0, stdout: `${JSON.stringify({ consumer: RULE, discarded: 2 })}\n` });
        expect(await ids()).toEqual([]);
      } finally {
        await target.dispose();
      }
    }, 60_000);
  }
});
