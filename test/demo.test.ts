/**
 * The README's main job, as a user runs it: `pnpm demo` checks and generates the shop and runs
 * it on the embedded default; the example's hand-written code type-checks strictly against the
 * generated code. With `EDA_STORE` the same scenario runs on PostgreSQL.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createVhost } from "../packages/runtime/test/bus/support/rabbit.js";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");

async function demo(env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ["scripts/demo.mjs"], { cwd: root, env: { ...process.env, ...env, NO_COLOR: "1" }, maxBuffer: 8 << 20 });
  return stdout;
}

function expectScenario(out: string): void {
  expect(out).toContain("No problems in 7 files.");
  expect(out).toMatch(/Ada places an order\s+accepted, OrderPlaced/);
  expect(out).toContain("Every event of these orders (14), in order:");
  // The checkout saga: Ada's order completes, Ben's payment is declined and compensated.
  expect(out).toMatch(/Ada's order\s+completed\s+sent ReserveStock → ChargePayment → ScheduleShipment → ConfirmOrder/);
  expect(out).toMatch(/Ben's order\s+failed\s+sent ReserveStock → ChargePayment → ReleaseStock → CancelOrder/);
  const stream = [...out.matchAll(/^\s+\d+\s+(\w+) v(\d)\s+([\w.]+-\w+)\s+(\w+)\s+(\S+)$/gm)].map(([, type, version, streamName, correlation, causation]) => ({ type, version, streamName, correlation, causation }));
  const types = stream.map((e) => e.type);
  expect(types.indexOf("PaymentDeclined")).toBeLessThan(types.indexOf("StockReleased"));
  expect(types.indexOf("StockReleased")).toBeLessThan(types.indexOf("OrderCancelled"));
  expect(stream.find((e) => e.type === "StockReleased")?.causation).toMatch(/^Checkout\/\w+\/reserveStock\/compensate$/);
  expect(stream.find((e) => e.type === "OrderConfirmed")?.causation).toMatch(/^Checkout\/\w+\/complete$/);
  // Every message of one order carries that order's correlation id.
  const ada = stream.find((e) => e.type === "PaymentCaptured");
  expect(stream.filter((e) => e.correlation === ada?.correlation).map((e) => e.type)).toEqual(
    expect.arrayContaining(["OrderPlaced", "StockReserved", "PaymentCaptured", "ShipmentScheduled", "OrderConfirmed", "OrderConfirmationSent", "ShippingNoticeSent"]),
  );
  // The choreography's e-mails, and the old-version event read through its upcast.
  expect(out).toMatch(/to ada@example\.com\s+We have your order/);
  expect(out).toMatch(/to ada@example\.com\s+Your parcel is on its way/);
  expect(out).not.toMatch(/to ben@example\.com\s+Your parcel is on its way/);
  expect(stream[0]).toMatchObject({ type: "OrderPlaced", version: "1" });
  expect(out).toContain("Ada: placed 1, cancelled 0");
  expect(out).toContain("Ben: placed 2, cancelled 1");
  expect(out).toContain('read as v2: total {"amountMinor":2599,"currency":"USD"}');
}

describe("pnpm demo", () => {
  it("runs the shop on the embedded default", async () => {
    expectScenario(await demo({ EDA_STORE: "" }));
  });

  it("compiles: the example's handlers and demo type-check strictly against the generated code", async () => {
    await demo({ EDA_STORE: "" });
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    await expect(run(process.execPath, [tsc, "-p", "examples/shop"], { cwd: root })).resolves.toBeDefined();
  });

  it("carries the choreography over RabbitMQ with EDA_BUS", async () => {
    const vhost = await createVhost();
    try {
      const out = await demo({ EDA_STORE: "", EDA_BUS: vhost.url });
      expect(out).toMatch(/bus amqp:\/\/guest:\*\*\*@/);
      expectScenario(out);
    } finally {
      await vhost.dispose();
    }
  });

  it("runs the same scenario on PostgreSQL, twice on one database, each run in a fresh schema it names", async () => {
    const database = `eda_demo_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    try {
      const url = `postgres://postgres@127.0.0.1:5432/${database}`;
      const outs = [await demo({ EDA_STORE: url }), await demo({ EDA_STORE: url })];
      outs.forEach(expectScenario);
      const schemas = outs.map((out) => /in a fresh schema of its own, (\w+) /.exec(out)?.[1]);
      expect(new Set(schemas).size).toBe(2);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas) {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${String(schema)}.eda_events`);
        expect(rows[0].n).toBe(14);
      }
      await client.end();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
