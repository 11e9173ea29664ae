/**
 * The checkout coordinator killed (SIGKILL, a child process on a SQLite file) after every
 * transition and after every command the world handled, then restarted — against the same
 * run without interruptions. The commands sent (ids and payloads), the events in the store and
 * the final instances must be the same: nothing lost, no side effect twice.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../../src/store/sqlite-store.js";
import { createOrchestrator } from "../../src/workflow/orchestrator.js";
import { startChild } from "./support/child.js";
import { deserializeMessage } from "./support/messages.js";
import { checkout } from "./support/shop.js";

interface Run {
  readonly db: string;
  readonly log: string;
}

interface Sent {
  readonly commandId: string;
  readonly type: string;
  readonly data: unknown;
  readonly correlationId: string;
  readonly causationId: string;
}

async function childRun(mode: string, run: Run): Promise<string> {
  const child = startChild("coordinator-child.ts", [mode, run.db, run.log]);
  try {
    return await child.line(/^(ready|finished|stalled .*)$/);
  } finally {
    await child.kill();
  }
}

function sendLog(run: Run): Sent[] {
  return readFileSync(run.log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Sent);
}

async function outcome(run: Run) {
  const store = new SqliteEventStore(run.db);
  try {
    const orchestrator = createOrchestrator(checkout, {
      store,
      deserialize: deserializeMessage,
      send: () => Promise.reject(new Error("the test only reads")),
    });
    const events = (await store.readAll(1, 10_000)).map(({ globalPosition: _g, ...event }) => event);
    events.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.position - b.position));
    // Queueing order across instances depends on where the runs were cut; within one it does not.
    const commands = (await orchestrator.commands()).map((c) => ({ ...c, outcome: c.outcome?.status })).sort(byCommandId);
    return { events, commands, instances: await orchestrator.instances() };
  } finally {
    await store.close();
  }
}

describe("the coordinator killed and restarted", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "eda-workflow-restart-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("after each transition and each handled command: resumes, and sends what an uninterrupted run sends", async () => {
    const straight: Run = { db: join(dir, "straight.db"), log: join(dir, "straight.log") };
    const crashed: Run = { db: join(dir, "crashed.db"), log: join(dir, "crashed.log") };
    expect(await childRun("setup", straight)).toBe("ready");
    expect(await childRun("run", straight)).toBe("finished");

    expect(await childRun("setup", crashed)).toBe("ready");
    const stalls: string[] = [];
    for (let i = 0; ; i++) {
      if (i > 80) throw new Error(`the run did not finish after ${i} restarts: ${stalls.join(", ")}`);
      const line = await childRun(i % 2 === 0 ? "stall-after-transition" : "stall-after-send", crashed);
      if (line === "finished") break;
      stalls.push(line);
    }

    // Every transition of the three runs was followed by a kill.
    expect(stalls.filter((s) => s === "stalled after a transition").length).toBeGreaterThanOrEqual(8);
    expect(stalls.filter((s) => s.startsWith("stalled after sending")).length).toBeGreaterThanOrEqual(8);

    const expected = sendLog(straight);
    const sent = sendLog(crashed);
    const byId = new Map<string, Sent>();
    for (const s of sent) {
      const first = byId.get(s.commandId);
      if (first !== undefined) expect(s).toEqual(first);
      byId.set(s.commandId, s);
    }
    expect(sent.length).toBeGreaterThan(byId.size);
    expect([...byId.values()].sort(byCommandId)).toEqual([...expected].sort(byCommandId));
    for (const order of ["o1", "o2", "o3"]) {
      const ofOrder = (log: Sent[]): string[] => [...new Set(log.filter((s) => s.correlationId === `conv-${order}`).map((s) => s.commandId))];
      expect(ofOrder(sent)).toEqual(ofOrder(expected));
    }
    expect(expected.map((s) => s.type)).toContain("RefundPayment");

    const [want, got] = [await outcome(straight), await outcome(crashed)];
    expect(got.events).toEqual(want.events);
    expect(got.commands).toEqual(want.commands);
    expect(got.instances).toEqual(want.instances);
    expect(got.instances.map((i) => [i.correlation, i.state.kind])).toEqual([["o1", "completed"], ["o2", "failed"], ["o3", "failed"]]);
  });
});

function byCommandId(a: { readonly commandId: string }, b: { readonly commandId: string }): number {
  return a.commandId < b.commandId ? -1 : a.commandId > b.commandId ? 1 : 0;
}
