/**
 * Two shop instances on one PostgreSQL database and RabbitMQ while the database goes away: this
 * test terminates every backend of the instances' database (their own database, no other) again
 * and again while they take orders, and once refuses connections for far longer than the
 * instances' retry budgets (commands and choreography consumers, shortened for the test). No
 * instance may die, and the work must finish by itself afterwards: every checkout completed,
 * every confirmation e-mail sent, each event once, and nothing dead-lettered — a message that
 * met a lost connection is not a poison message. (The outage mostly lands while the sagas wait,
 * with few consumer messages in hand: the consumer's own rule is pinned deterministically by
 * packages/runtime/test/fault-bus/store-outage.test.ts; this one covers the instances, leases,
 * relay and sagas together.)
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { expect, it } from "vitest";
import { createWorld } from "../../packages/runtime/test/fault-bus/support/fixture.js";
import { HERE, ROOT } from "./helpers.js";
import { checkoutEventCounts, freshStore, loadShop, openShop, storedEventCounts } from "./shop-app.js";

const ORDERS = 20;
const INSTANCES = 2;
const ADMIN_URL = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Instance {
  readonly process: ChildProcess;
  readonly output: { stdout: string; stderr: string };
}

function startInstance(index: number, storeUrl: string, busUrl: string, mailDir: string): Instance {
  const args = [path.join(HERE, "children", "instance-child.ts"), storeUrl, busUrl, String(index), String(INSTANCES), String(ORDERS), mailDir];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, EDA_TEST_SHORT_RETRIES: "1" },
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output.stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
  return { process: child, output };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("terminated backends and a long outage: no instance dies, every order and e-mail once, nothing dead-lettered", async () => {
  const shop = await loadShop();
  const world = await createWorld("rabbitmq");
  const store = await freshStore("postgres");
  const database = new URL(store.url).pathname.slice(1);
  const mailDir = mkdtempSync(path.join(tmpdir(), "eda-outage-mail-"));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const terminate = () => admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) {
      const started = startInstance(i, store.url, world.busUrl, mailDir);
      instances.push(started);
      await waitFor(() => started.output.stdout.includes('"phase":"started"') || started.process.exitCode !== null, `instance ${i} to start`);
    }
    // Terminations while the orders go in, then the outage.
    for (let i = 0; i < 10; i++) {
      await terminate();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await terminate();
    // Four seconds: twenty times the shortened budgets, as a failover outlasts the default ones.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);

    const reader = await openShop(shop, store.url, { leases: false });
    try {
      const mails = () => readdirSync(mailDir).filter((f) => f.startsWith("order-confirmation_")).length;
      const parked = async () => {
        const { stdout } = await promisify(execFile)("rabbitmqctl", ["--quiet", "list_queues", "-p", new URL(world.busUrl).pathname.slice(1), "name", "messages"]);
        return stdout.split("\n").map((l) => l.trim().split(/\s+/)).filter((c) => c[0]?.endsWith(".dlq") && Number(c[1]) > 0).map((c) => c.join(" "));
      };
      await waitFor(async () => {
        if ((await parked()).length > 0) return true;
        const done = (await reader.orchestrator("Checkout").instances()).filter((x) => x.state.kind === "completed").length;
        return done === ORDERS && mails() === ORDERS;
      }, "every checkout and e-mail (or a dead letter)");
      expect(await parked()).toEqual([]);
      expect(mails()).toBe(ORDERS);
    } finally {
      await reader.close();
    }
    for (const x of instances) expect({ exit: x.process.exitCode, stderr: x.output.stderr.slice(0, 2_000) }).toEqual({ exit: null, stderr: "" });
    expect(await storedEventCounts(store.url)).toEqual(checkoutEventCounts(ORDERS));
  } finally {
    for (const x of instances) if (x.process.exitCode === null) x.process.kill("SIGKILL");
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    rmSync(mailDir, { recursive: true, force: true });
    await store.drop();
    await world.dispose();
  }
}, 240_000);
