/**
 * The replay corpus round trip with events written by an OLDER generated build: the first
 * release's model (only `OrderPlaced v1`) generated with `eda generate`, its codec loaded with tsx
 * and its events written as its app writes them — validated, encoded, and stored through the
 * runtime's encrypting store (the `@pii(customerId)` e-mail sealed) — on SQLite and PostgreSQL.
 * Then `eda corpus capture` and `eda corpus check` in the current shop project: the samples hold
 * the decrypted e-mail replaced by a synthetic one, a row that is not JSON is left out and named,
 * and a broken upcast hook fails the check naming the fixture and the field.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import type { EventStore, ModelCodec } from "@eda/runtime";
import { ensureBundle, ROOT, runEda } from "./helpers.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

const OUT = join(ROOT, "test", "cli", ".eda-out", `corpus-older-${randomBytes(4).toString("hex")}`);
const OLDER = join(OUT, "release-1");
const PROJECT = join(OUT, "current");
const SHOP = join(ROOT, "examples", "shop");
const HOOKS = join(PROJECT, "handlers", "ordering", "upcasts.ts");

/** The first release's ordering context: `OrderPlaced` had one shape. */
const RELEASE_1 = `/// Orders, as the first release modelled them.
context Ordering

use Shared

event OrderPlaced v1 { orderId: uuid   customerId: uuid   totalCents: int   shipTo: Address   email: email @pii(customerId) }
`;

const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const id = (i: number): string => `3f1c2a9e-4b7d-4c1e-9a2b-${String(i).padStart(12, "0")}`;

/** The shop's hook, with `totalCents` of any sign made a valid amount. */
const SOUND_HOOK = readFileSync(join(SHOP, "handlers", "ordering", "upcasts.ts"), "utf8").replace("amountMinor: event.totalCents", "amountMinor: Math.abs(event.totalCents)");

