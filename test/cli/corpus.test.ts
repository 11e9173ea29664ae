/**
 * `eda corpus synth` and `eda corpus check` as processes on a real project: the shop model
 * generated with `eda generate` (inside the repository, so the generated code resolves zod and
 * @eda/runtime as an installed project would), and its upcast hooks in the handlers folder.
 */
import { randomBytes } from "node:crypto";
import type * as Runtime from "@eda/runtime";
import type { EventStore, NewEvent } from "@eda/runtime";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT, runEda } from "./helpers.js";
import { withPostgresDatabase } from "../support/postgres-database.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `corpus-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");
const HOOKS = join(PROJECT, "handlers", "ordering", "upcasts.ts");

const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const total = { amountMinor: 100, currency: "EUR" };

/**
 * A store as an older build and the current one left it: v1 events (the shape the first build
 * encoded, `totalCents` and `email`), v2 events, and an event type the model no longer has.
 */
async function fill(store: EventStore): Promise<void> {
  const event = (i: number, type: string, version: number, payload: unknown): NewEvent => ({ messageId: `m${i}`, type, version, correlationId: `m${i}`, causationId: null, payload });
  const id = (i: number): string => `3f1c2a9e-4b7d-4c1e-9a2b-${String(i).padStart(12, "0")}`;
  const older = Array.from({ length: 30 }, (_, i) => event(i, "OrderPlaced", 1, { orderId: id(i), customerId: id(i), totalCents: 100 * i, shipTo, email: `person${i}@real-mail.example` }));
  const newer = Array.from({ length: 30 }, (_, i) => event(100 + i, "OrderPlaced", 2, { orderId: id(i), customerId: id(i), lines: [], total, shipTo, contactEmail: `person${i}@real-mail.example` }));
  await store.append("Ordering.Order-old", older, { kind: "no-stream" });
  await store.append("Ordering.Order-new", newer, { kind: "no-stream" });
  await store.append("Ordering.Order-gone", [event(500, "OrderArchived", 1, { orderId: id(1) })], { kind: "no-stream" });
}

let runtime: typeof Runtime;

/** The shop's hook, with `totalCents` of any sign made a valid amount. */
const SOUND_HOOK = readFileSync(join(SHOP, "handlers", "ordering", "upcasts.ts"), "utf8").replace("amountMinor: event.totalCents", "amountMinor: Math.abs(event.totalCents)");
/** A hook that tells the currency by when the event was stored. */
const TIME_HOOK = SOUND_HOOK.replace(
  'total: (event) => ({ amountMinor: Math.abs(event.totalCents), currency: "USD" })',
  'total: (event, stored) => ({ amountMinor: Math.abs(event.totalCents), currency: stored.time < "2024-01-01" ? "USD" : "EUR" })',
);

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", handlers: "handlers" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

function files(dir: string): Record<string, string> {
  const names = readdirSync(join(PROJECT, dir), { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".json")).sort();
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(PROJECT, dir, n), "utf8")]));
}

