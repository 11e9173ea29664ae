/** The pipeline for stateless services: run a handler, append its events, record the command. */
import { randomUUID } from "node:crypto";
import { DuplicateCommandError, type EventStore } from "../store/event-store.js";
import { WrongExpectedVersionError, type EventCodec, type NewEvent, type Rejection } from "../types.js";
import {
  ConcurrencyConflictError,
  isRejection,
  parseCommand,
  parseEvents,
  toNewEvents,
  type CommandEnvelope,
  type CommandOutcome,
  type ValidationOptions,
  versionConflict,
} from "./command-types.js";
import { commandContext, systemClock, type Clock, type CommandContext } from "./context.js";
import { outcomeFromRecord } from "./handle-command.js";
import { retryTransient, type TransientRetryOptions } from "./transient-retry.js";

/** A stateless command handler (a model's `service`): sends mail, calls a payment provider. */
export interface ServiceHandler<C extends { readonly type: string }, E extends { readonly type: string }, R = unknown> {
  readonly name: string;
  /** The stream the handler's events go to (for example `Payments-<orderId>`). */
  streamOf(command: C): string;
  /** Handles the command; `context` tells the time and the command's metadata. */
  handle(command: C, context: CommandContext): Promise<readonly E[] | Rejection<R>> | readonly E[] | Rejection<R>;
}

/** Options for `runService`. */
export interface RunServiceOptions extends ValidationOptions {
  /** Retries of the append (not of the handler) when another writer appends to the stream meanwhile (default 3). */
  readonly maxRetries?: number;
  readonly newId?: () => string;
  /** The clock handlers read through `context.now()` (default: the system clock). */
  readonly clock?: Clock;
  /** Retries of the store calls through a lost database connection (default: 8, about 7 s in all). */
  readonly transientRetry?: TransientRetryOptions;
}

/**
 * Runs a service handler once and appends its events with the command record. The command is
 * parsed by its schema first (an invalid one returns the `invalid` outcome and runs nothing),
 * and every event the handler returns by its current schema (`InvalidEventError` otherwise,
 * nothing stored). A command id seen before returns the first outcome without running the
 * handler. A process that dies between the handler's side effect and the append runs it again
 * on redelivery, so side effects must themselves be idempotent (pass the command id downstream).
 */
export async function runService<C extends { readonly type: string }, E extends { readonly type: string }, R>(
  store: EventStore,
  service: ServiceHandler<C, E, R>,
  codec: EventCodec<E>,
  command: CommandEnvelope<C>,
  options: RunServiceOptions = {},
): Promise<CommandOutcome<R>> {
  const parsed = parseCommand(codec, command, options);
  if (!parsed.ok) return parsed.outcome;
  const valid = parsed.command;
  const previous = await retryTransient(() => store.commandResult(valid.messageId), options.transientRetry);
  if (previous !== null) return outcomeFromRecord(previous);
  const stream = service.streamOf(valid.payload);
  // A service's expected version is checked before it runs (its side effects cannot be undone) and again at the append.
  const before = versionConflict(valid, stream, await retryTransient(() => store.streamPosition(stream), options.transientRetry));
  if (before !== undefined) return before;
  const decision = await service.handle(valid.payload, commandContext(valid, options.clock ?? systemClock));
  const produced = isRejection(decision) ? [] : parseEvents(codec, service.name, valid.messageId, decision, options);
  const events = toNewEvents(produced, codec, valid, options.newId ?? randomUUID);
  const reason = isRejection(decision) ? { reason: decision.reason } : undefined;
  // The handler ran once; only the append is tried again (the command record makes that safe).
  return retryTransient(() => appendWithRetries<R>(store, stream, valid, events, reason, options.maxRetries ?? 3), options.transientRetry);
}

async function appendWithRetries<R>(
  store: EventStore,
  stream: string,
  command: CommandEnvelope<unknown>,
  events: readonly NewEvent[],
  reason: { readonly reason: unknown } | undefined,
  maxRetries: number,
): Promise<CommandOutcome<R>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await appendOutcome<R>(store, stream, command, events, reason);
    } catch (error) {
      if (error instanceof DuplicateCommandError) return outcomeFromRecord(error.record);
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxRetries) throw new ConcurrencyConflictError(command.messageId, stream, attempt + 1, { cause: error });
    }
  }
}

/** Appends at the stream's current position so that the recorded outcome can name positions. */
async function appendOutcome<R>(
  store: EventStore,
  stream: string,
  command: CommandEnvelope<unknown>,
  events: readonly NewEvent[],
  rejection: { readonly reason: unknown } | undefined,
): Promise<CommandOutcome<R>> {
  const commandId = command.messageId;
  const current = await store.streamPosition(stream);
  const conflict = versionConflict(command, stream, current);
  if (conflict !== undefined) return conflict;
  const expected = current === null ? ({ kind: "no-stream" } as const) : ({ kind: "exact", position: current } as const);
  if (rejection !== undefined) {
    const rejected = { status: "rejected", commandId, stream, reason: rejection.reason as R } as const;
    await store.append(stream, [], expected, { command: { id: commandId, result: rejected } });
    return { ...rejected, duplicate: false };
  }
  const start = (current ?? -1) + 1;
  const accepted = {
    status: "accepted",
    commandId,
    stream,
    events: events.map((e, i) => ({ messageId: e.messageId, type: e.type, position: start + i })),
    lastPosition: events.length === 0 ? current : start + events.length - 1,
  } as const;
  const appended = await store.append(stream, events, expected, { command: { id: commandId, result: accepted } });
  return { ...accepted, lastGlobalPosition: events.length === 0 ? null : appended.lastGlobalPosition, duplicate: false };
}
