/**
 * The event store conformance suite: the same cases run against the in-memory, SQLite and
 * PostgreSQL stores. Each case gets a fresh harness (a temp file or a new database).
 */
import { afterEach, beforeEach, describe } from "vitest";
import { appendCases } from "./cases/append.js";
import { concurrencyCases } from "./cases/concurrency.js";
import { outboxCases } from "./cases/outbox.js";
import { readCases } from "./cases/read.js";
import { sideTableCases } from "./cases/side-tables.js";
import { waitCases } from "./cases/wait.js";
import { createHarness, ENGINES, type StoreHarness } from "./support.js";

describe.each(ENGINES)("event store conformance: %s", (engine) => {
  let harness: StoreHarness | undefined;
  beforeEach(async () => {
    harness = await createHarness(engine);
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });
  const current = (): StoreHarness => {
    if (harness === undefined) throw new Error("no harness");
    return harness;
  };
  appendCases(current);
  readCases(current);
  outboxCases(current);
  sideTableCases(current);
  waitCases(current);
  concurrencyCases(current);
});
