/**
 * A PostgreSQL failover does not take the app down: the shop runs in a child process while this
 * test terminates every backend of the child's database (its own database, no other) again and
 * again — during appends, projection batches and saga steps — and once refuses connections for a
 * while, as a restarting server would. The child must not die, must finish every order, and the
 * store must hold each event exactly once: nothing lost, nothing doubled.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HERE, ROOT } from "./helpers.js";
import { freshStore, loadShop } from "./shop-app.js";

const ORDERS = 30;
let store: Awaited<ReturnType<typeof freshStore>>;
let admin: pg.Client;

beforeAll(async () => {
  await loadShop();
  store = await freshStore("postgres");
  admin = new pg.Client({ connectionString: process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
});
afterAll(async () => {
  await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS true`).catch(() => undefined);
  await admin.end();
  await store.drop();
});

function database(): string {
  return new URL(store.url).pathname.slice(1);
}

/** Terminates every backend of the child's database; resolves with how many. */
async function terminate(): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database()],
  );
  for (const { pid } of rows) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  return rows.length;
}

describe("PostgreSQL failover", () => {
  it("terminated backends and a refused reconnect: no process dies, nothing lost or doubled", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "children", "failover-child.ts"), store.url, String(ORDERS)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));

    // From the moment the app runs (opening the store fails fast by design).
    while (running && !stdout.includes('"phase":"started"')) await new Promise((resolve) => setTimeout(resolve, 20));
    let terminated = 0;
    const started = Date.now();
    // Until the child has sent every order and for a while after, while the sagas and the
    // projection work: a terminated backend every 150 ms, and one outage of 1.5 s.
    while (running && (!stdout.includes('"phase":"sent"') || Date.now() - started < 4_000)) {
      terminated += await terminate();
      if (terminated > 0 && Date.now() - started > 1_500 && !stdout.includes("outage")) {
        await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS false`);
        terminated += await terminate();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS true`);
        stdout += "\noutage\n";
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const code = await Promise.race([exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 110_000))]);
    if (code === "hung") child.kill("SIGKILL");
    // On a failure, the child's last lines say which phase it was in (it prints its progress).
    expect({ code, stderr: stderr.slice(0, 2_000) }, `the child's output ends: ${stdout.slice(-1_500)}`).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain('"phase":"done"');
    expect(terminated).toBeGreaterThan(5);

    const client = new pg.Client({ connectionString: store.url });
    await client.connect();
    try {
      const counts = await client.query<{ type: string; n: string }>("SELECT type, count(*) AS n FROM eda_events GROUP BY type ORDER BY type");
      const byType = Object.fromEntries(counts.rows.map((r) => [r.type, Number(r.n)]));
      // Every order once through the saga and the confirmation e-mail; nothing twice. (The
      // shipping notice is refused: the test's mailer knows no contact for it.)
      expect(byType).toEqual({
        OrderPlaced: ORDERS,
        StockReserved: ORDERS,
        PaymentCaptured: ORDERS,
        ShipmentScheduled: ORDERS,
        OrderConfirmed: ORDERS,
        OrderConfirmationSent: ORDERS,
      });
      const places = await client.query("SELECT command_id FROM eda_commands WHERE command_id LIKE 'place-%'");
      expect(places.rowCount).toBe(ORDERS);
      // Positions may have gaps (an append cut off after taking them); the log's reader reads every event.
      const log = await client.query<{ stored: string; read: string }>("SELECT (SELECT count(*) FROM eda_events) AS stored, (SELECT count(*) FROM eda_read_all(1, 1000000)) AS read");
      expect(Number(log.rows[0]?.read)).toBe(Number(log.rows[0]?.stored));
    } finally {
      await client.end();
    }
  }, 150_000);
});
