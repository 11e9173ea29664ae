/**
 * `rewrapKeys` beside an append that makes a first key, on PostgreSQL. The append takes the key
 * epoch's row (shared) and then inserts into the key table; a rewrap that locked the table first
 * and moved the epoch last waited for the append while the append waited for it: one of them
 * was aborted as a deadlock. The rewrap now moves the epoch first, as forget and rotate do.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { rewrapKeys } from "../../src/crypto/rewrap-keys.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { createHarness, type StoreHarness } from "../store/support.js";

let harness: StoreHarness | undefined;
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  await harness?.dispose();
  harness = undefined;
});

describe("a master-key rewrap beside an append making a first key (PostgreSQL)", () => {
  it("waits for the append instead of deadlocking with it", async () => {
    harness = await createHarness("postgres");
    const store = await harness.open();
    await sqlKeyStore(store).ensureKeys(["ada", "bob"]);
    const append = new pg.Client({ connectionString: harness.url });
    await append.connect();
    clients.push(append);
    // As eda_append does: the epoch row, shared, then (below) the new subject's first key.
    await append.query("BEGIN");
    await append.query("SELECT epoch FROM eda_key_epoch WHERE id = 1 FOR SHARE");
    const rewrap = rewrapKeys(store, { to: randomBytes(32) }).then(
      (report) => `rewrapped ${report.rewrapped}`,
      (error: { code?: string; message?: string }) => error.code ?? error.message ?? "failed",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const insert = append
      .query("INSERT INTO eda_subject_keys (subject, key_id, key_data, created_at, seq) VALUES ('cy', 'k-cy', $1, 'now', 1)", [randomBytes(32).toString("base64")])
      .then(() => append.query("COMMIT"))
      .then(
        () => "inserted",
        (error: { code?: string }) => error.code ?? "failed",
      );
    // The append goes first (the rewrap waits on the epoch row), then the rewrap, which wraps its key too.
    expect(await Promise.all([insert, rewrap])).toEqual(["inserted", "rewrapped 3"]);
  });
});
