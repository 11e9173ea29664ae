/**
 * The behaviour of a generated `define<Aggregate>` function: dispatching each command and event
 * to the hand-written handler of its type. The generated function only types the handlers and
 * gives the aggregate's data (name, initial state, stream field, snapshots), so the dispatch is
 * written, tested and type-checked once, here, rather than in every user's project.
 */
import type { Decider, Rejection } from "../types.js";
import type { DecideContext } from "./context.js";
import { unhandled } from "./decisions.js";

/** A command or event as the generated code shapes it: `{ type, data }`. */
interface TypedMessage {
  readonly type: string;
  readonly data: unknown;
}

/** Everything a decider is but its `decide` and `evolve`: what the generated `define…` function knows. */
export interface DeciderSpec<C, S> {
  readonly name: string;
  readonly initialState: S;
  /** The stream id of a command (the value of the aggregate's `stream` field). */
  streamOf(command: C): string;
  readonly snapshotEvery?: number;
  readonly snapshotTag?: string;
}

/** The hand-written handlers, by message type; their types are the generated `define…` function's business. */
export interface DeciderHandlers {
  readonly decide: object;
  readonly evolve: object;
}

type Table<F> = Readonly<Record<string, F | undefined>>;
type Decide<S, E, R> = (data: unknown, state: S, context: DecideContext) => readonly E[] | Rejection<R>;
type Evolve<S> = (state: S, data: unknown) => S;

/**
 * A decider from the aggregate's data and its handlers: `decide` calls the handler named like
 * the command's type with the command's data, `evolve` the one named like the event's type; a
 * type without a handler is a routing bug (`unhandled`). Handlers are called on their table, as
 * `handlers.decide.PlaceOrder(…)` would be.
 */
export function decider<C extends TypedMessage, E extends TypedMessage, S, R>(handlers: DeciderHandlers, spec: DeciderSpec<C, S>): Decider<C, E, S, R> {
  const decide = handlers.decide as Table<Decide<S, E, R>>;
  const evolve = handlers.evolve as Table<Evolve<S>>;
  return {
    ...spec,
    decide: (command, state, context) => handlerOf(decide, spec.name, command).call(decide, command.data, state, context),
    evolve: (state, event) => handlerOf(evolve, spec.name, event).call(evolve, state, event.data),
  };
}

/** The table's own handler for the message's type (never one inherited, like `toString`). */
function handlerOf<F>(table: Table<F>, owner: string, message: TypedMessage): F {
  const handler = Object.hasOwn(table, message.type) ? table[message.type] : undefined;
  return handler ?? unhandled(owner, message);
}
