/**
 * The drivers are optional peer dependencies: the main entry loads none, a URL loads only its
 * own, and a missing one is named with the command that installs it. Runs the built package in a
 * child process whose module resolution hides the drivers an application did not install.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createPgDatabase } from "../store/support.js";

const ALL = ["pg", "better-sqlite3", "amqplib", "@nats-io/transport-node", "@nats-io/jetstream", "@opentelemetry/api"];
const child = join(import.meta.dirname, "children", "drivers-child.mjs");

interface Outcome {
  readonly ok?: string | string[];
  readonly name?: string;
  readonly message?: string;
  readonly packages?: string[];
}

async function inChild(what: "store" | "bus" | "entry", target: string, hide: readonly string[]): Promise<Outcome> {
  const { stdout } = await promisify(execFile)(process.execPath, [child, what, target], {
    cwd: join(import.meta.dirname, "..", ".."),
    env: { ...process.env, EDA_HIDE: hide.join(",") },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Outcome;
}

describe("drivers load only for the URL that needs them", () => {
  it("imports the main entry and opens memory: with no driver installed", async () => {
    expect(await inChild("store", "memory:", ALL)).toEqual({ ok: "memory" });
    expect(await inChild("bus", "memory:", ALL)).toEqual({ ok: "memory:" });
  });

  it("opens PostgreSQL with only pg installed (no better-sqlite3 to compile)", async () => {
    const database = await createPgDatabase();
    try {
      expect(await inChild("store", database.url, ALL.filter((p) => p !== "pg"))).toEqual({ ok: "postgres" });
    } finally {
      await database.drop();
    }
  });

  it("names the missing driver and how to install it, per scheme", async () => {
    const pg = await inChild("store", "postgres://postgres@127.0.0.1:1/none", ["pg"]);
    expect(pg).toMatchObject({ name: "MissingDriverError", packages: ["pg"] });
    expect(pg.message).toBe("the PostgreSQL store (postgres://…) needs pg, which is not installed. Install it beside @eda/runtime: npm install pg");
    const sqlite = await inChild("store", "sqlite:./never-made.db", ["better-sqlite3"]);
    expect(sqlite).toMatchObject({ name: "MissingDriverError", packages: ["better-sqlite3"] });
    expect(sqlite.message).toContain("npm install better-sqlite3");
    const rabbit = await inChild("bus", "amqp://guest:guest@127.0.0.1:5672", ["amqplib"]);
    expect(rabbit).toMatchObject({ name: "MissingDriverError", packages: ["amqplib"] });
    expect(rabbit.message).toContain("the RabbitMQ bus (amqp://…) needs amqplib");
  });

  it("exports each engine from its own entry point", async () => {
    expect((await inChild("entry", "@eda/runtime/sqlite", [])).ok).toEqual(["SqliteEventStore"]);
    expect((await inChild("entry", "@eda/runtime/postgres", [])).ok).toEqual(["PostgresEventStore"]);
    expect((await inChild("entry", "@eda/runtime/rabbitmq", [])).ok).toContain("openRabbitBus");
    expect((await inChild("entry", "@eda/runtime/nats", [])).ok).toContain("openNatsBus");
    expect((await inChild("entry", "@eda/runtime/otel", [])).ok).toEqual(["openTelemetryTracing"]);
    expect((await inChild("entry", "@eda/runtime", ALL)).ok).not.toContain("SqliteEventStore");
  });
});
