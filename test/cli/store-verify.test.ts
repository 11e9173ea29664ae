/**
 * `eda store verify` as a process on a real project: the shop model generated with `eda generate`
 * (inside the repository, so the generated code resolves zod and @eda/runtime as an installed
 * project would), its upcast hooks in the handlers folder, and a store holding readable events
 * of both versions beside events the model cannot read — on SQLite and PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import type { EventStore, NewEvent } from "@eda/runtime";
import { ensureBundle, ROOT, runEda, runEdaOnTerminal } from "./helpers.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `verify-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");

const ORDER = "3f1c2a9e-4b7d-4c1e-9a2b-000000000001";
const CUSTOMER = "7d0e8f6a-1c2b-4d3e-8f4a-000000000001";
const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const v2 = { orderId: ORDER, customerId: CUSTOMER, lines: [], total: { amountMinor: 100, currency: "EUR" }, shipTo, contactEmail: "ada@example.com" };
const v1 = { orderId: ORDER, customerId: CUSTOMER, totalCents: 2_599, shipTo, email: "ada@example.com" };

function event(id: string, type: string, version: number, payload: unknown): NewEvent {
  return { messageId: id, type, version, correlationId: id, causationId: null, payload };
}

/** Two readable events (v2, and v1 read through the upcast hook) and three the model cannot read. */
async function fill(store: EventStore): Promise<void> {
  await store.append("Ordering.Order-a", [event("v2", "OrderPlaced", 2, v2), event("v1", "OrderPlaced", 1, v1)], { kind: "no-stream" });
  await store.append("Ordering.Order-b", [event("bad-uuid", "OrderPlaced", 2, { ...v2, customerId: "legacy-42" }), event("unknown", "OrderShipped", 1, {}), event("future", "OrderPlaced", 9, v2)], { kind: "no-stream" });
}

let runtime: typeof Runtime;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", handlers: "handlers", store: "sqlite:store/shop.db" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
  const store = await runtime.openStore(`sqlite:${join(PROJECT, "store", "shop.db")}`);
  await fill(store);
  await store.close();
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

describe("eda store verify", () => {
  it("reports each event the current model cannot read, with where and why, and exits 1", async () => {
    // The scaffold's hook still throws: the v1 event cannot be read either.
    const stubbed = await runEda(["store", "verify"], PROJECT);
    expect(stubbed.code).toBe(1);
    expect(stubbed.stdout).toMatch(/^Ordering\.Order-a #1 \(global 2\) OrderPlaced v1: upcast-failed\n {2}.*not implemented yet/m);
    // With the hook implemented (the example's own), v1 reads; the rest is reported.
    copyFileSync(join(SHOP, "handlers", "ordering", "upcasts.ts"), join(PROJECT, "handlers", "ordering", "upcasts.ts"));
    const run = await runEda(["store", "verify"], PROJECT);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: "" });
    const lines = run.stdout.split("\n").filter((l) => !l.startsWith("  ") && l !== "");
    expect(lines).toEqual([
      "Ordering.Order-b #0 (global 3) OrderPlaced v2: invalid-payload at customerId",
      "Ordering.Order-b #1 (global 4) OrderShipped v1: unknown-type",
      "Ordering.Order-b #2 (global 5) OrderPlaced v9: unknown-version",
      "verified 5 events: 3 events cannot be read",
    ]);
    expect(run.stdout).not.toContain("ada@example.com");
  });

  it("finds a row that is not JSON, writes JSON lines with --format json, and shows progress on a terminal", async () => {
    const file = join(PROJECT, "store", "hand.db");
    const store = await runtime.openStore(`sqlite:${file}`);
    await store.append("Ordering.Order-c", [event("hand", "OrderPlaced", 2, v2), event("ok", "OrderPlaced", 2, v2)], { kind: "no-stream" });
    // A row edited by hand, no longer JSON.
    const { unlock, relock } = runtime.HISTORY_UNLOCK_SQL.sqlite;
    await store.transaction(async (tx) => {
      for (const sql of [unlock, `UPDATE eda_events SET payload = '{"orderId": ' WHERE message_id = 'hand'`, relock]) await tx.sql?.query(sql);
    });
    await store.close();
    const json = await runEda(["store", "verify", "--store", `sqlite:${file}`, "--format", "json"], PROJECT);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ stream: "Ordering.Order-c", position: 0, globalPosition: 1, type: "OrderPlaced", version: 2, reason: "invalid-json", path: "payload" });
    expect(JSON.parse(json.stderr)).toEqual({ events: 2, unreadable: 1 });
    const terminal = await runEdaOnTerminal(["store", "verify", "--store", `sqlite:${file}`], PROJECT);
    expect(terminal).toContain("verifying: 2 events of 2 (100%), 1 unreadable");
    expect(terminal).toContain("verified 2 events: 1 event cannot be read");
  });

  it("exits 0 when every event reads, and 2 with a clear, masked error when the store cannot be used", async () => {
    const file = join(PROJECT, "store", "clean.db");
    const store = await runtime.openStore(`sqlite:${file}`);
    await store.append("Ordering.Order-d", [event("v1-ok", "OrderPlaced", 1, v1)], { kind: "no-stream" });
    await store.close();
    const clean = await runEda(["store", "verify"], PROJECT, { EDA_STORE: `sqlite:${file}` });
    expect(clean).toMatchObject({ code: 0, stdout: "verified 1 event: every one reads\n" });
    const missing = await runEda(["store", "verify", "--store", "sqlite:nowhere.db"], PROJECT);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("no SQLite store at") });
    const down = await runEda(["store", "verify", "--store", "postgres://app:s3cret@127.0.0.1:1/shop"], PROJECT);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^eda: cannot open the event store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/shop: /);
    expect(down.stderr).not.toContain("s3cret");
    const noCodec = await runEda(["store", "verify", "--codec", "elsewhere/codec.ts"], PROJECT);
    expect(noCodec).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read 'elsewhere/codec.ts'") });
  });

  it("on PostgreSQL, and with the hooks named by --upcasts", async () => {
    await withPostgresDatabase("eda_verify", async (url) => {
      const store = await runtime.openStore(url);
      await fill(store);
      await store.close();
      writeFileSync(join(PROJECT, "hooks.ts"), `import { orderingUpcasts } from "./handlers/ordering/upcasts.js";\nexport const upcasts = { Ordering: orderingUpcasts };\n`);
      const run = await runEda(["store", "verify", "--upcasts", "hooks.ts"], PROJECT, { EDA_STORE: url });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("verified 5 events: 3 events cannot be read");
      expect(readFileSync(join(PROJECT, "eda.config.json"), "utf8")).toContain('"store"');
    });
  });
});
