/**
 * Type-level promises of workflow definitions, checked by types.test.ts with tsc: what compiles
 * must compile, and every `@ts-expect-error` must be an error (tsc fails on one that is not).
 */
import type { CommandOutcome } from "../../../src/pipeline/command-types.js";
import {
  commandRouter,
  type ChoreographedWorkflow,
  type CommandSender,
  type OrchestratedWorkflow,
} from "../../../src/workflow/definition.js";
import { createOrchestrator } from "../../../src/workflow/orchestrator.js";
import type { EventStore } from "../../../src/store/event-store.js";

type M<T extends string, D> = { readonly type: T; readonly data: D };
type E = M<"OrderPlaced", { orderId: string; total: number; email: string }> | M<"StockReserved", { orderId: string; lot: string }>;
type C = M<"ReserveStock", { orderId: string; quantity: number }> | M<"CancelOrder", { orderId: string; reason: string }>;

const step = {
  name: "reserve" as const,
  send: (ctx: { readonly start: { orderId: string; total: number } }) => ({ type: "ReserveStock" as const, data: { orderId: ctx.start.orderId, quantity: ctx.start.total } }),
  awaits: "StockReserved" as const,
};

export const valid: OrchestratedWorkflow<E, C, "OrderPlaced", "reserve"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  steps: [step],
  onFail: (ctx) => ({ type: "CancelOrder", data: { orderId: ctx.start.orderId, reason: ctx.awaited("StockReserved").lot } }),
};

export const wrongFieldType: OrchestratedWorkflow<E, C, "OrderPlaced"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  steps: [
    {
      name: "reserve",
      // @ts-expect-error: a mapping to a field of the wrong type (quantity is a number)
      send: (ctx) => ({ type: "ReserveStock", data: { orderId: ctx.start.orderId, quantity: ctx.start.email } }),
      awaits: "StockReserved",
    },
  ],
};

export const missingField: OrchestratedWorkflow<E, C, "OrderPlaced"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  steps: [],
  // @ts-expect-error: a required field that nothing fills (reason)
  onFail: (ctx) => ({ type: "CancelOrder", data: { orderId: ctx.start.orderId } }),
};

export const unknownEvent: OrchestratedWorkflow<E, C, "OrderPlaced"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  // @ts-expect-error: awaiting an event the workflow does not read
  steps: [{ ...step, awaits: "PaymentCaptured" }],
};

export const notACommand: OrchestratedWorkflow<E, C, "OrderPlaced"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  steps: [],
  // @ts-expect-error: sending an event, not a command
  onComplete: (ctx) => ({ type: "StockReserved", data: { orderId: ctx.start.orderId, lot: "1" } }),
};

export const awaitedUnknown: OrchestratedWorkflow<E, C, "OrderPlaced"> = {
  name: "Checkout",
  start: "OrderPlaced",
  correlate: (data) => data.orderId,
  steps: [],
  // @ts-expect-error: ctx.awaited only takes the workflow's event types
  onComplete: (ctx) => ({ type: "CancelOrder", data: { orderId: ctx.start.orderId, reason: String(ctx.awaited("Nope")) } }),
};

export const rules: ChoreographedWorkflow<E, C> = {
  name: "Notifications",
  rules: [
    { name: "onPlaced", on: "OrderPlaced", send: (data) => ({ type: "CancelOrder", data: { orderId: data.orderId, reason: data.email } }) },
    // @ts-expect-error: a rule's data is that of its `on` event (StockReserved has no email)
    { name: "onReserved", on: "StockReserved", send: (data) => ({ type: "CancelOrder", data: { orderId: data.orderId, reason: data.email } }) },
  ],
};

declare const handle: (envelope: unknown) => Promise<CommandOutcome>;
export const router: CommandSender<C> = commandRouter<C>({ ReserveStock: handle, CancelOrder: handle });
// @ts-expect-error: a command type without a route
export const partialRouter: CommandSender<C> = commandRouter<C>({ ReserveStock: handle });

declare const store: EventStore;
export async function stepNames(): Promise<void> {
  const orchestrator = createOrchestrator(valid, { store, send: router, deserialize: () => ({ type: "x", data: null }) });
  const instance = await orchestrator.instance("o1");
  if (instance?.state.kind === "awaiting") {
    const name: "reserve" = instance.state.step;
    // @ts-expect-error: an instance's step is one of the workflow's step names
    const other: "ship" = instance.state.step;
    void [name, other];
  }
}
