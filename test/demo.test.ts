/**
 * The README's main job, as a user runs it: `pnpm demo` checks and generates the shop and runs
 * it on the embedded default; the example's hand-written code type-checks strictly against the
 * generated code. With `EDA_STORE` the same scenario runs on PostgreSQL.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");

async function demo(env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ["scripts/demo.mjs"], { cwd: root, env: { ...process.env, ...env, NO_COLOR: "1" }, maxBuffer: 8 << 20 });
  return stdout;
}

function expectScenario(out: string): void {
  expect(out).toContain("No problems in 7 files.");
  expect(out).toMatch(/Ada places an order\s+accepted, OrderPlaced/);
  expect(out).toMatch(/Ada cancels her second order\s+accepted, OrderCancelled/);
  expect(out).toMatch(/Ada cancels it again\s+accepted, no events/);
  expect(out).toMatch(/OrderPlaced v1\s+Ordering\.Order-/);
  expect(out).toContain("Ada: placed 2, cancelled 1");
  expect(out).toContain("Ben: placed 2, cancelled 0");
  expect(out).toContain('total {"amountMinor":2599,"currency":"USD"}');
  // Each order's events share its conversation's correlation id.
  const rows = [...out.matchAll(/^\s+\d+\s+(\w+) v\d\s+(Ordering\.Order-\w+)\s+(\w+)\s+(\S+)$/gm)];
  const byStream = new Map<string, Set<string>>();
  for (const [, , stream, correlation] of rows) byStream.set(stream as string, (byStream.get(stream as string) ?? new Set()).add(correlation as string));
  expect(rows.length).toBeGreaterThanOrEqual(6);
  for (const correlations of byStream.values()) expect(correlations.size).toBe(1);
}

describe("pnpm demo", () => {
  it("runs the shop on the embedded default", async () => {
    expectScenario(await demo({ EDA_STORE: "" }));
  });

  it("compiles: the example's handlers and demo type-check strictly against the generated code", async () => {
    await demo({ EDA_STORE: "" });
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    await expect(run(process.execPath, [tsc, "-p", "examples/shop"], { cwd: root })).resolves.toBeDefined();
  });

  it("runs the same scenario on PostgreSQL and leaves its events there", async () => {
    const database = `eda_demo_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    try {
      expectScenario(await demo({ EDA_STORE: `postgres://postgres@127.0.0.1:5432/${database}` }));
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}` });
      await client.connect();
      const { rows } = await client.query("SELECT count(*)::int AS n FROM eda_events");
      await client.end();
      expect(rows[0].n).toBeGreaterThanOrEqual(6);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
