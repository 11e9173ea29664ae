/**
 * The behaviour of the generated `define<Aggregate>`, `define<Service>` and `define<Projection>`
 * functions: dispatching each command and event to the hand-written handler of its type. The
 * generated functions only type the handlers and give the owner's data (name, stream, initial
 * state or row, snapshots), so the dispatch is written, tested and type-checked once, here,
 * rather than in every user's project.
 */
import type { Projection } from "../projection/projection.js";
import type { Decider, Rejection, StoredEvent } from "../types.js";
import type { CommandContext, DecideContext } from "./context.js";
import { unhandled } from "./decisions.js";
import type { ServiceHandler } from "./run-service.js";

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
 * `handlers.decide.PlaceOrder(…)` would be. The types come from where the result goes (the
 * generated function's declared return type), never from `spec`.
 */
export function decider<C extends TypedMessage, E extends TypedMessage, S, R>(handlers: DeciderHandlers, spec: DeciderSpec<NoInfer<C>, NoInfer<S>>): Decider<C, E, S, R> {
  const decide = handlers.decide as Table<Decide<S, E, R>>;
  const evolve = handlers.evolve as Table<Evolve<S>>;
  return {
    ...spec,
    decide: (command, state, context) => handlerOf(decide, spec.name, command).call(decide, command.data, state, context),
    evolve: (state, event) => handlerOf(evolve, spec.name, event).call(evolve, state, event.data),
  };
}

/** Everything a service handler is but its `handle`. */
export interface ServiceSpec<C> {
  readonly name: string;
  /** The stream the service's events go to. */
  streamOf(command: C): string;
}

/** Everything a projection is but its `apply`. */
export type ProjectionSpec<E extends TypedMessage, Row> = Omit<Projection<E, Row>, "apply">;

type Handle<E, R> = (data: unknown, context: CommandContext) => Promise<readonly E[] | Rejection<R>> | readonly E[] | Rejection<R>;
type Apply<Row> = (row: Row, data: unknown, envelope: StoredEvent) => Row | null;

/** A service handler from its data and its handlers by command type (as `decider`). */
export function service<C extends TypedMessage, E extends TypedMessage, R>(handlers: object, spec: ServiceSpec<NoInfer<C>>): ServiceHandler<C, E, R> {
  const table = handlers as Table<Handle<E, R>>;
  return { ...spec, handle: (command, context) => handlerOf(table, spec.name, command).call(table, command.data, context) };
}

/** A projection from its data and its handlers by event type (as `decider`). */
export function projection<E extends TypedMessage, Row>(handlers: object, spec: ProjectionSpec<NoInfer<E>, NoInfer<Row>>): Projection<E, Row> {
  const table = handlers as Table<Apply<Row>>;
  return { ...spec, apply: (row, event, envelope) => handlerOf(table, spec.name, event).call(table, row, event.data, envelope) };
}

/** The table's own handler for the message's type (never one inherited, like `toString`). */
function handlerOf<F>(table: Table<F>, owner: string, message: TypedMessage): F {
  const handler = Object.hasOwn(table, message.type) ? table[message.type] : undefined;
  return handler ?? unhandled(owner, message);
}
