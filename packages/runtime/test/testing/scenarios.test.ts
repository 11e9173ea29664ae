/**
 * `@eda/runtime/testing` over a hand-written decider and projection with real Zod schemas: the
 * given/when/then outcomes, validation on the way in and out, frozen inputs, and `projectRows`.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCodecTable } from "../../src/codec/table.js";
import { reject } from "../../src/decisions.js";
import type { Projection } from "../../src/projection/projection.js";
import { projectRows, scenarios } from "../../src/testing/index.js";
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
