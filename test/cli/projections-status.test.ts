/**
 * `eda projections status` as a process on a real project (the shop generated with `eda
 * generate`, inside the repository so @eda/runtime resolves as installed): each projection's
 * checkpoint against the store's head, on SQLite and PostgreSQL, as a table and as JSON.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
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
