/**
 * `eda forget <subject>` as a process on the shop's generated project: the subject's keys are
 * deleted from the store (SQLite by --store or the config, PostgreSQL by EDA_STORE), their
 * `@pii(subject)` fields read as "[forgotten]", `eda store verify` still reads every event, and
 * the e-mails were never in the store's bytes; nor is the forgotten key afterwards (purged), or,
 * while another process's read holds a copy back, the run says so and exits 1 until run again.
 * Bad input gives a clear error and exit code 2.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import type { NewEvent } from "@eda/runtime";
import { BIN, ensureBundle, ROOT, runEda } from "./helpers.js";
import { generatedShopWithStore } from "./shop-store.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

/** better-sqlite3, as the runtime has it (a reader of another process, for the test). */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { get(...params: unknown[]): unknown };
  close(): void;
}
const Sqlite = createRequire(join(ROOT, "packages/runtime/package.json"))("better-sqlite3") as new (file: string, options?: { readonly?: boolean }) => SqliteDatabase;

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `forget-${randomBytes(4).toString("hex")}`);

const ADA = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000a";
const BOB = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000b";
const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };

function placed(n: number, customerId: string, contactEmail: string): NewEvent {
  const orderId = `3f1c2a9e-4b7d-4c1e-9a2b-00000000000${n}`;
  const payload = { orderId, customerId, lines: [], total: { amountMinor: 100, currency: "EUR" }, shipTo, contactEmail };
  return { messageId: `m-${n}`, type: "OrderPlaced", version: 2, correlationId: `m-${n}`, causationId: null, payload };
}

let runtime: typeof Runtime;
let table: Runtime.CodecTable;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  table = await generatedShopWithStore(PROJECT);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

/** Ada's and Bob's orders, stored through the encrypting store. */
async function fill(url: string): Promise<void> {
  const inner = await runtime.openStore(url);
  const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner));
  await store.append("Ordering.Order-1", [placed(1, ADA, "ada@example.com")], { kind: "no-stream" });
  await store.append("Ordering.Order-2", [placed(2, BOB, "bob@example.com")], { kind: "no-stream" });
  await store.close();
}

async function emails(url: string): Promise<unknown[]> {
  const inner = await runtime.openStore(url);
  try {
    const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner));
    return (await store.readAll(1, 10)).map((e) => (e.payload as { contactEmail: unknown }).contactEmail);
  } finally {
    await inner.close();
  }
}

/** Every byte of the files in the project's store folder (databases, logs), as text. */
function storeBytes(): string {
  return readdirSync(join(PROJECT, "store")).map((f) => readFileSync(join(PROJECT, "store", f)).toString("latin1")).join("");
}

/** The stored form of the subject's key (base64: the test stores keys unwrapped). */
function storedKey(file: string, subject: string): string {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT key_data FROM eda_subject_keys WHERE subject = ?").get(subject) as { key_data: string }).key_data;
  } finally {
    db.close();
  }
}

