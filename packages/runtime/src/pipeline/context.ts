/**
 * What a handler knows besides the command (and, for a decider, the state): the time, from a
 * clock the application injects (frozen in tests); the command's metadata; and, for a decider,
 * the stream and its version. Built once per decision by the pipeline and the test engine.
 */

/** What a context is read from: a command envelope's ids and metadata (`CommandEnvelope` fits). */
export interface ContextSource {
  readonly messageId: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Where handlers read the time: `() => new Date()` unless the application injects another. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();

/** What every command handler (a service's, a decider's) is told about its command. */
export interface CommandContext {
  /** The time of the decision, by the application's clock (frozen in tests). */
  now(): Date;
  /** The command's id (its idempotency key). */
  readonly commandId: string;
  /** The conversation the command belongs to (the command's id when it starts one). */
  readonly correlationId: string;
  /** The message that caused the command; null for one sent from outside. */
  readonly causationId: string | null;
  /** Who sent the command (`send(command, { caller })`), or null when it was not said. */
  readonly caller: string | null;
  /** The command's free metadata (also carried by the events it produces). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** What a decider is told: the command's context, and the stream it decides on. */
export interface DecideContext extends CommandContext {
  /** The stream of the aggregate instance. */
  readonly stream: string;
  /** How many events the stream holds before this decision (0: a new stream). */
  readonly version: number;
}

/** The metadata key under which `send`'s `caller` travels with the command and its events. */
export const CALLER_KEY = "caller";

/**
 * The metadata key of the principal a workflow acts for: a workflow's commands carry the caller
 * `workflow:<name>` and, where the event that triggered them said who caused it, that principal
 * here (its own `onBehalfOf` when it came from a workflow too, so a chain names its origin).
 */
export const ON_BEHALF_OF_KEY = "onBehalfOf";

/** The caller a workflow's commands carry. */
export function workflowPrincipal(workflow: string): string {
  return `workflow:${workflow}`;
}

/** Whom a message's effects are for: its `onBehalfOf`, else its caller, else null. */
export function originOf(metadata: Readonly<Record<string, unknown>> | undefined): string | null {
  const origin = metadata?.[ON_BEHALF_OF_KEY] ?? metadata?.[CALLER_KEY];
  return typeof origin === "string" ? origin : null;
}

/** The handler context of a command envelope. */
export function commandContext(command: ContextSource, clock: Clock): CommandContext {
  const metadata = command.metadata ?? {};
  const caller = metadata[CALLER_KEY];
  return {
    now: clock,
    commandId: command.messageId,
    correlationId: command.correlationId ?? command.messageId,
    causationId: command.causationId ?? null,
    caller: typeof caller === "string" ? caller : null,
    metadata,
  };
}

/** A decider's context: the handler context, the stream and its version (last position + 1). */
export function decideContext(command: ContextSource, clock: Clock, stream: string, position: number | null): DecideContext {
  return { ...commandContext(command, clock), stream, version: (position ?? -1) + 1 };
}
