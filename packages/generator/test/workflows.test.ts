/**
 * `<context>/workflows.ts` of the edge model's `Flows` context, which uses every kind of field
 * source: the builders fill same-named and explicit trigger fields, read awaited events, write
 * literals and defaults, leave optional fields out and call the user's hooks with the run's
 * context (or the rule's event and envelope); and the definition runs on the runtime's
 * orchestrator — a quote that never comes spends its retries, the assignment is compensated
 * with the hooked reason, then the `on fail` command goes out.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommandMeta, StoredEvent } from "@eda/runtime";
import { generateFrom, readModel, repoRoot, writeOut } from "./support.js";

type Data = Record<string, unknown>;
interface Command {
  readonly type: string;
  readonly data: Data;
}
interface Context {
  readonly correlation: string;
  readonly start: Data;
  readonly events: Readonly<Record<string, Data>>;
  awaited(type: string): Data;
  readonly failure: unknown;
}
interface Step {
  readonly name: string;
  send(ctx: Context): Command;
  readonly awaits: string;
  readonly failOn?: string;
  compensate?(ctx: Context): Command;
  readonly retry?: { count: number; everyMs: number };
}
interface Orchestrated {
  readonly name: string;
  readonly start: string;
  correlate(data: Data): string;
  readonly timeoutMs?: number;
  readonly steps: readonly Step[];
  onComplete?(ctx: Context): Command;
  onFail?(ctx: Context): Command;
}
interface Rule {
  readonly name: string;
  readonly on: string;
  send(data: Data, envelope: StoredEvent): Command;
}
interface FlowsModule {
  defineTriage(hooks: unknown): Orchestrated;
  defineClosing(hooks: unknown): { readonly name: string; readonly rules: readonly Rule[] };
}

let dir = "";
let flows: FlowsModule;

beforeAll(async () => {
  dir = writeOut("workflows-edge", generateFrom(readModel(join(repoRoot, "test/generated/models/edge"))));
  flows = (await import(join(dir, "flows", "workflows.ts"))) as FlowsModule;
});

const opened = { ticketId: 7, title: "Leaky tap", budget: "120.50", owner: "ops@example.com" };

/** A context as the runtime builds it, with the events received so far. */
function context(events: Record<string, Data>, failure: unknown = null): Context {
  return {
    correlation: "7",
    start: opened,
    events,
    failure,
    awaited(type) {
      const data = events[type];
      if (!data) throw new Error(`no ${type} yet`);
      return data;
    },
  };
}

/** Hooks that answer from the context they get and record each call. */
function triageHooks(calls: unknown[][]) {
  const hook =
    (name: string, answer: (ctx: Context) => string) =>
    (ctx: Context): string => {
      calls.push([name, ctx]);
      return answer(ctx);
    };
  return {
    send: { quote: { label: hook("label", (ctx) => `quote for ${String(ctx.start["title"])}`) } },
    compensate: { assign: { reason: hook("reason", (ctx) => `unassigned from ${String(ctx.awaited("Assigned")["assignee"])}`) } },
    onComplete: { summary: hook("summary", (ctx) => `closed at ${String(ctx.awaited("Quoted")["price"])}`) },
  };
}

describe("the builders of an orchestrated workflow", () => {
  it("fill each field from its source: trigger, awaited event, literal, default, hook; optional fields stay out", () => {
    const calls: unknown[][] = [];
    const triage = flows.defineTriage(triageHooks(calls));
    const [assign, quote] = triage.steps as [Step, Step];
    expect([triage.name, triage.start, triage.timeoutMs, triage.correlate(opened)]).toEqual(["Triage", "Opened", undefined, "7"]);
    expect([assign.name, assign.awaits, assign.failOn, assign.retry]).toEqual(["assign", "Assigned", "AssignFailed", undefined]);
    expect([quote.name, quote.awaits, quote.failOn, quote.retry]).toEqual(["quote", "Quoted", undefined, { count: 2, everyMs: 1000 }]);

    const start = context({});
    expect(assign.send(start)).toEqual({ type: "Assign", data: { ticketId: 7, owner: "ops@example.com", priority: "High", attempts: 2 } });
    const assigned = context({ Assigned: { ticketId: 7, assignee: "kim" } });
    expect(assign.compensate?.(assigned)).toEqual({ type: "Unassign", data: { ticketId: 7, assignee: "kim", reason: "unassigned from kim" } });
    expect(quote.send(assigned)).toEqual({
      type: "Quote",
      data: { ticketId: 7, amount: "120.50", wait: 90_000, urgent: true, tags: [], label: "quote for Leaky tap" },
    });
    const quoted = context({ Assigned: { ticketId: 7, assignee: "kim" }, Quoted: { ticketId: 7, price: "99.00" } });
    expect(triage.onComplete?.(quoted)).toEqual({ type: "Close", data: { ticketId: 7, price: "99.00", summary: "closed at 99.00" } });
    expect(triage.onFail?.(start)).toEqual({ type: "Abandon", data: { ticketId: 7, why: "triage failed" } });
    // Each hook got the very context the builder got.
    expect(calls.map(([name, ctx]) => [name, ctx])).toEqual([
      ["reason", assigned],
      ["label", assigned],
      ["summary", quoted],
    ]);
  });

  it("read an awaited event only through ctx.awaited, so a builder run too early fails loudly", () => {
    const triage = flows.defineTriage(triageHooks([]));
    expect(() => triage.onComplete?.(context({}))).toThrow(/no Quoted yet/);
  });
});

