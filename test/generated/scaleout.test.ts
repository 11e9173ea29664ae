/**
 * Several instances, one truth: three processes run the shop on one PostgreSQL database and one
 * broker (RabbitMQ, then NATS JetStream) while this test SIGKILLs one of them at a random moment,
 * four times, and starts it again. Then: every order went through the saga once (each of its
 * commands sent once, each event once), every projection equals a rebuild from the log, every
 * confirmation e-mail was delivered (once: the transport drops repeated ids), nothing was lost
 * (the log's reader reads every stored event) — whichever instance held the leases when the kills came. The saga's
 * instances are claimed one by one: the processes share its commands (two or more send them
 * between the same two kills), and each command is sent by one process — a second one only sends
 * it once the first was killed and its claim expired.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { NATS_HOST } from "../../packages/runtime/test/bus/support/nats.js";
import { createWorld, type BusKind } from "../../packages/runtime/test/fault-bus/support/fixture.js";
import { HERE, ROOT } from "./helpers.js";
import { checkoutEventCounts, freshStore, loadShop, openShop, storedEventCounts, CUSTOMER } from "./shop-app.js";

const ORDERS = 45;
const INSTANCES = 3;
const KILLS = 4;

interface Instance {
  readonly process: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

/** A saga command a process sent and recorded (its `dispatched` line). */
interface Dispatch {
  readonly commandId: string;
  readonly correlation: string;
  readonly pid: number;
  readonly at: number;
}

function dispatchesOf(instance: Instance): Dispatch[] {
  // A killed process's last line may be cut short: only whole lines count.
  return instance.output.stdout.split("\n").filter((l) => l.includes('"phase":"dispatched"') && l.endsWith("}")).map((l) => JSON.parse(l) as Dispatch);
}

