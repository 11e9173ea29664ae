/**
 * `decider`, `service` and `projection` (handlers, spec), the behaviour of the generated
 * `define…` functions: each command and event reaches the handler named like its type, with its
 * data, called on its table; a type without a handler of its own is a routing bug.
 */
import { describe, expect, it } from "vitest";
import type { DecideContext } from "../../src/pipeline/context.js";
import { decider, projection, service } from "../../src/pipeline/define.js";
import type { StoredEvent } from "../../src/types.js";
import { reject } from "../../src/pipeline/decisions.js";

type Command = { readonly type: "Open"; readonly data: { readonly id: string } } | { readonly type: "Close"; readonly data: { readonly id: string; readonly why: string } };
type Event = { readonly type: "Opened"; readonly data: { readonly id: string } } | { readonly type: "Closed"; readonly data: { readonly why: string } };
interface State {
  readonly open: boolean;
  readonly why?: string;
}

const context = {} as DecideContext;

function account(): ReturnType<typeof decider<Command, Event, State, string>> {
  const decide = {
    Open: (data: { readonly id: string }, state: State): readonly Event[] | ReturnType<typeof reject<string>> => (state.open ? reject("already open") : [{ type: "Opened", data }]),
    Close(this: { readonly prefix: string }, data: { readonly why: string }): readonly Event[] {
      return [{ type: "Closed", data: { why: `${this.prefix}${data.why}` } }];
    },
    prefix: "closed: ",
  };
  const evolve = {
    Opened: (): State => ({ open: true }),
    Closed: (_state: State, data: { readonly why: string }): State => ({ open: false, why: data.why }),
  };
  return decider<Command, Event, State, string>({ decide, evolve }, { name: "Bank.Account", initialState: { open: false }, streamOf: (c) => `Bank.Account-${c.data.id}`, snapshotEvery: 10, snapshotTag: "Bank.Account@1" });
}

describe("decider", () => {
  it("keeps the aggregate's data", () => {
    const d = account();
    expect([d.name, d.initialState, d.snapshotEvery, d.snapshotTag, d.streamOf({ type: "Open", data: { id: "a1" } })]).toEqual(["Bank.Account", { open: false }, 10, "Bank.Account@1", "Bank.Account-a1"]);
  });

  it("calls the handler of the command's type with its data, on its table", () => {
    const d = account();
    expect(d.decide({ type: "Open", data: { id: "a1" } }, { open: false }, context)).toEqual([{ type: "Opened", data: { id: "a1" } }]);
    expect(d.decide({ type: "Open", data: { id: "a1" } }, { open: true }, context)).toEqual({ rejected: true, reason: "already open" });
    expect(d.decide({ type: "Close", data: { id: "a1", why: "done" } }, { open: true }, context)).toEqual([{ type: "Closed", data: { why: "closed: done" } }]);
  });

  it("calls the handler of the event's type with the state and its data", () => {
    const d = account();
    const events: Event[] = [{ type: "Opened", data: { id: "a1" } }, { type: "Closed", data: { why: "done" } }];
    expect(events.reduce((s, e) => d.evolve(s, e), d.initialState)).toEqual({ open: false, why: "done" });
  });

  it("refuses a type without a handler of its own, inherited names included", () => {
    const d = account() as unknown as { decide(c: unknown, s: State, x: DecideContext): unknown; evolve(s: State, e: unknown): unknown };
    expect(() => d.decide({ type: "Reopen", data: {} }, { open: false }, context)).toThrow("Bank.Account does not handle Reopen");
    expect(() => d.decide({ type: "toString", data: {} }, { open: false }, context)).toThrow("Bank.Account does not handle toString");
    expect(() => d.evolve({ open: false }, { type: "constructor", data: {} })).toThrow("Bank.Account does not handle constructor");
  });
});

describe("service", () => {
  it("keeps its data and calls the handler of the command's type with its data and context", async () => {
    const handlers = {
      Open: async (data: { readonly id: string }): Promise<readonly Event[]> => [{ type: "Opened", data }],
      Close: (data: { readonly why: string }) => reject(data.why),
    };
    const s = service<Command, Event, string>(handlers, { name: "Bank.Teller", streamOf: (c) => `Bank.Teller-${c.data.id}` });
    expect([s.name, s.streamOf({ type: "Close", data: { id: "t1", why: "x" } })]).toEqual(["Bank.Teller", "Bank.Teller-t1"]);
    expect(await s.handle({ type: "Open", data: { id: "t1" } }, context)).toEqual([{ type: "Opened", data: { id: "t1" } }]);
    expect(s.handle({ type: "Close", data: { id: "t1", why: "closed" } }, context)).toEqual({ rejected: true, reason: "closed" });
    expect(() => s.handle({ type: "Reopen", data: {} } as unknown as Command, context)).toThrow("Bank.Teller does not handle Reopen");
  });
});

describe("projection", () => {
  it("keeps its data and folds each event by the handler of its type, with the row, data and envelope", () => {
    const envelope = { position: 7 } as unknown as StoredEvent;
    const handlers = {
      Opened: (row: { readonly n: number }, _data: unknown, e: StoredEvent) => ({ n: row.n + e.position }),
      Closed: () => null,
    };
    const p = projection<Event, { readonly n: number }>(handlers, { name: "Bank.Count", events: ["Opened", "Closed"], keyOf: () => "all", initialRow: () => ({ n: 0 }) });
    expect([p.name, p.events, p.keyOf({ type: "Opened", data: { id: "a" } }), p.initialRow("all")]).toEqual(["Bank.Count", ["Opened", "Closed"], "all", { n: 0 }]);
    expect(p.apply({ n: 1 }, { type: "Opened", data: { id: "a" } }, envelope)).toEqual({ n: 8 });
    expect(p.apply({ n: 1 }, { type: "Closed", data: { why: "x" } }, envelope)).toBeNull();
    expect(() => p.apply({ n: 1 }, { type: "hasOwnProperty", data: {} } as unknown as Event, envelope)).toThrow("Bank.Count does not handle hasOwnProperty");
  });
});
