/**
 * An orchestrator's commands carry whom the run acts for: the `onBehalfOf` column of
 * `eda_workflow_commands`, filled from the run's start event and sent as `onBehalfOf` metadata
 * beside the caller `workflow:<name>`. A commands table made before the column gets it on
 * SQLite and PostgreSQL, and its earlier rows read as acting for nobody named. (End to end,
 * through the shop's generated app and its audit: test/generated/audit.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EventStore } from "../../src/store/event-store.js";
import { metaOf } from "../../src/workflow/dispatcher.js";
import type { WorkflowInstance } from "../../src/workflow/instance.js";
import { workflowTables } from "../../src/workflow/tables.js";
import { createHarness, type StoreHarness } from "../store/support.js";

/** The commands table as versions before `on_behalf_of` made it. */
function oldTable(pg: boolean): string {
  return `CREATE TABLE eda_workflow_commands (
    id ${pg ? "bigserial" : "INTEGER"} PRIMARY KEY, command_id TEXT NOT NULL UNIQUE, workflow TEXT NOT NULL, correlation TEXT NOT NULL,
    command ${pg ? "json" : "TEXT"} NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT NOT NULL, status TEXT NOT NULL,
    outcome ${pg ? "json" : "TEXT"}, created_at TEXT NOT NULL, dispatched_at TEXT)`;
}
/** A command it queued. */
const OLD_ROW =
  "INSERT INTO eda_workflow_commands (command_id, workflow, correlation, command, correlation_id, causation_id, status, created_at) " +
  `VALUES ('old-1', 'Checkout', 'o-old', '{"type":"ReserveStock","data":{}}', 'c-old', 'e-old', 'pending', '2026-01-01T00:00:00.000Z')`;

/** Just what `enqueue` reads of a run. */
function run(correlation: string, onBehalfOf: string | null): WorkflowInstance {
  return { workflow: "Checkout", correlation, correlationId: `c-${correlation}`, onBehalfOf } as WorkflowInstance;
}

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe.each(["sqlite", "postgres"] as const)("workflow principals on %s", (engine) => {
  async function open(): Promise<EventStore> {
    harness ??= await createHarness(engine);
    return harness.open();
  }

  it("migrates a commands table made before on_behalf_of, and sends a run's commands on behalf of its starter", async () => {
    const store = await open();
    await store.transaction(async (tx) => {
      await tx.sql!.query(oldTable(engine === "postgres"));
      await tx.sql!.query(OLD_ROW);
    });
    await store.transaction((tx) => workflowTables(tx).ensureSchema());
    await store.transaction((tx) => workflowTables(tx).ensureSchema()); // a second start finds the column there
    await store.transaction(async (tx) => {
      const tables = workflowTables(tx);
      await tables.enqueue(run("o-1", "web-shop"), [{ commandId: "new-1", command: { type: "ReserveStock", data: {} }, causationId: "e-1" }], "2026-01-02T00:00:00.000Z");
      await tables.enqueue(run("o-2", null), [{ commandId: "new-2", command: { type: "ReserveStock", data: {} }, causationId: "e-2" }], "2026-01-02T00:00:00.000Z");
    });
    const pending = await store.transaction((tx) => workflowTables(tx).pending("Checkout", 10));
    expect(pending.map((c) => [c.commandId, c.onBehalfOf])).toEqual([
      ["old-1", null],
      ["new-1", "web-shop"],
      ["new-2", null],
    ]);
    expect(pending.map((c) => metaOf(c).metadata)).toEqual([
      { workflow: "Checkout", correlation: "o-old", caller: "workflow:Checkout" },
      { workflow: "Checkout", correlation: "o-1", caller: "workflow:Checkout", onBehalfOf: "web-shop" },
      { workflow: "Checkout", correlation: "o-2", caller: "workflow:Checkout" },
    ]);
  });
});