describe("the rules of a choreographed workflow", () => {
  it("get stable, distinct names and pass the event and its envelope to their hooks", () => {
    const seen: unknown[][] = [];
    const closing = flows.defineClosing({
      onQuotedSendClose: {
        summary: (event: Data, envelope: StoredEvent) => {
          seen.push([event, envelope.messageId]);
          return `auto-closed after ${envelope.messageId}`;
        },
      },
    });
    expect(closing.rules.map((r) => [r.name, r.on])).toEqual([
      ["onQuotedSendClose", "Quoted"],
      ["onQuotedSendClose2", "Quoted"],
    ]);
    const quoted = { ticketId: 7, price: "99.00" };
    const envelope = { messageId: "event-1" } as StoredEvent;
    const [hooked, literal] = closing.rules as [Rule, Rule];
    expect(hooked.send(quoted, envelope)).toEqual({ type: "Close", data: { ticketId: 7, price: "99.00", summary: "auto-closed after event-1" } });
    expect(literal.send(quoted, envelope)).toEqual({ type: "Close", data: { ticketId: 7, price: "99.00", summary: "auto" } });
    expect(seen).toEqual([[quoted, "event-1"]]);
  });
});

describe("a generated definition with hooks on the runtime's orchestrator", () => {
  it("spends the quote's retries, runs the quote's compensation registered before it, compensates the assignment with the hooked reason, then abandons", async () => {
    const runtime = await import("@eda/runtime");
    const aggregates = (await import(join(dir, "flows", "aggregates.ts"))) as { defineTicket(handlers: unknown): never };
    const ticket = aggregates.defineTicket({
      decide: {
        Open: (c: Data) => [{ type: "Opened", data: c }],
        Assign: (c: Data) => [{ type: "Assigned", data: { ticketId: c["ticketId"], assignee: "kim" } }],
        Unassign: (c: Data) => [{ type: "Unassigned", data: { ticketId: c["ticketId"] } }],
        // The quoting service never answers: the step can only fail by its retries.
        Quote: () => [],
        Close: (c: Data) => [{ type: "Closed", data: { ticketId: c["ticketId"] } }],
        Abandon: (c: Data) => [{ type: "Abandoned", data: { ticketId: c["ticketId"] } }],
      },
      evolve: { Opened: (s: Data) => s, Assigned: (s: Data) => s, AssignFailed: (s: Data) => s, Unassigned: (s: Data) => s, Quoted: (s: Data) => s, Closed: (s: Data) => s, Abandoned: (s: Data) => s },
    });
    const codecModule = (await import(join(dir, "codec.ts"))) as { createCodec(): never };
    const codec = codecModule.createCodec() as { deserialize(e: StoredEvent): never };
    const store = new runtime.MemoryEventStore();
    const sent: [Command, CommandMeta][] = [];
    let now = new Date("2026-01-15T09:00:00Z");
    const coordinator = runtime.createOrchestrator(flows.defineTriage(triageHooks([])) as never, {
      store,
      clock: () => now,
      deserialize: (e) => codec.deserialize(e),
      send: async (command, meta) => {
        sent.push([command as Command, meta]);
        return runtime.handleCommand(store, ticket, codec as never, runtime.toCommandEnvelope(command, meta) as never);
      },
    });
    await coordinator.init();
    await runtime.handleCommand(store, ticket, codec as never, { messageId: "open-7", payload: { type: "Open", data: opened } } as never);
    await coordinator.settle();
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 1_000);
      await coordinator.tick(now);
      await coordinator.settle();
    }
    expect(sent.map(([c, meta]) => [c.type, meta.messageId])).toEqual([
      ["Assign", "Triage/7/assign/send/1"],
      ["Quote", "Triage/7/quote/send/1"],
      ["Quote", "Triage/7/quote/send/2"],
      ["Quote", "Triage/7/quote/send/3"],
      // `compensate always`: the quote's own compensation first, though the quote never completed.
      ["Unassign", "Triage/7/quote/compensate"],
      ["Unassign", "Triage/7/assign/compensate"],
      ["Abandon", "Triage/7/fail"],
    ]);
    expect(sent[4]?.[0].data).toEqual({ ticketId: 7, assignee: "kim", reason: "the quote failed" });
    expect(sent[5]?.[0].data).toEqual({ ticketId: 7, assignee: "kim", reason: "unassigned from kim" });
    expect(sent[1]?.[0].data).toMatchObject({ label: "quote for Leaky tap", amount: "120.50" });
    expect((await coordinator.instance("7"))?.state).toEqual({ kind: "failed" });
  });
});
