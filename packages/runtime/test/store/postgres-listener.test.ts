/**
 * The LISTEN connection of a PostgreSQL store under a server that keeps terminating it (a
 * failover): waits under way end, later waits listen again, and `close` resolves and leaves no
 * connection of the store's behind (a leaked listener keeps its process alive: a clean-clone CI
 * run hung in test/generated/failover.test.ts after the store had closed, with one idle LISTEN
 * connection left on the database).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresEventStore } from "../../src/store/postgres-store.js";
import { createPgDatabase, newEvent } from "./support.js";

let db: Awaited<ReturnType<typeof createPgDatabase>>;
let admin: pg.Client;
const database = () => new URL(db.url).pathname.slice(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  db = await createPgDatabase();
  admin = new pg.Client({ connectionString: process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});

/** The backends connected to the test's database (the admin client is on another). */
async function backends(): Promise<number> {
  const { rows } = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1", [database()]);
  return Number(rows[0]?.n);
}

describe("the PostgreSQL store's LISTEN connection", () => {
  it("is listened again after terminations, and close leaves no connection behind", async () => {
    const store = await PostgresEventStore.open(db.url, { pollIntervalMs: 20 });
    for (let round = 0; round < 40; round++) {
      const abort = new AbortController();
      const waits = [0, 1, 2].map(() => store.waitForEvents(1_000_000, abort.signal).catch(() => false));
      await sleep(round % 7);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [database()]);
      abort.abort();
      await Promise.all(waits);
    }
    const closed = await Promise.race([store.close().then(() => "closed"), sleep(15_000).then(() => "hung")]);
    expect(closed).toBe("closed");
    // A backend goes from pg_stat_activity a moment after its client's Terminate.
    for (let i = 0; i < 50 && (await backends()) > 0; i++) await sleep(50);
    expect(await backends()).toBe(0);
  }, 60_000);

  it("after a termination, wakes a wait by the notification again, not by polling", async () => {
    // Polling so rare that only a notification can wake the waits below within the test.
    const store = await PostgresEventStore.open(db.url, { pollIntervalMs: 600_000 });
    const writer = await PostgresEventStore.open(db.url);
    let n = 0;
    const append = async () => {
      // The termination takes the writer's pooled connections too: a first attempt may meet one.
      for (let attempt = 1; ; attempt++) {
        try {
          return await writer.append(`s-${++n}`, [newEvent("Noted", { n })], { kind: "no-stream" });
        } catch (error) {
          if (attempt >= 5) throw error;
          await sleep(100);
        }
      }
    };
    const wokenBy = (wait: Promise<boolean>) => Promise.race([wait.then(() => "woken"), sleep(10_000).then(() => "not woken")]);
    try {
      const before = wokenBy(store.waitForEvents(await store.headPosition()));
      await sleep(200);
      await append();
      expect(await before).toBe("woken");
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [database()]);
      await sleep(200);
      const head = await store.headPosition().catch(() => store.headPosition());
      const after = wokenBy(store.waitForEvents(head));
      await sleep(500);
      await append();
      expect(await after).toBe("woken");
    } finally {
      await writer.close();
      await store.close();
    }
  }, 60_000);
});
