/**
 * Fault: the consumer's database goes away for longer than its retries last (a PostgreSQL
 * failover, a restart). The processed-message record lives in PostgreSQL, and while the server
 * refuses connections every attempt fails before the handler runs. Nothing is wrong with the
 * message: it must not be dead-lettered, and once the database is back its effect happens once.
 */
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startConsumer } from "../../src/consumer/consumer.js";
import { storeProcessedMessages } from "../../src/consumer/processed-messages.js";
import { memoryLogger } from "../../src/observability/logger.js";
import { MetricsRecorder } from "../../src/observability/metrics.js";
import { createObservability } from "../../src/observability/observability.js";
import { PostgresEventStore } from "../../src/store/postgres-store.js";
import { envelope } from "../bus/support/envelopes.js";
import { waitFor } from "../bus/support/wait.js";
import { createPgDatabase, PG_ADMIN_URL } from "../store/support.js";
import { countEffect } from "./children/effects.js";
import { createWorld, type BusKind, type FaultWorld } from "./support/fixture.js";

const RETRIES = 2;

describe.each(["memory", "rabbitmq"] as BusKind[])("fault: the consumer's PostgreSQL refuses connections (%s)", (kind) => {
  let world: FaultWorld;
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let admin: pg.Client;
  beforeEach(async () => {
    world = await createWorld(kind);
    db = await createPgDatabase();
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
  });
  afterEach(async () => {
    await world.dispose();
    await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    await db.drop();
  });

  const name = (): string => new URL(db.url).pathname.slice(1);

  /** Refuses new connections to the test's own database and ends the ones it has. */
  async function outage(on: boolean): Promise<void> {
    await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS ${on ? "false" : "true"}`);
    if (on) await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name()]);
  }

  it("keeps the message through the outage (no dead letter) and applies it once afterwards", async () => {
    const store = await PostgresEventStore.open(db.url, { pollIntervalMs: 100 });
    world.defer(() => store.close());
    const metrics = new MetricsRecorder();
    const logger = memoryLogger();
    const bus = await world.openBus();
    const consumer = await startConsumer(bus, {
      name: "effects",
      processed: storeProcessedMessages(store),
      observability: createObservability({ metrics, logger }),
      retry: { maxRetries: RETRIES, backoff: { initialMs: 10, maxMs: 40 } },
      handle: (e, { tx }) => countEffect(tx, e.messageId),
    });
    world.defer(() => consumer.close());

    await outage(true);
    const event = envelope("outage", 0);
    await (await world.openBus()).publish([{ envelope: event }]);
    // More failed attempts than the retry policy allows a poison message, or the message parked.
    const failed = () => logger.records.filter((r) => r.event === "handler-failed").length;
    const parked = () => logger.records.some((r) => r.event === "dead-lettered");
    await waitFor(() => failed() > RETRIES + 2 || parked(), "the attempts to outlast the retry policy");
    await outage(false);
    await waitFor(() => metrics.consumedSamples.length === 1 || parked(), "the message, once the database is back");

    expect(logger.records.filter((r) => r.event === "dead-lettered")).toEqual([]);
    expect(metrics.consumedSamples.map((s) => s.duplicate)).toEqual([false]);
    const effects = await store.transaction((tx) => tx.getRows("effects", [event.messageId]));
    expect(effects.get(event.messageId)).toBe(1);
    // The outage is in the logs: each failed attempt names the lost connection.
    expect(JSON.stringify(logger.records.find((r) => r.event === "handler-failed"))).toMatch(/accepting connections|terminat/i);
  });
});
