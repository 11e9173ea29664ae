/**
 * `eda forget` and `eda store verify` as processes, with subject ids, store URLs and master keys
 * an operator may really meet. An id
 * of spaces — one the runtime encrypts for — was refused as "no subject" (exit 2), so its data
 * could not be forgotten from the command line; a URL naming an existing database that is not
 * the event store (a PostgreSQL database with no events, an empty SQLite file) answered "no key of
 * subject …: nothing of theirs is encrypted" with exit 0, while the real store kept the keys
 * (and `eda keys rotate-master` "rewrapped 0 data keys", exit 0, so every process was then
 * restarted on a master key the real store's keys are not under).
 * `eda store verify` without EDA_MASTER_KEY (or with another one) on a store whose keys are
 * wrapped, or on a store holding one altered encrypted event, ended in "internal error — this is
 * a bug in eda" (exit 3); it now says what is wrong (exit 2), or reports the event and reads on.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import type { NewEvent } from "@eda/runtime";
import { ensureBundle, ROOT, runEda } from "./helpers.js";
import { generatedShopWithStore } from "./shop-store.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

/** The part of better-sqlite3 the test uses: another app's database, made and read. */
interface SqliteDatabase {
  exec(sql: string): SqliteDatabase;
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `crypto-hostile-${randomBytes(4).toString("hex")}`);
const ADA = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000a";
const BOB = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000b";
const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };

let runtime: typeof Runtime;
let table: Runtime.CodecTable;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  table = await generatedShopWithStore(PROJECT);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

function placed(n: number, customerId: string): NewEvent {
  const orderId = `3f1c2a9e-4b7d-4c1e-9a2b-${String(n).padStart(12, "0")}`;
  const payload = { orderId, customerId, lines: [], total: { amountMinor: 100, currency: "EUR" }, shipTo, contactEmail: `c${n}@example.com` };
  return { messageId: `m-${n}`, type: "OrderPlaced", version: 2, correlationId: `m-${n}`, causationId: null, payload };
}

/** One order per subject, through the encrypting store; returns each order's e-mail as read. */
async function orders(url: string, subjects?: readonly string[], masterKey?: Buffer): Promise<unknown[]> {
  const inner = await runtime.openStore(url);
  try {
    const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner, masterKey === undefined ? {} : { masterKey }));
    for (const [i, subject] of (subjects ?? []).entries()) await store.append(`Ordering.Order-${i + 1}`, [placed(i + 1, subject)], { kind: "no-stream" });
    return (await store.readAll(1, 100)).map((e) => (e.payload as { contactEmail: unknown }).contactEmail);
  } finally {
    await inner.close();
  }
}

