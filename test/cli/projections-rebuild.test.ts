/**
 * `eda projections rebuild` as a process on the shop (generated with `eda generate`, its
 * hand-written handlers copied beside, inside the repository so @eda/runtime resolves as
 * installed), on SQLite and PostgreSQL: the rows rebuilt equal those the app built, reads while
 * the rebuild runs see the old rows, and the usage errors are clear.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Runtime from "@eda/runtime";
import { freshStore, implementation, loadShop, openShop, orderId, placeOrder, SQL_ENGINES } from "../generated/shop-app.js";
import { BIN, ensureBundle, ROOT, runEda, runEdaOnTerminal } from "./helpers.js";

const PROJECT = join(ROOT, "test", "cli", ".eda-out", `rebuild-${randomBytes(4).toString("hex")}`);
const SHOP = join(ROOT, "examples", "shop");
const TABLE = "Ordering.CustomerOrders";
const IMPL = `import { customerOrders } from "./handlers/ordering/customer-orders.js";
import { orderingUpcasts } from "./handlers/ordering/upcasts.js";
export const implementation = { Ordering: { CustomerOrders: customerOrders }, upcasts: { Ordering: orderingUpcasts } };
`;

/** Handlers that throw: the rebuild stops at the first event (a default export, this time). */
const BROKEN = `import { defineCustomerOrders } from "./generated/ordering/projections.js";
import { orderingUpcasts } from "./handlers/ordering/upcasts.js";
const broken = defineCustomerOrders({ OrderPlaced: () => { throw new Error("broken handler"); }, OrderCancelled: (row) => row });
export default { Ordering: { CustomerOrders: broken }, upcasts: { Ordering: orderingUpcasts } };
`;

let runtime: typeof Runtime;

