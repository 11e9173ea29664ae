/**
 * A projection process killed (SIGKILL) in the middle of a batch — rows written, checkpoint not
 * yet, transaction open — loses that batch entirely; a new process resumes from the checkpoint
 * and the rows end with every event applied exactly once (checked by a count and a sum).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProjectionRunner } from "../../src/projection/projection-runner.js";
import type { EventStore } from "../../src/store/event-store.js";
import { customerOrders, shopCodec } from "../projection/shop.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";
import { startChild, type Child } from "./child.js";

const ORDERS = 300;
const BATCH = 40;

describe.each(["sqlite", "postgres"] as const)("projection killed mid-batch on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  let children: Child[] = [];
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
    for (let n = 1; n <= ORDERS; n++) {
      // Each order: one projected event and one the projection skips, in separate streams.
      await store.append(`Order-${n}`, [newEvent("OrderPlaced", { orderId: `o${n}`, customerId: `c${n % 7}`, total: n })], { kind: "no-stream" });
      await store.append(`Stock-${n}`, [newEvent("StockReserved", { orderId: `o${n}` })], { kind: "no-stream" });
    }
  });
  afterEach(async () => {
    for (const child of children) await child.kill();
    children = [];
    await harness.dispose();
  });

  /** Orders counted and their totals summed over every row. */
  async function totals(runner: ProjectionRunner<never, { orders: number; total: number }>): Promise<{ orders: number; total: number }> {
    const rows = [...(await runner.rows()).values()];
    return { orders: rows.reduce((s, r) => s + r.orders, 0), total: rows.reduce((s, r) => s + r.total, 0) };
  }

  it("resumes from its checkpoint with no gap and no double apply", async () => {
    const hangAt = 5 * BATCH + BATCH / 2; // inside the sixth batch
    const first = startChild("projector.ts", [harness.url, String(BATCH), String(hangAt)]);
    children.push(first);
    const frozen = await first.next("mid-batch");
    expect(frozen["checkpoint"]).toBe(6 * BATCH);
    await first.kill();

    const reader = new ProjectionRunner(store, shopCodec(), customerOrders(), {}) as unknown as ProjectionRunner<never, { orders: number; total: number }>;
    const checkpoint = (await reader.checkpoint()).position;
    expect(checkpoint).toBe(5 * BATCH);
    // Rows hold exactly the events up to the checkpoint: orders 1..checkpoint/2.
    const applied = checkpoint / 2;
    expect(await totals(reader)).toEqual({ orders: applied, total: (applied * (applied + 1)) / 2 });

    const second = startChild("projector.ts", [harness.url, String(BATCH), "0"]);
    children.push(second);
    const done = await second.next("done");
    expect(done).toMatchObject({ applied: 2 * ORDERS - checkpoint, checkpoint: 2 * ORDERS });
    expect(await second.exited).toBe(0);
    expect(await totals(reader)).toEqual({ orders: ORDERS, total: (ORDERS * (ORDERS + 1)) / 2 });
    expect(await reader.lag()).toMatchObject({ eventsBehind: 0 });
  });
});
