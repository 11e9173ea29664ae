/** The pipeline for stateless services: run a handler, append its events, record the command. */
import { randomUUID } from "node:crypto";
import { DuplicateCommandError, type EventStore } from "../store/event-store.js";
import { WrongExpectedVersionError, type EventCodec, type NewEvent, type Rejection } from "../types.js";
import {
  ConcurrencyConflictError,
  isRejection,
  toNewEvents,
  type CommandEnvelope,
  type CommandOutcome,
} from "./command-types.js";
import { outcomeFromRecord } from "./handle-command.js";

/** A stateless command handler (a model's `service`): sends mail, calls a payment provider. */
export interface ServiceHandler<C extends { readonly type: string }, E extends { readonly type: string }, R = unknown> {
  readonly name: string;
  /** The stream the handler's events go to (for example `Payments-<orderId>`). */
  streamOf(command: C): string;
  handle(command: C): Promise<readonly E[] | Rejection<R>> | readonly E[] | Rejection<R>;
}

/** Options for `runService`. */
export interface RunServiceOptions {
  /** Retries of the append (not of the handler) when another writer appends to the stream meanwhile (default 3). */
  readonly maxRetries?: number;
  readonly newId?: () => string;
}

/**
 * Runs a service handler once and appends its events with the command record. A command id
 * seen before returns the first outcome without running the handler. A process that dies
 * between the handler's side effect and the append runs it again on redelivery, so side
 * effects must themselves be idempotent (pass the command id downstream).
 */
export async function runService<C extends { readonly type: string }, E extends { readonly type: string }, R>(
  store: EventStore,
  service: ServiceHandler<C, E, R>,
  codec: EventCodec<E>,
  command: CommandEnvelope<C>,
  options: RunServiceOptions = {},
): Promise<CommandOutcome<R>> {
  const previous = await store.commandResult(command.messageId);
  if (previous !== null) return outcomeFromRecord(previous);
  const stream = service.streamOf(command.payload);
  const decision = await service.handle(command.payload);
  const events = isRejection(decision) ? [] : toNewEvents(decision, codec, command, options.newId ?? randomUUID);
  const reason = isRejection(decision) ? { reason: decision.reason } : undefined;
  const maxRetries = options.maxRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await appendOutcome<R>(store, stream, command.messageId, events, reason);
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
  commandId: string,
  events: readonly NewEvent[],
  rejection: { readonly reason: unknown } | undefined,
): Promise<CommandOutcome<R>> {
  const current = await store.streamPosition(stream);
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
