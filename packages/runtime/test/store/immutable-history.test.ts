/**
 * Stored events cannot be changed or removed by plain SQL — the triggers the stores create with
 * their schema refuse it, outside the runtime too — while the unlocked repair window, the outbox,
 * snapshots and side tables keep working.
 */
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { HISTORY_UNLOCK_SQL, IMMUTABLE_HISTORY_MESSAGE } from "../../src/store/immutable-history.js";
import { createHarness, newEvent, type StoreHarness } from "./support.js";

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Plain SQL on the store's database, from outside the runtime (another client, another connection). */
interface PlainSql {
  run(sql: string): Promise<void>;
  payloads(): Promise<string[]>;
  close(): Promise<void>;
}

async function plainSql(h: StoreHarness): Promise<PlainSql> {
  if (h.engine === "sqlite") {
    const db = new Sqlite(h.url.slice("sqlite:".length));
    db.pragma("busy_timeout = 5000");
    return {
      run: async (sql) => void db.exec(sql),
      payloads: async () => db.prepare<[], string>("SELECT payload FROM eda_events ORDER BY global_position").pluck().all(),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: h.url });
  await client.connect();
  return {
    run: async (sql) => void (await client.query(sql)),
    payloads: async () =>
      (await client.query<{ p: string }>("SELECT payload::text AS p FROM eda_events ORDER BY global_position")).rows.map((r) => r.p),
    close: () => client.end(),
  };
}

describe.each(["sqlite", "postgres"] as const)("immutable history on %s", (engine) => {
  async function seeded(): Promise<{ sql: PlainSql; before: string[] }> {
    harness = await createHarness(engine);
    const store = await harness.open();
    await store.append("s-1", [newEvent("Placed", { n: 1 }), newEvent("Placed", { n: 2 })], { kind: "no-stream" });
    await store.saveSnapshot("s-1", 1, { n: 2 }, "tag");
    const sql = await plainSql(harness);
    return { sql, before: await sql.payloads() };
  }

  it("refuses UPDATE and DELETE of stored events by plain SQL, changing nothing", async () => {
    const { sql, before } = await seeded();
    try {
      for (const statement of [
        `UPDATE eda_events SET payload = '{"n":99}' WHERE position = 0`,
        "UPDATE eda_events SET stream = 'other'",
        "DELETE FROM eda_events WHERE position = 1",
        "DELETE FROM eda_events",
        ...(engine === "postgres" ? ["TRUNCATE eda_events", "TRUNCATE eda_events CASCADE"] : []),
      ]) {
        await expect(sql.run(statement), statement).rejects.toThrow(IMMUTABLE_HISTORY_MESSAGE);
      }
      expect(await sql.payloads()).toEqual(before);
    } finally {
      await sql.close();
    }
  });

  it("still appends, marks the outbox sent, replaces snapshots and reads everything", async () => {
    const { sql } = await seeded();
    await sql.close();
    const store = await harness!.open();
    await store.append("s-1", [newEvent("Placed", { n: 3 })], { kind: "exact", position: 1 });
    const unsent = await store.outbox.fetchUnsent(10);
    await store.outbox.markSent(unsent.map((r) => r.id));
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    await store.saveSnapshot("s-1", 2, { n: 3 }, "tag");
    expect((await store.loadSnapshot("s-1"))?.position).toBe(2);
    expect((await store.readStream("s-1")).map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("lets a deliberate repair through inside its unlocked transaction only", async () => {
    const { sql } = await seeded();
    const { unlock, relock } = HISTORY_UNLOCK_SQL[engine];
    try {
      await sql.run(`BEGIN; ${unlock}; UPDATE eda_events SET payload = '{"n":10}' WHERE position = 0; ${relock}; COMMIT;`);
      expect((await sql.payloads()).map((p) => JSON.parse(p))).toEqual([{ n: 10 }, { n: 2 }]);
      // The next transaction is locked again.
      await expect(sql.run(`UPDATE eda_events SET payload = '{"n":11}' WHERE position = 0`)).rejects.toThrow(IMMUTABLE_HISTORY_MESSAGE);
      if (engine === "postgres") {
        // SET LOCAL ends with its transaction even without the relock statement.
        await sql.run(`BEGIN; ${unlock}; COMMIT;`);
        await expect(sql.run("DELETE FROM eda_events")).rejects.toThrow(IMMUTABLE_HISTORY_MESSAGE);
      }
    } finally {
      await sql.close();
    }
  });

  it("keeps the triggers when the store is opened again on an existing database", async () => {
    const { sql } = await seeded();
    await sql.close();
    await harness!.open();
    const again = await plainSql(harness!);
    try {
      await expect(again.run("DELETE FROM eda_events")).rejects.toThrow(IMMUTABLE_HISTORY_MESSAGE);
    } finally {
      await again.close();
    }
  });
});
