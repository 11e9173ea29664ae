/** One orchestrator test's world: a fresh store of an engine, a clock the test moves, an orchestrator. */
import type { Observability } from "../../../src/observability/observability.js";
import type { EventStore } from "../../../src/store/event-store.js";
import type { CommandSender, Message, OrchestratedWorkflow } from "../../../src/workflow/definition.js";
import { createOrchestrator, type Orchestrator, type WorkflowHooks } from "../../../src/workflow/orchestrator.js";
import { createHarness, type StoreHarness } from "../../store/support.js";
import { deserializeMessage } from "./messages.js";

/** A clock tests move by hand. */
export interface TestClock {
  (): Date;
  advance(ms: number): Date;
}

/** Starts at 2030-01-01T00:00:00Z. */
export function testClock(start = Date.parse("2030-01-01T00:00:00Z")): TestClock {
  let now = start;
  const clock = (() => new Date(now)) as TestClock;
  clock.advance = (ms) => new Date((now += ms));
  return clock;
}

/** A store harness and what was opened on it. */
export interface Flow<E extends Message, C extends Message, S extends E["type"], N extends string> {
  readonly harness: StoreHarness;
  readonly store: EventStore;
  readonly clock: TestClock;
  readonly orchestrator: Orchestrator<E, C, S, N>;
  /** Another orchestrator of the same workflow on a new connection to the same store (a restart). */
  reopen(send: CommandSender<C>): Promise<Orchestrator<E, C, S, N>>;
}

/** Opens a fresh store of `engine` and an orchestrator of `workflow` on it. */
export async function openFlow<E extends Message, C extends Message, S extends E["type"], N extends string>(
  engine: StoreHarness["engine"],
  workflow: OrchestratedWorkflow<E, C, S, N>,
  send: (store: EventStore) => CommandSender<C>,
  hooks: WorkflowHooks = {},
  observability?: Observability,
): Promise<Flow<E, C, S, N>> {
  const harness = await createHarness(engine);
  const clock = testClock();
  const store = await harness.open({ clock });
  const make = (s: EventStore, sender: CommandSender<C>): Orchestrator<E, C, S, N> =>
    createOrchestrator(workflow, { store: s, send: sender, deserialize: deserializeMessage, clock, hooks, ...(observability === undefined ? {} : { observability }) });
  const orchestrator = make(store, send(store));
  await orchestrator.init();
  return {
    harness,
    store,
    clock,
    orchestrator,
    reopen: async (sender) => make(await harness.open({ clock }), sender),
  };
}