beforeAll(async () => {
  ensureBundle();
  runtime = await import("@eda/runtime");
  mkdirSync(PROJECT, { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(PROJECT, f));
  cpSync(join(SHOP, "handlers"), join(PROJECT, "handlers"), { recursive: true });
  writeFileSync(join(PROJECT, "impl.ts"), IMPL);
  writeFileSync(join(PROJECT, "broken.ts"), BROKEN);
  writeFileSync(join(PROJECT, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated" }));
  const generated = await runEda(["generate"], PROJECT);
  expect(generated.code, generated.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

async function rows(store: Runtime.EventStore): Promise<Record<string, unknown>> {
  return Object.fromEntries(await store.transaction((tx) => tx.listRows(TABLE)));
}

/**
 * The live rows read outside any transaction, so without waiting for a lock: SQLite's
 * `transaction` takes the write lock, which a rebuild held still mid-batch keeps.
 */
async function rowsUnlocked(store: Runtime.EventStore): Promise<Record<string, unknown>> {
  const sql = store.autocommit!;
  const read = await sql.query<{ row_key: string; row_value: unknown }>(
    `SELECT row_key, row_value FROM eda_rows WHERE table_name = ${sql.dialect === "postgres" ? "$1" : "?"} ORDER BY row_key`,
    [TABLE],
  );
  return Object.fromEntries(read.map((r) => [r.row_key, typeof r.row_value === "string" ? (JSON.parse(r.row_value) as unknown) : r.row_value]));
}

/** Runs the command; on its first progress line, `during` reads the live rows. */
type Printed = () => { readonly stdout: string; readonly stderr: string };

function rebuildReadingDuring(
  args: readonly string[],
  during: (child: ReturnType<typeof spawn>, printed: Printed) => Promise<unknown>,
): Promise<{ code: number | null; stdout: string; stderr: string; seen: unknown }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let seen: Promise<unknown> | undefined;
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      if (stderr.includes(" events\n")) seen ??= during(child, () => ({ stdout, stderr }));
    });
    child.on("error", reject);
    child.on("close", (code) => void (seen ?? Promise.resolve(undefined)).then((s) => resolve({ code, stdout, stderr, seen: s }), reject));
  });
}

/** `count` orders placed through the shop's app on `url` (ids from `base` + 1), settled. */
async function placeOrders(url: string, count: number, base: number): Promise<void> {
  const shop = await loadShop();
  const app = await openShop(shop, url, {}, implementation(shop));
  try {
    for (let n = 1; n <= count; n++) expect(await app.send(placeOrder(orderId(base + n)))).toMatchObject({ status: "accepted" });
    await app.settle();
  } finally {
    await app.close();
  }
}

describe.each(SQL_ENGINES)("eda projections rebuild on %s", (engine) => {
  it("rebuilds beside the live rows and swaps them in; reads meanwhile see the old rows", async () => {
    const db = await freshStore(engine);
    try {
      await placeOrders(db.url, 25, 0x700);
      const store = await runtime.openStore(db.url);
      try {
        const fresh = await rows(store);
        expect(Object.keys(fresh).length).toBeGreaterThan(0);
        // The live rows, damaged as a read model that needs a rebuild would be.
        await store.transaction(async (tx) => {
          for (const key of Object.keys(fresh)) await tx.putRow(TABLE, key, { damaged: true });
          await tx.putRow(TABLE, "stale", { damaged: true });
        });
        const damaged = await rows(store);
        expect(await rowsUnlocked(store)).toEqual(damaged);
        const head = await store.headPosition();

        // Read while the rebuild is held still (SIGSTOP) after its first batch: a read that merely
        // follows the first progress line may come after a fast rebuild's swap.
        const readStopped = async (child: ReturnType<typeof spawn>, printed: Printed) => {
          child.kill("SIGSTOP");
          try {
            return { rows: await rowsUnlocked(store), summaryPrinted: printed().stdout !== "" };
          } finally {
            child.kill("SIGCONT");
          }
        };
        const run = await rebuildReadingDuring(["projections", "rebuild", TABLE, "--implementation", "impl.ts", "--store", db.url, "--batch-size", "1", "--progress", "--format", "json"], readStopped);
        expect(run.code, run.stderr).toBe(0);
        expect(run.seen).toEqual({ rows: damaged, summaryPrinted: false });
        expect(JSON.parse(run.stdout)).toMatchObject({ projection: TABLE, events: head });
        expect(run.stderr.split("\n")[0]).toBe(`${TABLE}: 1/${head} events`);
        expect(run.stderr).toContain(`${TABLE}: ${head}/${head} events\n`);
        expect(await rows(store)).toEqual(fresh);
        expect(await store.transaction((tx) => tx.listRows(`${TABLE}~rebuild`))).toEqual(new Map());
        expect((await store.transaction((tx) => tx.getCheckpoint(`projection:${TABLE}`)))?.position).toBe(head);

        // A poison event stops the rebuild: exit 1, the live rows as they were.
        const stopped = await runEda(["projections", "rebuild", TABLE, "--implementation", "broken.ts", "--store", db.url], PROJECT);
        expect(stopped.code).toBe(1);
        expect(stopped.stdout).toBe("");
        expect(stopped.stderr).toMatch(/^eda: the rebuild of Ordering\.CustomerOrders stopped at the event at global position 1 of \d+ \(.*\), a poison event .*its rows are unchanged\n$/);
        expect(await rows(store)).toEqual(fresh);

        // Killed (SIGKILL) during the rebuild: the live rows as they were; the next rebuild starts over.
        await store.transaction((tx) => tx.putRow(TABLE, "stale", { damaged: true }));
        const withStale = await rows(store);
        const killed = await rebuildReadingDuring(["projections", "rebuild", TABLE, "--implementation", "impl.ts", "--store", db.url, "--batch-size", "1", "--progress"], async (child) => child.kill("SIGKILL"));
        expect(killed.code).toBeNull();
        expect(killed.stdout).toBe("");
        expect(await rows(store)).toEqual(withStale);

        // On a terminal the progress line is rewritten in place (no --progress needed), the summary is text.
        const tty = await runEdaOnTerminal(["projections", "rebuild", TABLE, "--implementation", "impl.ts", "--store", db.url], PROJECT);
        expect(tty).toContain(`${TABLE}: ${head}/${head} events\r`);
        expect(tty).toMatch(new RegExp(`${TABLE.replace(".", "\\.")} rebuilt from ${head} events in \\d+\\.\\d s`));
        expect(await rows(store)).toEqual(fresh);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe("eda projections rebuild errors", () => {
  it("names the projection meant, asks for the implementation, masks the password of an unreachable store", async () => {
    const typo = await runEda(["projections", "rebuild", "Ordering.CustomerOrder", "--implementation", "impl.ts", "--store", "sqlite::memory:"], PROJECT);
    expect(typo).toMatchObject({ code: 2, stdout: "", stderr: "eda: no projection Ordering.CustomerOrder in the model (did you mean Ordering.CustomerOrders?)\n" });
    const noImpl = await runEda(["projections", "rebuild", TABLE, "--store", "sqlite::memory:"], PROJECT);
    expect(noImpl.code).toBe(2);
    expect(noImpl.stderr).toContain("pass --implementation MODULE");
    // The config's "implementation" stands in for the flag (here on an empty store: nothing to read).
    writeFileSync(join(PROJECT, "with-impl.json"), JSON.stringify({ model: "*.eda", out: "generated", implementation: "impl.ts" }));
    const configured = await runEda(["projections", "rebuild", TABLE, "--config", "with-impl.json", "--store", "sqlite::memory:", "--format", "json"], PROJECT);
    expect(configured.code, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ projection: TABLE, events: 0 });
    const missing = await runEda(["projections", "rebuild", TABLE, "--implementation", "nowhere.ts", "--store", "sqlite::memory:"], PROJECT);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read 'nowhere.ts'");
    const down = await runEda(["projections", "rebuild", TABLE, "--implementation", "impl.ts", "--store", "postgres://eda:s3cret@127.0.0.1:1/none"], PROJECT);
    expect(down.code).toBe(2);
    expect(down.stderr).not.toContain("s3cret");
    expect(down.stderr).toContain("127.0.0.1:1");
  }, 60_000);
});

/** Starts `eda args…` and resolves once it says it stopped at its test pause; `done` resolves when it ends. */
function startPaused(args: readonly string[], env: Record<string, string>): Promise<{ done: Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  return new Promise((resolvePaused, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveDone) => child.on("close", (code) => resolveDone({ code, stdout, stderr })));
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      if (stderr.includes("eda: test pause at ")) resolvePaused({ done });
    });
    child.on("error", reject);
    void done.then((r) => reject(new Error(`ended before its pause: ${r.stderr}`)));
  });
}

describe.each(SQL_ENGINES)("two eda projections rebuild of one projection at once, on %s", (engine) => {
  // The first, held after its last batch while the second ran whole, said it "stopped after global
  // position 0 of 30, a poison event" (there was none); a step later — between its last checkpoint
  // read and its swap — it swapped in nothing over the live rows (the runtime's test holds it there).
  it("the one overtaken swaps nothing in and says so; the live rows are the other's", async () => {
    const db = await freshStore(engine);
    const resume = join(PROJECT, `resume-${randomBytes(4).toString("hex")}`);
    try {
      await placeOrders(db.url, 5, 0x750);
      const store = await runtime.openStore(db.url);
      try {
        const fresh = await rows(store);
        expect(Object.keys(fresh).length).toBeGreaterThan(0);
        const args = ["projections", "rebuild", TABLE, "--implementation", "impl.ts", "--store", db.url];
        const first = await startPaused(args, { EDA_TEST_PAUSE_AT: "rebuild-swap", EDA_TEST_RESUME_WHEN: resume });
        const second = await runEda(args, PROJECT);
        expect(second.code, second.stderr).toBe(0);
        expect(await rows(store)).toEqual(fresh);
        writeFileSync(resume, "");
        const overtaken = await first.done;
        expect(overtaken.code).toBe(1);
        expect(overtaken.stdout).toBe("");
        expect(overtaken.stderr).toContain(`eda: the rebuild of ${TABLE} was overtaken by another rebuild of it run at the same time`);
        expect(await rows(store)).toEqual(fresh);
        expect((await store.transaction((tx) => tx.getCheckpoint(`projection:${TABLE}`)))?.position).toBe(await store.headPosition());
      } finally {
        await store.close();
      }
    } finally {
      rmSync(resume, { force: true });
      await db.drop();
    }
  }, 120_000);
});
