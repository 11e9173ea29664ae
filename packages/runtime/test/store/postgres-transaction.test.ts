/**
 * A PostgreSQL transaction's queries go to its client one at a time: work that queries
 * concurrently, one query failing, must not have its ROLLBACK (or its other queries) sent while a
 * query still runs — `pg` deprecates that (and pg@9 refuses it). A statement given a name stays
 * prepared on the connection.
 */
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type StoreHarness } from "./support.js";

let harness: StoreHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.dispose();
  harness = undefined;
});

describe("a PostgreSQL store transaction", () => {
  it("sends its client one query at a time, the ROLLBACK after the queries under way", async () => {
    harness = await createHarness("postgres");
    const store = await harness.open();
    let running = 0;
    let overlapped = 0;
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text;
      if (text.includes("pg_sleep") || text.includes("no_such_table") || text === "ROLLBACK") {
        sent.push(text);
        if (running > 0) overlapped++;
        running++;
        const result = (query as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        return result.finally(() => running--);
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    const failed = store.transaction(async (tx) => {
      await Promise.all([tx.sql!.query("SELECT pg_sleep(0.2)"), tx.sql!.query("SELECT * FROM no_such_table")]);
    });
    await expect(failed).rejects.toThrow(/no_such_table/);
    expect(sent).toEqual(["SELECT pg_sleep(0.2)", "SELECT * FROM no_such_table", "ROLLBACK"]);
    expect(overlapped).toBe(0);
  });

  it("keeps a named statement prepared on its connection, and runs it again by name", async () => {
    harness = await createHarness("postgres");
    const store = await harness.open();
    const prepared = await store.transaction(async (tx) => {
      const sql = tx.sql!;
      const text = "SELECT $1::int + 1 AS n";
      const first = await sql.query<{ n: number }>(text, [1], { name: "eda_test_plus_one" });
      const second = await sql.query<{ n: number }>(text, [41], { name: "eda_test_plus_one" });
      expect([first[0]?.n, second[0]?.n]).toEqual([2, 42]);
      return sql.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name = $1", ["eda_test_plus_one"]);
    });
    expect(prepared).toEqual([{ name: "eda_test_plus_one" }]);
  });
});
