/**
 * PostgreSQL global positions: appends run side by side, so a lower position can commit after a
 * higher one. The log's readers must never move past a position that a running append may still
 * fill. Each scenario is also played against a naive reader (every committed row in position
 * order), which must skip an event there: that proves the scenario is one a reader can get wrong.
 */
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore } from "../../src/store/event-store.js";
import type { StoredEvent } from "../../src/types.js";
import { createHarness, newEvent, type StoreHarness } from "./support.js";

/** A reader of the log from a position: the store's own, or the naive one. */
type ReadFrom = (from: number) => Promise<number[]>;

/** An append held open: its positions are taken, its commit is up to the test. */
async function openAppend(url: string, stream: string, count: number): Promise<{ commit: () => Promise<void>; rollback: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  const ids = Array.from({ length: count }, () => newEvent("A", {}).messageId);
  await client.query("SELECT eda_append($1, 'any', NULL, now(), $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], NULL, 'null')", [
    stream, ids, ids.map(() => "A"), ids.map(() => 1), ids.map(() => "corr"), ids.map(() => null), ids.map(() => "{}"), ids.map(() => "{}"),
  ]);
  const end = (sql: string) => async (): Promise<void> => {
    await client.query(sql);
    await client.end();
  };
  return { commit: end("COMMIT"), rollback: end("ROLLBACK") };
}

/**
 * A reader follows the log (from one past the last position it read) while an append that took
 * the lower positions commits after one that took higher positions. Resolves with the positions
 * that exist in the end but that the reader went past without reading.
 */
async function skippedWhileRacing(store: EventStore, url: string, read: ReadFrom): Promise<number[]> {
  const seen: number[] = [];
  let last = 0;
  const follow = async (): Promise<void> => {
    for (const p of await read(last + 1)) {
      seen.push(p);
      last = Math.max(last, p);
    }
  };
  const slow = await openAppend(url, "slow", 2);
  await store.append("fast", [newEvent("A", {})], { kind: "any" });
  await follow();
  await slow.commit();
  await follow();
  const all = (await store.readAll(1, 100)).map((e) => e.globalPosition);
  return all.filter((p) => !seen.includes(p));
}

describe("PostgreSQL global positions", () => {
  let harness: StoreHarness | undefined;
  let admin: pg.Client | undefined;
  beforeEach(async () => {
    harness = await createHarness("postgres");
    admin = new pg.Client({ connectionString: harness.url });
    await admin.connect();
  });
  afterEach(async () => {
    await admin?.end();
    await harness?.dispose();
    harness = undefined;
  });
  const h = (): StoreHarness => harness as StoreHarness;
  const naive: ReadFrom = async (from) =>
    (await (admin as pg.Client).query<{ p: string }>("SELECT global_position AS p FROM eda_events WHERE global_position >= $1 ORDER BY 1", [from])).rows.map((r) => Number(r.p));

  it("never lets a reader past a lower position that commits later (a naive reader skips it)", async () => {
    const store = await h().open();
    const positions = (events: StoredEvent[]): number[] => events.map((e) => e.globalPosition);
    expect(await skippedWhileRacing(store, h().url, async (from) => positions(await store.readAll(from, 100)))).toEqual([]);
    const second = await h().open();
    expect(await skippedWhileRacing(second, h().url, naive)).not.toEqual([]);
  });

  it("holds back the head, the outbox and waiting readers until the lower positions commit", async () => {
    const store = await h().open();
    const slow = await openAppend(h().url, "slow", 1);
    const fast = await store.append("fast", [newEvent("A", {})], { kind: "any" });
    expect(fast.lastGlobalPosition).toBe(2);
    expect(await naive(1)).toEqual([2]);
    expect(await store.readAll(1, 10)).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    expect(await store.outbox.fetchUnsent(10)).toEqual([]);
    let woken = false;
    const waiting = store.waitForEvents(0).then((result) => (woken = result));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);
    await slow.commit();
    expect(await waiting).toBe(true);
    expect((await store.readAll(1, 10)).map((e) => [e.stream, e.globalPosition])).toEqual([["slow", 1], ["fast", 2]]);
    expect((await store.outbox.fetchUnsent(10)).map((r) => r.id)).toEqual([1, 2]);
    expect(await store.headPosition()).toBe(2);
  });

  it("is not held back by a transaction that does not append (pg_snapshot_xmin would be)", async () => {
    const store = await h().open();
    const other = new pg.Client({ connectionString: h().url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("INSERT INTO eda_rows (table_name, row_key, row_value) VALUES ('t', 'k', '{}')");
      await store.append("s", [newEvent("A", {})], { kind: "any" });
      expect((await store.readAll(1, 10)).map((e) => e.stream)).toEqual(["s"]);
      expect(await store.headPosition()).toBe(1);
      const xmin = await (admin as pg.Client).query<{ n: string }>(
        "SELECT count(*) AS n FROM eda_events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())",
      );
      expect(Number(xmin.rows[0]?.n)).toBe(0);
    } finally {
      await other.query("ROLLBACK");
      await other.end();
    }
  });

  it("reads past the gap an append leaves when it rolls back", async () => {
    const store = await h().open();
    const slow = await openAppend(h().url, "slow", 3);
    await store.append("fast", [newEvent("A", {})], { kind: "any" });
    await slow.rollback();
    expect((await store.readAll(1, 10)).map((e) => e.globalPosition)).toEqual([4]);
    expect(await store.headPosition()).toBe(4);
    expect(await store.streamPosition("slow")).toBeNull();
  });

  it("keeps the global order of a batch of appends when one of them conflicts", async () => {
    const store = await h().open();
    await store.append("taken", [newEvent("A", {})], { kind: "any" });
    const results = await Promise.allSettled([
      store.append("a", [newEvent("A", {}), newEvent("A", {})], { kind: "no-stream" }),
      store.append("taken", [newEvent("A", {})], { kind: "no-stream" }),
      store.append("b", [newEvent("A", {})], { kind: "no-stream" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const log = (await store.readAll(1, 10)).map((e) => [e.stream, e.globalPosition]);
    expect(log.map(([stream]) => stream)).toEqual(["taken", "a", "a", "b"]);
    expect(log.map(([, p]) => p)).toEqual([...log.map(([, p]) => p)].sort((x, y) => Number(x) - Number(y)));
  });

  it("starts the positions of a store made by an earlier version after its counter", async () => {
    const store = await h().open();
    await store.append("s", [newEvent("A", {})], { kind: "any" });
    await store.close();
    const db = admin as pg.Client;
    // An earlier version's store: the counter row, no tx column, no sequence.
    await db.query("CREATE TABLE eda_global (id int PRIMARY KEY, position bigint NOT NULL); INSERT INTO eda_global VALUES (1, 7)");
    await db.query("ALTER TABLE eda_events DROP COLUMN tx; DROP SEQUENCE eda_position");
    const reopened = await h().open();
    expect((await reopened.readAll(1, 10)).map((e) => e.globalPosition)).toEqual([1]);
    const next = await reopened.append("s", [newEvent("A", {})], { kind: "any" });
    expect(next.lastGlobalPosition).toBe(8);
    expect((await reopened.readAll(1, 10)).map((e) => e.globalPosition)).toEqual([1, 8]);
  });
});
