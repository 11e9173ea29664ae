/**
 * `eda keys rotate-master` as a process on the shop's generated project, on SQLite and
 * PostgreSQL: every data key is rewrapped from EDA_OLD_MASTER_KEY to EDA_MASTER_KEY, the personal
 * data then reads under the new key only; a re-run changes nothing; a key that opens under
 * neither master key stops the command with nothing written (the keys before it in the same
 * transaction stay as they were); usage errors say what is missing.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import type { NewEvent } from "@eda/runtime";
import { ensureBundle, ROOT, runEda } from "./helpers.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `keys-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");
const ADA = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000a";
const BOB = "7d0e8f6a-1c2b-4d3e-8f4a-00000000000b";
const [A, B, C, D] = [1, 2, 3, 4].map((n) => Buffer.alloc(32, n)) as [Buffer, Buffer, Buffer, Buffer];
const b64 = (key: Buffer): string => key.toString("base64");

let runtime: typeof Runtime;
let table: Runtime.CodecTable;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", handlers: "handlers" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
  table = ((await import(join(PROJECT, "generated", "codec.ts"))) as { codecTable: Runtime.CodecTable }).codecTable;
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

function placed(n: number, customerId: string, contactEmail: string): NewEvent {
  const orderId = `3f1c2a9e-4b7d-4c1e-9a2b-00000000000${n}`;
  const payload = { orderId, customerId, lines: [], total: { amountMinor: 100, currency: "EUR" }, shipTo: { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" }, contactEmail };
  return { messageId: `m-${n}`, type: "OrderPlaced", version: 2, correlationId: `m-${n}`, causationId: null, payload };
}

/** Ada's and Bob's orders, their keys wrapped under `master`. */
async function fill(url: string, master: Buffer): Promise<void> {
  const inner = await runtime.openStore(url);
  const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner, { masterKey: master }));
  await store.append("Ordering.Order-1", [placed(1, ADA, "ada@example.com")], { kind: "no-stream" });
  await store.append("Ordering.Order-2", [placed(2, BOB, "bob@example.com")], { kind: "no-stream" });
  await store.close();
}

/** The e-mails as a process with `master` reads them (rejects when the keys do not unwrap). */
async function emails(url: string, master: Buffer): Promise<unknown[]> {
  const inner = await runtime.openStore(url);
  try {
    const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner, { masterKey: master }));
    return (await store.readAll(1, 10)).map((e) => (e.payload as { contactEmail: unknown }).contactEmail);
  } finally {
    await inner.close();
  }
}

/** A key row that opens under no master key the test uses, sorted after every real subject. */
async function addStrayKey(url: string): Promise<void> {
  const inner = await runtime.openStore(url);
  try {
    await inner.transaction(async (tx) => {
      const p = (n: number): string => (tx.sql!.dialect === "postgres" ? `$${n}` : "?");
      const data = runtime.wrapKey(Buffer.alloc(32, 9), "zzz-stray", { id: "stray", key: randomBytes(32) });
      await tx.sql!.query(`INSERT INTO eda_subject_keys (subject, key_id, seq, key_data, created_at) VALUES (${[1, 2, 3, 4, 5].map(p).join(", ")})`, ["zzz-stray", "stray", 1, data, new Date().toISOString()]);
    });
  } finally {
    await inner.close();
  }
}

const rotate = (url: string, from: Buffer | undefined, to: Buffer | undefined) =>
  runEda(["keys", "rotate-master", "--store", url], PROJECT, { EDA_OLD_MASTER_KEY: from === undefined ? "" : b64(from), EDA_MASTER_KEY: to === undefined ? "" : b64(to) });

/**
 * The purge after a rewrap: done (exit 0), or, on the shared PostgreSQL server, held back by
 * another test's transaction while it runs (exit 1, saying so; the purge's own tests wait it out).
 */
function expectPurgedOrHeld(run: { code: number | null; stdout: string; stderr: string }): void {
  if (run.code === 0) expect(run).toMatchObject({ stderr: "", stdout: expect.stringMatching(/\npurged: .+\n$/) });
  else expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^warning: not purged yet: \d+ transactions? that began before the deletion/) });
}