describe("eda forget with hostile input", () => {
  it("forgets ids of spaces, quotes, a newline or a leading dash exactly, and no other", async () => {
    const url = `sqlite:${join(PROJECT, "store", "shop.db")}`;
    const subjects = [" ", `x"y'z`, "line1\nline2", "-dash", "ada"];
    await orders(url, subjects);
    for (const subject of subjects.slice(0, 4)) {
      const run = await runEda(["forget", "--", subject], PROJECT);
      expect(run, subject).toMatchObject({ code: 0, stderr: "", stdout: `forgot subject ${JSON.stringify(subject)}: 1 key deleted; their personal data now reads as forgotten\npurged: the write-ahead log was checkpointed into the database and truncated\n` });
    }
    expect(await orders(url)).toEqual(["[forgotten]", "[forgotten]", "[forgotten]", "[forgotten]", "c5@example.com"]);
    expect(await runEda(["forget", ""], PROJECT)).toMatchObject({ code: 2, stderr: expect.stringContaining("name the data subject to forget") });
  });

  it("refuses a SQLite store that holds no events instead of answering that nothing was encrypted", async () => {
    const empty = join(PROJECT, "store", "empty.db");
    await orders(`sqlite:${empty}`); // an event store with no events: the file exists
    const run = await runEda(["forget", "ada", "--store", `sqlite:${empty}`], PROJECT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the store holds no events, so nothing of subject "ada" can be encrypted there: is it the right store?');
    expect(run.stdout).toBe("");
    expect(await runEda(["forget", "ada", "--store", "memory:"], PROJECT)).toMatchObject({ code: 2, stderr: expect.stringContaining("the memory store keeps its events and keys in one process only") });
  });

  it("refuses a PostgreSQL database that holds no events (EDA_STORE naming the wrong one), for forget and rotate-master", async () => {
    await withPostgresDatabase("eda_forget_wrong", async (url) => {
      const inner = await runtime.openStore(url); // an event store with no events
      await inner.close();
      const run = await runEda(["forget", "ada"], PROJECT, { EDA_STORE: url });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("is it the right store? Check --store, EDA_STORE or the config's \"store\" (nothing was deleted)");
      const rotate = await runEda(["keys", "rotate-master"], PROJECT, { EDA_STORE: url, EDA_MASTER_KEY: randomBytes(32).toString("base64") });
      expect(rotate).toMatchObject({ code: 2, stdout: "", stderr: expect.stringContaining("the store holds no data key and no events: is it the right store?") });
    });
  });

  // Every operator command made eda's fifteen tables (with triggers and functions) in another
  // application's database, then answered as if it were an empty store: forget and rotate-master
  // "nothing was changed" (exit 2), projections status "not started", parked list "no parked
  // events", workflows list "no workflow runs" (exit 0).
  const COMMANDS = [["forget", "ada"], ["keys", "rotate-master"], ["store", "verify"], ["projections", "status"], ["parked", "list"], ["workflows", "list"]];
  async function refusedEach(url: string, masked: string): Promise<void> {
    for (const command of COMMANDS) {
      const run = await runEda([...command, "--store", url], PROJECT, { EDA_MASTER_KEY: randomBytes(32).toString("base64") });
      expect(run, command.join(" ")).toMatchObject({
        code: 2,
        stdout: "",
        stderr: `eda: ${masked} holds no event store (no table eda_events); nothing was created in it: is it the right store? Check --store, EDA_STORE or the config's "store"\n`,
      });
    }
  }

  it("creates nothing in a PostgreSQL database without eda's tables, and says it is not an event store", async () => {
    await withPostgresDatabase("eda_other_app", async (url) => {
      const pg = (await import("pg")).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("CREATE TABLE customers (id int)");
        const withPassword = new URL(url);
        withPassword.password = "s3cret";
        await refusedEach(withPassword.toString(), withPassword.toString().replace("s3cret", "***"));
        const { rows } = await client.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'");
        expect(rows.map((r) => r.name)).toEqual(["customers"]);
      } finally {
        await client.end();
      }
    });
  });

  it("creates nothing in a SQLite file without eda's tables", async () => {
    const file = join(PROJECT, "store", "other-app.db");
    // better-sqlite3 as the runtime has it (the workspace root does not depend on it).
    const Sqlite = createRequire(join(ROOT, "packages/runtime/package.json"))("better-sqlite3") as new (file: string, options?: { readonly?: boolean }) => SqliteDatabase;
    new Sqlite(file).exec("CREATE TABLE customers (id int)").close();
    await refusedEach(`sqlite:${file}`, `sqlite:${file}`);
    const db = new Sqlite(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master").all()).toEqual([{ name: "customers" }]);
    db.close();
  });

  it("eda store verify: a missing or different master key is a usage error, an altered event is reported", async () => {
    const file = join(PROJECT, "store", "wrapped.db");
    const master = randomBytes(32);
    await orders(`sqlite:${file}`, [ADA, BOB], master);
    const verify = (env: Record<string, string>) => runEda(["store", "verify", "--store", `sqlite:${file}`], PROJECT, env);
    expect(await verify({ EDA_MASTER_KEY: "" })).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read the personal data of the store: the data keys are stored wrapped under a master key, but the key store has none: set EDA_MASTER_KEY") });
    expect(await verify({ EDA_MASTER_KEY: randomBytes(32).toString("base64") })).toMatchObject({ code: 2, stderr: expect.stringContaining("does not unwrap under the master key") });
    expect(await verify({ EDA_MASTER_KEY: master.toString("base64") })).toMatchObject({ code: 0, stdout: "verified 2 events: every one reads\n" });

    // Bob's sealed entry with one character changed, appended past the encrypting store.
    const inner = await runtime.openStore(`sqlite:${file}`);
    const [bob] = await inner.readStream("Ordering.Order-2");
    const payload = bob!.payload as Record<string, unknown> & { "eda:enc": { v: string } };
    const v = payload["eda:enc"].v;
    const altered = { ...payload, orderId: "3f1c2a9e-4b7d-4c1e-9a2b-000000000009", "eda:enc": { ...payload["eda:enc"], v: `${v[0] === "A" ? "B" : "A"}${v.slice(1)}` } };
    await inner.append("Ordering.Order-9", [{ ...placed(9, BOB), payload: altered }], { kind: "no-stream" });
    await inner.close();
    const run = await verify({ EDA_MASTER_KEY: master.toString("base64") });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Ordering.Order-9 #0 (global 3) OrderPlaced v2: tampered");
    expect(run.stdout).toContain("verified 3 events: 1 event cannot be read");
  });
});