describe("eda forget", () => {
  it("forgets a customer in the configured SQLite store; verify still reads every event", async () => {
    const file = join(PROJECT, "store", "shop.db");
    await fill(`sqlite:${file}`);
    const bytes = storeBytes();
    expect(bytes).toContain(ADA);
    expect(bytes).not.toContain("ada@example.com");
    expect(bytes).not.toContain("bob@example.com");

    expect(await runEda(["store", "verify"], PROJECT)).toMatchObject({ code: 0, stdout: "verified 2 events: every one reads\n" });
    const key = storedKey(file, ADA);
    expect(storeBytes()).toContain(key);
    const run = await runEda(["forget", ADA], PROJECT);
    expect(run).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `forgot subject "${ADA}": 1 key deleted; their personal data now reads as forgotten\npurged: the write-ahead log was checkpointed into the database and truncated\n`,
    });
    // The key is gone from the store's files too, not only from its table.
    expect(storeBytes()).not.toContain(key);
    expect(await emails(`sqlite:${file}`)).toEqual(["[forgotten]", "bob@example.com"]);
    expect(await runEda(["store", "verify"], PROJECT)).toMatchObject({ code: 0, stdout: "verified 2 events: every one reads\n" });
    const again = await runEda(["forget", ADA, "--store", `sqlite:${file}`], PROJECT);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining(`no key of subject "${ADA}"`) });
  });

  it("exits 1 with a warning while another process's read holds a copy back, and purges when run again", async () => {
    const file = join(PROJECT, "store", "held.db");
    await fill(`sqlite:${file}`);
    const key = storedKey(file, BOB);
    const reader = new Sqlite(file);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM eda_events").get();
    try {
      const held = await runEda(["forget", BOB, "--store", `sqlite:${file}`], PROJECT);
      expect(held).toMatchObject({ code: 1, stdout: expect.stringContaining("1 key deleted"), stderr: expect.stringMatching(/^warning: not purged yet: another process is using the database.*run eda forget ".*" again\n$/) });
    } finally {
      reader.exec("COMMIT");
      reader.close();
    }
    const again = await runEda(["forget", BOB, "--store", `sqlite:${file}`], PROJECT);
    expect(again).toMatchObject({ code: 0, stderr: "", stdout: expect.stringContaining("purged: ") });
    expect(readdirSync(join(PROJECT, "store")).filter((f) => f.startsWith("held.db")).some((f) => readFileSync(join(PROJECT, "store", f)).includes(key))).toBe(false);
  });

  it("says what is wrong: no subject, a missing SQLite file, a server that does not answer (password masked)", async () => {
    expect((await runEda(["forget"], PROJECT)).code).toBe(2);
    expect(await runEda(["forget", ADA, "--store", "sqlite:nowhere.db"], PROJECT)).toMatchObject({ code: 2, stderr: expect.stringContaining("no SQLite store at") });
    const down = await runEda(["forget", ADA, "--store", "postgres://app:s3cret@127.0.0.1:1/shop"], PROJECT);
    expect(down.code).toBe(2);
    expect(down.stderr).not.toContain("s3cret");
  });

  it("on PostgreSQL through EDA_STORE", async () => {
    await withPostgresDatabase("eda_forget", async (url) => {
      await fill(url);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const stored = JSON.stringify((await db.query("SELECT payload FROM eda_events")).rows);
      expect(stored).not.toContain("ada@example.com");
      const key = (await db.query<{ key_data: string }>("SELECT key_data FROM eda_subject_keys WHERE subject = $1", [BOB])).rows[0]!.key_data;
      // The key table's file as PostgreSQL has it on disk (its pages written out first).
      const fileHoldsKey = async (): Promise<boolean> => {
        await db.query("CHECKPOINT");
        const { rows } = await db.query<{ holds: boolean }>(
          "SELECT position(convert_to($1, 'UTF8') IN pg_read_binary_file(pg_relation_filepath('eda_subject_keys'))) > 0 AS holds",
          [key],
        );
        return rows[0]!.holds;
      };
      try {
        expect(await fileHoldsKey()).toBe(true);
        let run = await runEda(["forget", BOB], PROJECT, { EDA_STORE: url });
        expect(run.stdout).toMatch(/^forgot subject ".*": 1 key deleted/);
        // Another test's transaction on the shared server holds the purge back while it runs: run it again, as the warning says.
        for (let i = 0; i < 30 && run.code === 1 && /not purged yet: \d+ transactions? that began before the deletion/.test(run.stderr); i++) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          run = await runEda(["forget", BOB], PROJECT, { EDA_STORE: url });
        }
        expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/\npurged: VACUUM FULL eda_subject_keys wrote the key table anew without any deleted key\n$/) });
        expect(await fileHoldsKey()).toBe(false);
      } finally {
        await db.end();
      }
      expect(await emails(url)).toEqual(["ada@example.com", "[forgotten]"]);
      expect(await runEda(["store", "verify"], PROJECT, { EDA_STORE: url })).toMatchObject({ code: 0, stdout: "verified 2 events: every one reads\n" });
    });
  });
});

/** Starts `eda` held at a test pause point; resolves once it is held there, with the process. */
function startHeld(args: readonly string[], stage: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT, env: { ...process.env, EDA_TEST_PAUSE_AT: stage }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      if (stderr.includes(`eda: test pause at ${stage}`)) resolve(child);
    });
    child.on("error", reject);
    child.on("close", () => reject(new Error(`ended before its pause: ${stderr}`)));
  });
}

describe.each(["sqlite", "postgres"] as const)("eda forget killed between deleting the keys and purging them, on %s", (engine) => {
  it("leaves a store that verifies, with the subject forgotten; run again, it finishes the purge", async () => {
    const check = async (url: string) => {
      await fill(url);
      const held = await startHeld(["forget", ADA, "--store", url], "forget-purge");
      const gone = new Promise((resolve) => held.on("close", resolve));
      held.kill("SIGKILL");
      await gone;
      expect(await emails(url)).toEqual(["[forgotten]", "bob@example.com"]);
      expect(await runEda(["store", "verify", "--store", url], PROJECT)).toMatchObject({ code: 0, stdout: "verified 2 events: every one reads\n" });
      const again = await runEda(["forget", ADA, "--store", url], PROJECT);
      expect(again).toMatchObject({ code: 0, stderr: "", stdout: expect.stringMatching(new RegExp(`^no key of subject "${ADA}": nothing of theirs is encrypted \\(or they were forgotten before\\)\\npurged: `)) });
    };
    if (engine === "postgres") await withPostgresDatabase("eda_forget_killed", check);
    else await check(`sqlite:${join(PROJECT, "store", "killed.db")}`);
  });
});