function startInstance(index: number, storeUrl: string, busUrl: string, mailDir: string): Instance {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "children", "instance-child.ts"), storeUrl, busUrl, String(index), String(INSTANCES), String(ORDERS), mailDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output.stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
  return { process: child, output, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function kill(instance: Instance): Promise<void> {
  if (instance.process.exitCode === null && instance.process.signalCode === null) instance.process.kill("SIGKILL");
  await instance.exited;
}

describe.each(["rabbitmq", "nats"] as BusKind[])("three instances on PostgreSQL and %s", (kind) => {
  it(`SIGKILLed ${KILLS} times at random moments: every saga once, projections equal a rebuild, every e-mail once, nothing lost`, async () => {
    const shop = await loadShop();
    const world = await createWorld(kind);
    const store = await freshStore("postgres");
    const mailDir = mkdtempSync(path.join(tmpdir(), "eda-scaleout-mail-"));
    // The world reaches NATS through a proxy it can cut; these instances go to the server itself.
    const busUrl = kind === "nats" ? world.busUrl.replace(/^nats:\/\/[^/]+/, `nats://${NATS_HOST}`) : world.busUrl;
    const instances: Instance[] = [];
    try {
      // Started one after another, as a rolling deployment would (and the first one creates the schema, stream and queues).
      for (let i = 0; i < INSTANCES; i++) {
        const started = startInstance(i, store.url, busUrl, mailDir);
        instances.push(started);
        await waitFor(() => started.output.stdout.includes('"phase":"started"') || started.process.exitCode !== null, `instance ${i} to start`);
      }
      const kills: string[] = [];
      const killedAt: number[] = [];
      const dispatched: Dispatch[] = [];
      let queued: Awaited<ReturnType<ReturnType<Awaited<ReturnType<typeof openShop>>["orchestrator"]>["commands"]>> = [];
      for (let k = 0; k < KILLS; k++) {
        await waitFor(() => instances.every((x) => x.output.stdout.includes('"phase":"started"') || x.process.exitCode !== null), "every instance to start");
        for (const x of instances) if (x.process.exitCode !== null) throw new Error(`an instance exited: ${x.output.stdout.slice(0, 2_000)} ${x.output.stderr.slice(0, 2_000)}`);
        await sleep(200 + Math.random() * 1_300);
        const victim = Math.floor(Math.random() * INSTANCES);
        kills.push(`${victim}${instances[victim]?.output.stdout.includes('"phase":"sent"') ? " after sending" : " while sending"}`);
        await kill(instances[victim]!);
        killedAt.push(Date.now());
        dispatched.push(...dispatchesOf(instances[victim]!));
        instances[victim] = startInstance(victim, store.url, busUrl, mailDir);
      }
      await waitFor(() => instances.every((x) => x.output.stdout.includes('"phase":"sent"') || x.process.exitCode !== null), "every instance to send its orders", 90_000);
      for (const x of instances) expect({ exit: x.process.exitCode, stderr: x.output.stderr.slice(0, 2_000) }).toEqual({ exit: null, stderr: "" });

      // A reader of the same database: an app that is not started takes no lease and runs nothing.
      const reader = await openShop(shop, store.url, { leases: false });
      try {
        const mails = () => readdirSync(mailDir).filter((f) => f.startsWith("order-confirmation_")).length;
        await waitFor(async () => {
          const done = (await reader.orchestrator("Checkout").instances()).filter((i) => i.state.kind === "completed").length;
          const row = await reader.projection("Ordering.CustomerOrders").row(CUSTOMER);
          return done === ORDERS && row?.placed === ORDERS && mails() === ORDERS;
        }, "every checkout, the read model and every e-mail", 120_000);
        await Promise.all(instances.map(kill));
        for (const x of instances) dispatched.push(...dispatchesOf(x));

        // Every command the sagas queued was sent and handled: a step's retry (the model's
        // `retry 3 every 2s`, when a takeover outlasts it) is a command of its own.
        queued = await reader.orchestrator("Checkout").commands();
        expect(queued.filter((c) => c.status !== "dispatched")).toEqual([]);

        for (const name of ["Ordering.CustomerOrders"] as const) {
          const runner = reader.projection(name);
          const live = await runner.rows();
          await runner.rebuild();
          expect(await runner.rows()).toEqual(live);
        }
      } finally {
        await reader.close();
      }

      const client = new pg.Client({ connectionString: store.url });
      await client.connect();
      try {
        expect(await storedEventCounts(store.url)).toEqual(checkoutEventCounts(ORDERS));
        // Positions may have gaps (an append cut off after taking them); the log's reader reads every event.
        const log = await client.query<{ stored: string; read: string }>("SELECT (SELECT count(*) FROM eda_events) AS stored, (SELECT count(*) FROM eda_read_all(1, 1000000)) AS read");
        expect(Number(log.rows[0]?.read)).toBe(Number(log.rows[0]?.stored));
        const places = await client.query("SELECT command_id FROM eda_commands WHERE command_id LIKE 'place-%'");
        expect(places.rowCount).toBe(ORDERS);
        // Each queued saga command has exactly one command record: handled once, by one instance.
        const handled = await client.query("SELECT command_id FROM eda_commands WHERE command_id = ANY($1::text[])", [queued.map((c) => c.commandId)]);
        expect(handled.rowCount).toBe(queued.length);
        // Claimed one by one: each command was sent by one process (one that sends a command and
        // is killed before recording it leaves no line; its successor sends it again once the
        // claim expired) …
        const senders = new Map<string, Set<number>>();
        for (const d of dispatched) senders.set(d.commandId, (senders.get(d.commandId) ?? new Set()).add(d.pid));
        expect([...senders].filter(([, pids]) => pids.size > 1)).toEqual([]);
        // … and the processes shared the work: between two kills, two or more of them sent.
        const windows = [0, ...killedAt, Number.POSITIVE_INFINITY];
        const sharing = windows.slice(1).map((end, i) => new Set(dispatched.filter((d) => d.at >= windows[i]! && d.at < end).map((d) => d.pid)).size);
        expect(Math.max(...sharing)).toBeGreaterThanOrEqual(2);
      } finally {
        await client.end();
      }
      // Each e-mail reached the transport at least once; a kill may repeat the few in flight.
      const attempts = readFileSync(path.join(mailDir, "attempts.log"), "utf8").trim().split("\n").filter((l) => l.startsWith("order-confirmation:"));
      expect(new Set(attempts).size).toBe(ORDERS);
      expect(kills).toHaveLength(KILLS);
    } finally {
      await Promise.all(instances.map(kill));
      rmSync(mailDir, { recursive: true, force: true });
      await store.drop();
      await world.dispose();
    }
  }, 300_000);
});
