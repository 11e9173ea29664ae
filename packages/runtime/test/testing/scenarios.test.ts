/**
 * `@eda/runtime/testing` over a hand-written decider and projection with real Zod schemas: the
 * given/when/then outcomes, validation on the way in and out, frozen inputs, and `projectRows`.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCodecTable } from "../../src/codec/table.js";
import { reject } from "../../src/decisions.js";
import type { Projection } from "../../src/projection/projection.js";
import type { DecideContext } from "../../src/pipeline/context.js";
import { projectRows, scenarios, TEST_TIME } from "../../src/testing/index.js";
import type { Decider } from "../../src/types.js";

type Command = { type: "Add"; data: { id: string; n: number } };
type Event = { type: "Added"; data: { id: string; n: number } };
interface State {
  total: number;
  seen: number[];
}

const table = defineCodecTable({
  events: { Added: { current: 1, versions: { 1: { schema: z.object({ id: z.string(), n: z.int().min(0) }) } } } },
  commands: { Add: { schema: z.object({ id: z.string(), n: z.int() }) } },
});

const counter: Decider<Command, Event, State, string> = {
  name: "Counter",
  initialState: { total: 0, seen: [] },
  streamOf: (c) => c.data.id,
  decide: (c, s) => (s.total + c.data.n > 10 ? reject("too-many") : [{ type: "Added", data: { id: c.data.id, n: c.data.n } }]),
  evolve: (s, e) => ({ total: s.total + e.data.n, seen: [...s.seen, e.data.n] }),
};

const add = (n: number): Command => ({ type: "Add", data: { id: "a", n } });
const added = (n: number): Event => ({ type: "Added", data: { id: "a", n } });

describe("scenarios", () => {
  it("folds the given events, decides, checks the events and returns the state after them", () => {
    expect(scenarios(counter, table).given([added(2)]).when(add(3)).then([added(3)])).toEqual({ total: 5, seen: [2, 3] });
    expect(() => scenarios(counter, table).given().when(add(3)).then([added(4)])).toThrow(/Expected values to be strictly deep-equal/);
  });

  it("asserts rejections and their reasons", () => {
    scenarios(counter, table).given([added(9)]).when(add(2)).thenRejects("too-many");
    expect(() => scenarios(counter, table).given([added(9)]).when(add(2)).thenRejects("other")).toThrow(/Expected values to be strictly deep-equal/);
    expect(() => scenarios(counter, table).given().when(add(1)).thenRejects()).toThrow(/expected a rejection, but the command was accepted/);
    expect(() => scenarios(counter, table).given([added(9)]).when(add(2)).then([])).toThrow(/expected events, but the command was rejected/);
  });

  it("validates commands before the decider and events after it, as production does", () => {
    const bad = { type: "Add", data: { id: "a", n: 1.5 } } as Command;
    scenarios(counter, table).given().when(bad).thenInvalid(["n"]);
    expect(() => scenarios(counter, table).given().when(bad).then([])).toThrow(/the command is invalid \(its schema refuses it: n: /);
    expect(() => scenarios(counter, table).given().when(add(1)).thenInvalid()).toThrow(/expected the command to be invalid/);
    expect(() => scenarios(counter, table).given().when(add(-1)).then([added(-1)])).toThrow(/Counter given 0 event\(s\), when Add: decided an Added that its schema refuses at "n"/);
    expect(() => scenarios(counter, table).given([added(-2)]).when(add(1)).then([added(1)])).toThrow(/was given \(event 1\) an Added/);
  });

  it("hands the decider frozen copies, so a mutating handler fails the test", () => {
    const mutating: Decider<Command, Event, State, string> = { ...counter, evolve: (s, e) => (s.seen.push(e.data.n), s) };
    expect(() => scenarios(mutating, table).given([added(1)]).when(add(1)).then([added(1)])).toThrow(TypeError);
  });

  it("gives the decider a context: the given events' count as the version, a frozen clock, the command's metadata", () => {
    const seen: DecideContext[] = [];
    const watching: Decider<Command, Event, State, string> = { ...counter, decide: (c, s, context) => (seen.push(context), counter.decide(c, s, context)) };
    scenarios(watching, table).given([added(1), added(2)]).when(add(1)).then([added(1)]);
    scenarios(watching, table).given().when(add(1), { now: "2026-05-01T08:00:00Z", caller: "clerk", correlationId: "c-1", metadata: { desk: 4 } }).then([added(1)]);
    expect(seen[0]).toMatchObject({ stream: "a", version: 2, commandId: "test-command", correlationId: "test-command", causationId: null, caller: null, metadata: {} });
    expect(seen[0]?.now().toISOString()).toBe(TEST_TIME);
    expect(seen[1]).toMatchObject({ version: 0, caller: "clerk", correlationId: "c-1", metadata: { desk: 4, caller: "clerk" } });
    expect(seen[1]?.now().toISOString()).toBe("2026-05-01T08:00:00.000Z");
    expect(Object.isFrozen(seen[1]) && Object.isFrozen(seen[1]?.metadata)).toBe(true);
    expect(() => scenarios(counter, table).given().when(add(1), { now: "yesterday" }).then([added(1)])).toThrow(/a scenario's time must be a date/);
  });

  it("refuses to be awaited", () => {
    const outcome = scenarios(counter, table).given().when(add(1));
    expect(() => outcome.then((() => undefined) as never)).toThrow(/a scenario is not a promise/);
  });
});

describe("projectRows", () => {
  const totals: Projection<Event, { id: string; sum: number }> = {
    name: "totals",
    events: ["Added"],
    keyOf: (e) => (e.data.n === 0 ? undefined : e.data.id),
    initialRow: (id) => ({ id, sum: 0 }),
    apply: (row, e) => (e.data.n === 7 ? null : { ...row, sum: row.sum + e.data.n }),
  };

  it("folds events into rows by key, skips events without a key, and deletes rows on null", () => {
    const other: Event = { type: "Added", data: { id: "b", n: 4 } };
    expect(projectRows(totals, [added(1), added(0), other, added(2)])).toEqual(
      new Map([
        ["a", { id: "a", sum: 3 }],
        ["b", { id: "b", sum: 4 }],
      ]),
    );
    expect(projectRows(totals, [added(1), added(7)]).has("a")).toBe(false);
  });
});