async function rotation(url: string): Promise<void> {
  await fill(url, A);
  expect(await emails(url, A)).toEqual(["ada@example.com", "bob@example.com"]);

  const run = await rotate(url, A, B);
  expect(run.stdout).toMatch(/^rewrapped 2 data keys under the new master key; run every process with the new EDA_MASTER_KEY\n/);
  expectPurgedOrHeld(run);
  expect(await emails(url, B)).toEqual(["ada@example.com", "bob@example.com"]);
  await expect(emails(url, A)).rejects.toThrow(/does not unwrap under the master key/);
  const again = await rotate(url, A, B);
  expect(again.stdout).toMatch(/^all 2 data keys are under this EDA_MASTER_KEY already: nothing was rotated\n/);
  expectPurgedOrHeld(again);

  // A key no master key opens, last in the table: the rows before it were rewrapped in the
  // transaction, and the failure rolls them back.
  await addStrayKey(url);
  const failed = await rotate(url, B, C);
  expect(failed.code).toBe(2);
  expect(failed.stderr).toMatch(/the data key stray of subject "zzz-stray" opens under neither the old nor the new master key; nothing was changed/);
  expect(await emails(url, B)).toEqual(["ada@example.com", "bob@example.com"]);
  await expect(emails(url, C)).rejects.toThrow(/does not unwrap/);
}

describe("eda keys rotate-master", () => {
  it("rewraps every key on SQLite in one transaction; a re-run changes nothing; a failure writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eda-keys-"));
    try {
      await rotation(`sqlite:${join(dir, "shop.db")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does the same on PostgreSQL", async () => {
    await withPostgresDatabase("eda_keys", async (url) => {
      await rotation(url);
    });
  });

  it("wraps keys stored unwrapped when no old key is given, and says what is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eda-keys-"));
    const url = `sqlite:${join(dir, "shop.db")}`;
    try {
      const inner = await runtime.openStore(url);
      const store = runtime.encryptedStore(inner, table, runtime.sqlKeyStore(inner));
      await store.append("Ordering.Order-1", [placed(1, ADA, "ada@example.com")], { kind: "no-stream" });
      await inner.close();
      const wrapped = await rotate(url, undefined, D);
      expect(wrapped.stdout).toContain("rewrapped 1 data key under the new master key");
      expectPurgedOrHeld(wrapped);
      expect(await emails(url, D)).toEqual(["ada@example.com"]);
      expect(await rotate(url, undefined, A)).toMatchObject({ code: 2, stderr: expect.stringContaining("(it is wrapped: give the old master key)") });
      expect(await rotate(url, D, undefined)).toMatchObject({ code: 2, stderr: expect.stringContaining("set EDA_MASTER_KEY to the new master key") });
      const short = await runEda(["keys", "rotate-master", "--store", url], PROJECT, { EDA_MASTER_KEY: "c2hvcnQ=" });
      expect(short).toMatchObject({ code: 2, stderr: expect.stringContaining("EDA_MASTER_KEY must be 32 bytes in base64") });
      // Node's decoder would skip the stray character and take the rest as the key.
      const typed = A.toString("base64");
      const mistyped = await runEda(["keys", "rotate-master", "--store", url], PROJECT, { EDA_MASTER_KEY: `${typed.slice(0, 11)}$${typed.slice(11)}` });
      expect(mistyped).toMatchObject({ code: 2, stderr: expect.stringContaining("character 12 is not a base64 digit") });
      expect(mistyped.stderr).not.toContain(typed.slice(0, 11));
      // The current key given as the new one: done before, nothing turned, and the output says so.
      const again = await rotate(url, undefined, D);
      expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining("the data key is under this EDA_MASTER_KEY already: nothing was rotated; to rotate, set EDA_OLD_MASTER_KEY") });
      expect(await emails(url, D)).toEqual(["ada@example.com"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
