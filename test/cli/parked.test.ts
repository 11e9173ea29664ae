/**
 * `eda parked list | show` as a process on a real project (the shop generated with `eda
 * generate`): the shop's generated app meets an OrderPlaced of version 99 (no build knows it),
 * its CustomerOrders projection stops and parks it, and the command lists and shows it from the
 * store, on SQLite and PostgreSQL, as a table and as JSON, without payload values.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, loadShop, openShop, orderId, SQL_ENGINES, type Shop } from "../generated/shop-app.js";
import { ensureBundle, ROOT, runEda } from "./helpers.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `parked-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");
const RUNNER = "projection:Ordering.CustomerOrders";
const SECRET = "payload-value-never-shown";

let shop: Shop;

beforeAll(async () => {
  ensureBundle();
  shop = await loadShop();
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", store: "sqlite:store/none.db" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The shop's app parks an unreadable version-99 OrderPlaced; returns its global position. */
async function park(url: string): Promise<number> {
  const app = await openShop(shop, url);
  try {
    app.start();
    const poison = { messageId: "poison", type: "OrderPlaced", version: 99, correlationId: "poison", causationId: null, payload: { orderId: orderId(0x99), note: SECRET } };
    await app.store.append(`Ordering.Order-${orderId(0x99)}`, [poison], { kind: "no-stream" });
    await eventually("the projection parks the event", async () => (await app.parked(RUNNER)).length === 1);
    return (await app.parked(RUNNER))[0]!.globalPosition;
  } finally {
    await app.close();
  }
}

describe.each(SQL_ENGINES)("eda parked on %s", (engine) => {
  it("lists the parked events (all, by runner) and shows one in full; never a payload value", async () => {
    const store = await freshStore(engine);
    try {
      const at = await park(store.url);
      const flags = ["--store", store.url];

      const list = await runEda(["parked", "list", ...flags], PROJECT);
      expect(list.stderr).toBe("");
      expect(list.code).toBe(0);
      const lines = list.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^runner\s+position\s+stream\s+type\s+version\s+reason\s+parked at$/);
      const row = lines.find((l) => l.startsWith(RUNNER));
      expect(row).toMatch(new RegExp(`^${RUNNER}\\s+${at}\\s+Ordering\\.Order-\\S+\\s+OrderPlaced\\s+99\\s+unreadable \\(blocking\\)\\s+\\d{4}-\\d\\d-\\d\\dT`));
      expect(list.stdout).not.toContain(SECRET);

      const json = await runEda(["parked", "list", "--runner", RUNNER, "--format", "json", ...flags], PROJECT);
      expect(json.code, json.stderr).toBe(0);
      const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
      expect(rows).toEqual([{ runner: RUNNER, globalPosition: at, stream: `Ordering.Order-${orderId(0x99)}`, type: "OrderPlaced", version: 99, reason: "unreadable", blocking: true, parkedAt: expect.any(String) }]);

      const none = await runEda(["parked", "list", "--runner", "projection:Nope", ...flags], PROJECT);
      expect(none).toMatchObject({ code: 0, stdout: "no parked events for projection:Nope\n" });

      const show = await runEda(["parked", "show", RUNNER, String(at), ...flags], PROJECT);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain(`${RUNNER} #${at}: OrderPlaced v99`);
      expect(show.stdout).toContain("reason: unreadable (blocking");
      expect(show.stdout).toContain(`(global position ${at}), "OrderPlaced" v99: the model has no version 99 of this event\n`);
      expect(show.stdout).not.toContain(SECRET);
      const showJson = await runEda(["parked", "show", RUNNER, String(at), "--format", "json", ...flags], PROJECT);
      expect(JSON.parse(showJson.stdout)).toMatchObject({ runner: RUNNER, globalPosition: at, messageId: "poison", version: 99, error: expect.stringMatching(/\S/) });

      expect(await runEda(["parked", "show", RUNNER, String(at + 1000), ...flags], PROJECT)).toMatchObject({ code: 1, stderr: `eda: ${RUNNER} has no parked event at position ${at + 1000}\n` });
      expect(await runEda(["parked", "show", RUNNER, "x1", ...flags], PROJECT)).toMatchObject({ code: 2 });
    } finally {
      await store.drop();
    }
  }, 60_000);
});

describe("eda parked: errors", () => {
  it("masks the password of a store it cannot reach (exit 2)", async () => {
    const run = await runEda(["parked", "list", "--store", "postgres://postgres:hunter2@127.0.0.1:1/none"], PROJECT);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eda: /);
    expect(run.stderr).not.toContain("hunter2");
  }, 60_000);
});
