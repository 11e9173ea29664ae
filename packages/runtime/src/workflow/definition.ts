/**
 * Workflow definitions: plain data and functions, typed by the workflow's own event and command
 * unions. The generator emits one per model `workflow`; the orchestrator and the choreography
 * runner interpret them. Messages are `{ type, data }`, as the generated schemas type them.
 */
import type { CommandEnvelope, CommandOutcome } from "../pipeline/command-types.js";
import type { Message } from "../codec/codec.js";
import type { Metadata, StoredEvent } from "../types.js";

export type { Message };

/** The data of the message of type `T` in the union `M`. */
export type DataOf<M extends Message, T extends M["type"]> = Extract<M, { readonly type: T }>["data"];

/** Why an orchestrated run failed. */
export type WorkflowFailureReason = "fail-on" | "rejected" | "retries-spent" | "timeout";

/** The failure of a run: which step, why, and the message that made it fail. */
export interface WorkflowFailure {
  readonly reason: WorkflowFailureReason;
  readonly step: string;
  /**
   * The message that caused the failure: the `fail on` event, the rejected command, or (for a
   * timeout or spent retries) the last event that had moved the instance. Compensations and the
   * `onFail` command carry it as their causation id.
   */
  readonly causationId: string;
  /** ISO-8601 time of the failure (the coordinator's clock). */
  readonly at: string;
}

/**
 * What the command builders of an orchestrated workflow see: the start event's data, and the
 * data of every event the run has received so far (awaited or `fail on`), by type.
 */
export interface WorkflowContext<E extends Message, S extends E["type"] = E["type"]> {
  /** The instance's correlation value (what `correlate` returned for the start event). */
  readonly correlation: string;
  readonly start: DataOf<E, S>;
  readonly events: { readonly [T in E["type"]]?: DataOf<E, T> };
  /**
   * The data of an event received earlier. Throws when it has not arrived: a builder that asks
   * for an event of a later step is a bug in the definition (the model checker rules it out).
   */
  awaited<T extends E["type"]>(type: T): DataOf<E, T>;
  /** Set for compensations and `onFail`; null otherwise. */
  readonly failure: WorkflowFailure | null;
}

/** Builds a command from a run's context. */
export type CommandBuilder<E extends Message, C extends Message, S extends E["type"] = E["type"]> = (
  context: WorkflowContext<E, S>,
) => C;

/** `retry N every D`: up to `count` re-sends, each `everyMs` after the previous send. */
export interface RetryEvery {
  readonly count: number;
  readonly everyMs: number;
}

/** One step of a saga: send a command, then wait for its event. */
export interface OrchestratedStep<
  E extends Message,
  C extends Message,
  S extends E["type"] = E["type"],
  N extends string = string,
> {
  /** Unique within the workflow; part of command ids, so renaming a step changes them. */
  readonly name: N;
  readonly send: CommandBuilder<E, C, S>;
  /** The event that completes the step. */
  readonly awaits: E["type"];
  /** The event that fails the step. */
  readonly failOn?: E["type"];
  /** Undoes the step once it has completed and a later step fails. */
  readonly compensate?: CommandBuilder<E, C, S>;
  /**
   * Registered before the step (Temporal's idiom for a call whose outcome is unknown after a
   * timeout): the compensation also runs, first, when this step itself fails — rejected, retries
   * spent, its `failOn` event, or the run's timeout while it waits. It then reads only the
   * start event and earlier steps' events, since the step's own event may never come.
   */
  readonly compensateOnFailure?: boolean;
  readonly retry?: RetryEvery;
}

/**
 * An orchestrated workflow (a saga). `E` is the union of the events it reads (start, awaited,
 * `fail on`), `C` the union of the commands it sends, `S` the start event's type and `N` the
 * step names.
 */
export interface OrchestratedWorkflow<
  E extends Message,
  C extends Message,
  S extends E["type"] = E["type"],
  N extends string = string,
> {
  /** Unique per store: names the instances, the checkpoint and the command ids. */
  readonly name: string;
  readonly start: S;
  /** The correlation value of an event: one instance per value. Every event of `E` carries it. */
  readonly correlate: (data: E["data"]) => string;
  /** Bounds the whole run, from the start event's processing. */
  readonly timeoutMs?: number;
  readonly steps: readonly OrchestratedStep<E, C, S, N>[];
  readonly onComplete?: CommandBuilder<E, C, S>;
  readonly onFail?: CommandBuilder<E, C, S>;
}

/** One rule of a choreography: on an event, send a command built from its data. */
export interface ChoreographyRule<E extends Message, C extends Message, T extends E["type"] = E["type"]> {
  /** Unique within the workflow; names the rule's consumer and is part of its command ids. */
  readonly name: string;
  readonly on: T;
  readonly send: (data: DataOf<E, T>, envelope: StoredEvent) => C;
}

/** Any rule of a choreography over `E` and `C` (a union over the event types, so `send` is typed by `on`). */
export type AnyChoreographyRule<E extends Message, C extends Message> = {
  [T in E["type"]]: ChoreographyRule<E, C, T>;
}[E["type"]];

/** A choreographed workflow: rules that each react to one event by sending one command. */
export interface ChoreographedWorkflow<E extends Message, C extends Message> {
  readonly name: string;
  readonly rules: readonly AnyChoreographyRule<E, C>[];
}

/** The envelope fields of a command a workflow sends (everything but the command itself). */
export interface CommandMeta {
  /** The command id: deterministic, so a re-send after a crash is recognised as the same command. */
  readonly messageId: string;
  readonly correlationId: string;
  /** The id of the message that caused the command (usually the triggering event). */
  readonly causationId: string;
  /** `workflow`, and `correlation` (orchestrated) or `rule` (choreographed). */
  readonly metadata: Metadata;
}

/**
 * Where workflows send commands; the application provides it. It must be idempotent by
 * `meta.messageId` — `handleCommand` and `runService` are — because a command is sent again
 * with the same id after a crash. Resolve with the outcome; throw for a failure worth retrying
 * (the command stays queued and is sent again later).
 */
export type CommandSender<C extends Message = Message> = (command: C, meta: CommandMeta) => Promise<CommandOutcome>;

/** The pipeline's envelope for a workflow's command: `handleCommand(store, decider, codec, toCommandEnvelope(c, meta))`. */
export function toCommandEnvelope<C extends Message>(command: C, meta: CommandMeta): CommandEnvelope<C> {
  return {
    messageId: meta.messageId,
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    metadata: meta.metadata,
    payload: command,
  };
}

/** One handler per command type, each given the command's pipeline envelope. */
export type CommandRoutes<C extends Message> = {
  readonly [T in C["type"]]: (envelope: CommandEnvelope<Extract<C, { readonly type: T }>>) => Promise<CommandOutcome>;
};

/** A `CommandSender` that hands each command to the route of its type (a missing route is a compile error). */
export function commandRouter<C extends Message>(routes: CommandRoutes<C>): CommandSender<C> {
  return async (command, meta) => {
    const route = (routes as unknown as Record<string, ((envelope: CommandEnvelope<C>) => Promise<CommandOutcome>) | undefined>)[command.type];
    if (route === undefined) throw new Error(`no route for command type "${command.type}"`);
    return route(toCommandEnvelope(command, meta));
  };
}