describe("eda corpus", () => {
  it("synthesizes samples of every event version, the same for the same seed", async () => {
    const run = await runEda(["corpus", "synth", "--out", "corpus", "--count", "20", "--seed", "7"], PROJECT);
    expect(run).toEqual({ code: 0, stdout: "wrote 260 samples of 13 event versions to corpus/\n", stderr: "" });
    const first = files("corpus");
    expect(Object.keys(first)).toContain("ordering/OrderPlaced.v1.json");
    const v1 = JSON.parse(first["ordering/OrderPlaced.v1.json"] as string) as { type: string; version: number; samples: { shipTo: { country: string } }[] };
    expect([v1.type, v1.version, v1.samples.length]).toEqual(["OrderPlaced", 1, 20]);
    expect(v1.samples.every((s) => /^[A-Z]{2}$/.test(s.shipTo.country))).toBe(true);
    await runEda(["corpus", "synth", "--out", "again", "--count", "20", "--seed", "7"], PROJECT);
    expect(files("again")).toEqual(first);
    await runEda(["corpus", "synth", "--out", "other", "--count", "20", "--seed", "8"], PROJECT);
    expect(files("other")).not.toEqual(first);
  });

  it("replays every sample through deserialize and names each one that cannot be read", async () => {
    // The scaffold's hook throws: every v1 sample fails in the upcast.
    const stubbed = await runEda(["corpus", "check", "corpus"], PROJECT);
    expect(stubbed.code).toBe(1);
    expect(stubbed.stdout).toMatch(/^corpus\/ordering\/OrderPlaced\.v1\.json samples\[0\] OrderPlaced v1: upcast-failed\n/);
    // The example's hook passes a negative totalCents on: the upcast result breaks @min(0).
    copyFileSync(join(SHOP, "handlers", "ordering", "upcasts.ts"), HOOKS);
    const example = await runEda(["corpus", "check", "corpus"], PROJECT);
    expect(example.code).toBe(1);
    expect(example.stdout).toMatch(/^corpus\/ordering\/OrderPlaced\.v1\.json samples\[\d+\] OrderPlaced v1: invalid-upcast at total\.amountMinor\n/m);
    writeFileSync(HOOKS, SOUND_HOOK);
    expect(await runEda(["corpus", "check", "corpus"], PROJECT)).toEqual({ code: 0, stdout: "checked 260 samples in 13 fixtures: every one reads\n", stderr: "" });
  });

  it("reads fixtures captured from an older build, and reports a stored payload its version rejects", async () => {
    writeFileSync(HOOKS, SOUND_HOOK);
    mkdirSync(join(PROJECT, "old"), { recursive: true });
    const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
    const v1 = { orderId: "3f1c2a9e-4b7d-4c1e-9a2b-000000000001", customerId: "7d0e8f6a-1c2b-4d3e-8f4a-000000000001", totalCents: 2599, shipTo, email: "ada@example.com" };
    writeFileSync(join(PROJECT, "old", "OrderPlaced.v1.json"), JSON.stringify({ type: "OrderPlaced", version: 1, samples: [v1, { ...v1, customerId: "legacy-42" }] }));
    const run = await runEda(["corpus", "check", "old"], PROJECT);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => !l.startsWith("  "))).toEqual([
      "old/OrderPlaced.v1.json samples[1] OrderPlaced v1: invalid-payload at customerId",
      "checked 2 samples in 1 fixture: 1 sample cannot be read",
      "",
    ]);
    const json = await runEda(["corpus", "check", "old", "--format", "json"], PROJECT);
    expect(json.code).toBe(1);
    const lines = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ file: "old/OrderPlaced.v1.json", sample: 1, type: "OrderPlaced", version: 1, reason: "invalid-payload", field: "customerId" });
    expect(typeof lines[0]?.["message"]).toBe("string");
    expect(JSON.parse(json.stderr) as unknown).toEqual({ samples: 2, fixtures: 1, failed: 1 });
  });

  /** Captures from `url` into `out`, checks what was written, and replays it. */
  async function captureAndCheck(url: string, out: string): Promise<void> {
    writeFileSync(HOOKS, SOUND_HOOK);
    const run = await runEda(["corpus", "capture", "--out", out, "--count", "5"], PROJECT, { EDA_STORE: url });
    expect(run.stdout).toBe(`wrote 10 samples of 2 event versions to ${out}/\n`);
    expect(run.stderr).toBe("eda: left out 1 event of OrderArchived v1: the model does not know that version, so its personal data cannot be found\n");
    expect(run.code).toBe(1);
    const written = files(out);
    expect(Object.keys(written)).toEqual(["ordering/OrderPlaced.v1.json", "ordering/OrderPlaced.v2.json"]);
    const v1 = JSON.parse(written["ordering/OrderPlaced.v1.json"] as string) as { samples: { email: string; totalCents: number; shipTo: unknown }[] };
    expect(v1.samples).toHaveLength(5);
    // Personal data replaced by valid synthetic values; the rest as stored.
    expect(JSON.stringify(written)).not.toContain("real-mail");
    expect(v1.samples.every((s) => /^user\d+@example\.com$/.test(s.email) && s.totalCents % 100 === 0)).toBe(true);
    expect(v1.samples[0]?.shipTo).toEqual(shipTo);
    // Sampled from the whole log, not its first events.
    expect(v1.samples.some((s) => s.totalCents >= 500)).toBe(true);
    expect(await runEda(["corpus", "check", out], PROJECT)).toEqual({ code: 0, stdout: "checked 10 samples in 2 fixtures: every one reads\n", stderr: "" });
    // Beside each sample, the facts the store assigned (never the stream, ids or metadata, which may be personal).
    const stored = (JSON.parse(written["ordering/OrderPlaced.v1.json"] as string) as { stored: Record<string, unknown>[] }).stored;
    expect(stored).toHaveLength(5);
    expect(stored.every((f) => Object.keys(f).sort().join() === "globalPosition,position,time" && f["position"] === (f["globalPosition"] as number) - 1)).toBe(true);
    // So a hook that reads the stored time is replayed with the time each event was stored at.
    writeFileSync(HOOKS, TIME_HOOK);
    expect(await runEda(["corpus", "check", out], PROJECT)).toEqual({ code: 0, stdout: "checked 10 samples in 2 fixtures: every one reads\n", stderr: "" });
  }

  it("captures samples from a SQLite store, personal data replaced, and they replay", async () => {
    const file = join(PROJECT, "store", "shop.db");
    mkdirSync(join(PROJECT, "store"), { recursive: true });
    const store = await runtime.openStore(`sqlite:${file}`);
    await fill(store);
    await store.close();
    await captureAndCheck(`sqlite:${file}`, "captured-sqlite");
  });

  it("captures samples from PostgreSQL the same way", async () => {
    await withPostgresDatabase("eda_corpus", async (url) => {
      const store = await runtime.openStore(url);
      await fill(store);
      await store.close();
      await captureAndCheck(url, "captured-pg");
    });
  });

  it("fails a sample without the stored fact a hook reads, naming it, until the fixture gives it", async () => {
    expect(TIME_HOOK).toContain("stored.time");
    writeFileSync(HOOKS, TIME_HOOK);
    mkdirSync(join(PROJECT, "timed"), { recursive: true });
    const v1 = { orderId: "3f1c2a9e-4b7d-4c1e-9a2b-000000000001", customerId: "7d0e8f6a-1c2b-4d3e-8f4a-000000000001", totalCents: 2599, shipTo, email: "ada@example.com" };
    const fixture = join(PROJECT, "timed", "OrderPlaced.v1.json");
    writeFileSync(fixture, JSON.stringify({ type: "OrderPlaced", version: 1, samples: [v1, v1] }));
    const bare = await runEda(["corpus", "check", "timed"], PROJECT);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain("timed/OrderPlaced.v1.json samples[0] OrderPlaced v1: upcast-failed\n  \"OrderPlaced\" v1: the upcast threw: the hook read stored.time, which deserialize was not given");
    writeFileSync(fixture, JSON.stringify({ type: "OrderPlaced", version: 1, samples: [v1, v1], stored: [{ time: "2023-06-01T08:30:00.000Z" }, { time: "2025-02-01T10:00:00.000Z", stream: "Ordering.Order-1" }] }));
    expect(await runEda(["corpus", "check", "timed"], PROJECT)).toEqual({ code: 0, stdout: "checked 2 samples in 1 fixture: every one reads\n", stderr: "" });
    // Facts as the stores give them: a time in another form would compare differently as text.
    const refusals: [Record<string, unknown>, string][] = [
      [{ time: 1 }, "[0].time must be a UTC time as the stores give it, e.g. 2024-01-31T09:30:00.000Z"],
      [{ time: "2023-06-01T08:30:00Z" }, "[0].time must be a UTC time as the stores give it, e.g. 2024-01-31T09:30:00.000Z"],
      [{ time: "2023-02-30T08:30:00.000Z" }, "[0].time must be a UTC time as the stores give it, e.g. 2024-01-31T09:30:00.000Z"],
      [{ position: -1 }, "[0].position must be a whole number from 0 (a stream's first event)"],
      [{ globalPosition: 0 }, "[0].globalPosition must be a whole number from 1 (the store's first event)"],
    ];
    for (const [facts, why] of refusals) {
      writeFileSync(fixture, JSON.stringify({ type: "OrderPlaced", version: 1, samples: [v1], stored: [facts] }));
      expect(await runEda(["corpus", "check", "timed"], PROJECT)).toEqual({ code: 2, stdout: "", stderr: `eda: timed/OrderPlaced.v1.json: not a fixture: "stored" ${why}\n` });
    }
    writeFileSync(HOOKS, SOUND_HOOK);
  });

  it("refuses what is not a fixture, naming the file, and bad options", async () => {
    mkdirSync(join(PROJECT, "junk"), { recursive: true });
    writeFileSync(join(PROJECT, "junk", "x.json"), '{ "type": "OrderPlaced", "samples": [] }');
    expect(await runEda(["corpus", "check", "junk"], PROJECT)).toEqual({
      code: 2,
      stdout: "",
      stderr: 'eda: junk/x.json: not a fixture: it needs "type" (a string), "version" (a whole number) and "samples" (a list)\n',
    });
    expect((await runEda(["corpus", "check", "nowhere"], PROJECT)).code).toBe(2);
    expect((await runEda(["corpus", "synth", "--out", "x", "--count", "0"], PROJECT)).code).toBe(2);
  });
});