let runtime: typeof Runtime;
let olderCodec: ModelCodec;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(OLDER, { recursive: true });
  mkdirSync(PROJECT, { recursive: true });
  copyFileSync(join(SHOP, "common.eda"), join(OLDER, "common.eda"));
  writeFileSync(join(OLDER, "ordering.eda"), RELEASE_1);
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  for (const dir of [OLDER, PROJECT]) {
    writeFileSync(join(dir, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", handlers: "handlers" }));
    const generated = await runEda(["generate"], dir);
    expect(generated.code, generated.stderr).toBe(0);
  }
  const codecFile = join(OLDER, "generated", "codec.ts");
  const module = (await tsImport(pathToFileURL(codecFile).href, import.meta.url)) as { createCodec: () => ModelCodec };
  olderCodec = module.createCodec();
  expect(olderCodec.currentVersion("OrderPlaced")).toBe(1);
}, 180_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/**
 * Writes 30 orders as the first release's app does: each event validated and encoded by its
 * codec, appended through the encrypting store; on SQLite, one more row whose payload a hand
 * made unreadable (PostgreSQL's json column refuses such a row).
 */
async function writeAsReleaseOne(url: string): Promise<void> {
  const raw = await runtime.openStore(url);
  const store: EventStore = runtime.withEncryption(raw, olderCodec, undefined);
  try {
    for (let i = 0; i < 30; i++) {
      const data = { orderId: id(i), customerId: id(1000 + i), totalCents: 100 * i, shipTo, email: `person${i}@real-mail.example` };
      const checked = olderCodec.validateEvent({ type: "OrderPlaced", data });
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      const { type, version, payload } = olderCodec.encode(checked.value);
      await store.append(`Ordering.Order-${id(i)}`, [{ messageId: `m${i}`, type, version, correlationId: `m${i}`, causationId: null, payload }], { kind: "no-stream" });
    }
    // The older build sealed the e-mail: the stored rows hold no address in clear.
    const stored = JSON.stringify(await raw.readAll(0, 100));
    expect(stored).toContain("eda:enc");
    expect(stored).not.toContain("real-mail");
    if (!url.startsWith("sqlite:")) return;
    const { type, version, payload } = olderCodec.encode({ type: "OrderPlaced", data: { orderId: id(99), customerId: id(99), totalCents: 1, shipTo, email: "x@real-mail.example" } });
    await store.append("Ordering.Order-hand", [{ messageId: "hand", type, version, correlationId: "hand", causationId: null, payload }], { kind: "no-stream" });
    const { unlock, relock } = runtime.HISTORY_UNLOCK_SQL.sqlite;
    await raw.transaction(async (tx) => {
      for (const sql of [unlock, `UPDATE eda_events SET payload = '{"orderId": ' WHERE message_id = 'hand'`, relock]) await tx.sql?.query(sql);
    });
  } finally {
    await store.close();
  }
}

/** Captures from `url` into `out` in the current project, checks the samples, and replays them. */
async function captureAndCheck(url: string, out: string): Promise<void> {
  writeFileSync(HOOKS, SOUND_HOOK);
  const run = await runEda(["corpus", "capture", "--out", out, "--count", "5"], PROJECT, { EDA_STORE: url });
  expect(run.stdout).toBe(`wrote 5 samples of 1 event version to ${out}/\n`);
  if (url.startsWith("sqlite:")) {
    expect(run.stderr).toMatch(/^eda: left out the event at global position \d+ \(OrderPlaced v1\): its payload is not JSON \(.+\)\n$/);
    expect(run.code).toBe(1);
  } else expect([run.code, run.stderr]).toEqual([0, ""]);
  const text = readFileSync(join(PROJECT, out, "ordering", "OrderPlaced.v1.json"), "utf8");
  const samples = (JSON.parse(text) as { samples: Record<string, unknown>[] }).samples;
  expect(samples).toHaveLength(5);
  // Decrypted (no sealed field left), then the e-mail replaced by a synthetic one.
  expect(text).not.toContain("real-mail");
  expect(text).not.toContain("eda:enc");
  expect(samples.every((s) => typeof s["email"] === "string" && /^user\d+@example\.com$/.test(s["email"]))).toBe(true);
  expect(samples[0]?.["shipTo"]).toEqual(shipTo);
  expect(await runEda(["corpus", "check", out], PROJECT)).toEqual({ code: 0, stdout: "checked 5 samples in 1 fixture: every one reads\n", stderr: "" });
  // A broken upcast (the cents passed on as a string) fails, naming the fixture and the field.
  writeFileSync(HOOKS, SOUND_HOOK.replace("amountMinor: Math.abs(event.totalCents)", "amountMinor: String(event.totalCents) as unknown as number"));
  const broken = await runEda(["corpus", "check", out], PROJECT);
  expect(broken.code).toBe(1);
  expect(broken.stdout).toMatch(new RegExp(`^${out}/ordering/OrderPlaced\\.v1\\.json samples\\[0\\] OrderPlaced v1: invalid-upcast at total\\.amountMinor\\n`));
  expect(broken.stdout).toMatch(/checked 5 samples in 1 fixture: 5 samples cannot be read\n$/);
}

describe("eda corpus with events of an older generated build", () => {
  it("captures and replays v1 events the first release wrote, encrypted, on SQLite", async () => {
    mkdirSync(join(PROJECT, "store"), { recursive: true });
    const url = `sqlite:${join(PROJECT, "store", "shop.db")}`;
    await writeAsReleaseOne(url);
    await captureAndCheck(url, "captured-sqlite");
    // Without a generated codec (no config here) the sealed e-mails cannot be read: each event is left out, saying why.
    const blind = await runEda(["corpus", "capture", "current", "--out", "blind", "--store", url], OUT);
    expect(blind.code).toBe(1);
    expect(blind.stdout).toBe("wrote 0 samples of 0 event versions to blind/\n");
    const lines = blind.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(31);
    expect(lines.filter((l) => l.endsWith("its personal data is encrypted and there is no generated codec to decrypt it with (set \"out\" in eda.config.json and run `eda generate`)"))).toHaveLength(30);
  });

  it("captures and replays them on PostgreSQL", async () => {
    await withPostgresDatabase("eda_corpus_old", async (url) => {
      await writeAsReleaseOne(url);
      await captureAndCheck(url, "captured-pg");
    });
  });
});
