/**
 * The command pipeline the generated aggregates use: load (snapshot + tail, upcasting), decide,
 * append with the exact expected version, retry on a conflict, record the command id with the
 * events so that a second delivery appends nothing and returns the first result.
 */
import { randomUUID } from "node:crypto";
import { DuplicateCommandError, type CommandRecord, type EventStore } from "../store/event-store.js";
import { WrongExpectedVersionError, type Decider, type EventCodec } from "../types.js";
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
import { decideContext, systemClock, type Clock } from "./context.js";
import { loadForCommand, snapshotTagOf, type LoadedState } from "./load-state.js";
import { retryTransient, type TransientRetryOptions } from "./transient-retry.js";

/** Options for `handleCommand`. */
export interface HandleCommandOptions extends ValidationOptions {
  /** Retries after a version conflict before failing with `ConcurrencyConflictError` (default 3). */
  readonly maxRetries?: number;
  /** Pause before retry `attempt` (1-based), in ms (default: a few ms, growing, with jitter). */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Called when saving a snapshot fails; the command itself has succeeded (default: a process warning). */
  readonly onSnapshotError?: (error: unknown) => void;
  /** Makes event ids (default `crypto.randomUUID`). */
  readonly newId?: () => string;
  /** The clock deciders read through `context.now()` (default: the system clock). */
  readonly clock?: Clock;
  /** Retries through a lost database connection (default: 8, about 7 s in all). */
  readonly transientRetry?: TransientRetryOptions;
}

type Stored<R> = Omit<Extract<CommandOutcome<R>, { status: "accepted" }>, "duplicate" | "lastGlobalPosition"> |
  Omit<Extract<CommandOutcome<R>, { status: "rejected" }>, "duplicate">;

/** The outcome a command record holds, marked as a duplicate. */
export function outcomeFromRecord<R>(record: CommandRecord): CommandOutcome<R> {
  const stored = record.result as Stored<R>;
  return stored.status === "accepted"
    ? { ...stored, lastGlobalPosition: record.lastGlobalPosition, duplicate: true }
    : { ...stored, duplicate: true };
}

/**
 * Handles one command against its aggregate. The command is parsed by its schema first: an
 * invalid one comes back as the `invalid` outcome and reaches no handler. Returns the outcome (a
 * rejection is data, not an exception). A command with an `expectedVersion` its stream does not
 * have is answered `conflict` without deciding or storing anything (checked again after a lost
 * race, so a concurrent writer also makes it a conflict rather than a retry). Throws `InvalidEventError` when the decider produced an
 * event its schema refuses, `ConcurrencyConflictError` when retries run out, and rethrows
 * anything else the store, codec or decider throws. A lost database connection is retried.
 */
export async function handleCommand<C extends { readonly type: string }, E extends { readonly type: string }, S, R>(
  store: EventStore,
  decider: Decider<C, E, S, R>,
  codec: EventCodec<E>,
  command: CommandEnvelope<C>,
  options: HandleCommandOptions = {},
): Promise<CommandOutcome<R>> {
  const parsed = parseCommand(codec, command, options);
  if (!parsed.ok) return parsed.outcome;
  const valid = parsed.command;
  const stream = decider.streamOf(valid.payload);
  return retryTransient(() => decideWithRetries(store, decider, codec, valid, stream, options), options.transientRetry);
}

async function decideWithRetries<C extends { readonly type: string }, E extends { readonly type: string }, S, R>(
  store: EventStore,
  decider: Decider<C, E, S, R>,
  codec: EventCodec<E>,
  command: CommandEnvelope<C>,
  stream: string,
  options: HandleCommandOptions,
): Promise<CommandOutcome<R>> {
  const maxRetries = options.maxRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const read = await loadForCommand(store, decider, codec, stream, command.messageId);
    if (read.record !== null) return outcomeFromRecord(read.record);
    const conflict = versionConflict(command, stream, read.loaded.position);
    if (conflict !== undefined) return conflict;
    try {
      return await decideAndAppend(store, decider, codec, command, stream, read.loaded, options);
    } catch (error) {
      if (error instanceof DuplicateCommandError) return outcomeFromRecord(error.record);
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxRetries) throw new ConcurrencyConflictError(command.messageId, stream, attempt + 1, { cause: error });
      await sleep((options.retryDelayMs ?? defaultDelay)(attempt + 1));
    }
  }
}

async function decideAndAppend<C extends { readonly type: string }, E extends { readonly type: string }, S, R>(
  store: EventStore,
  decider: Decider<C, E, S, R>,
  codec: EventCodec<E>,
  command: CommandEnvelope<C>,
  stream: string,
  loaded: LoadedState<S>,
  options: HandleCommandOptions,
): Promise<CommandOutcome<R>> {
  const context = decideContext(command, options.clock ?? systemClock, stream, loaded.position);
  const decision = decider.decide(command.payload, loaded.state, context);
  const expected = loaded.position === null ? ({ kind: "no-stream" } as const) : ({ kind: "exact", position: loaded.position } as const);
  const commandId = command.messageId;
  if (isRejection(decision)) {
    const rejected = { status: "rejected", commandId, stream, reason: decision.reason } as const;
    await store.append(stream, [], expected, { command: { id: commandId, result: rejected } });
    return { ...rejected, duplicate: false };
  }
  const valid = parseEvents(codec, decider.name, commandId, decision, options);
  const events = toNewEvents(valid, codec, command, options.newId ?? randomUUID);
  const start = (loaded.position ?? -1) + 1;
  const accepted = {
    status: "accepted",
    commandId,
    stream,
    events: events.map((e, i) => ({ messageId: e.messageId, type: e.type, position: start + i })),
    lastPosition: events.length === 0 ? loaded.position : start + events.length - 1,
  } as const;
  const appended = await store.append(stream, events, expected, { command: { id: commandId, result: accepted } });
  await maybeSnapshot(store, decider, stream, loaded, valid, options);
  return { ...accepted, lastGlobalPosition: events.length === 0 ? null : appended.lastGlobalPosition, duplicate: false };
}

/**
 * Saves a snapshot once `snapshotEvery` events lie beyond the last usable one — which also
 * replaces a snapshot of another shape, or one that failed to save, at the next command.
 */
async function maybeSnapshot<C extends { readonly type: string }, E extends { readonly type: string }, S, R>(
  store: EventStore,
  decider: Decider<C, E, S, R>,
  stream: string,
  loaded: LoadedState<S>,
  events: readonly E[],
  options: HandleCommandOptions,
): Promise<void> {
  const every = decider.snapshotEvery;
  if (every === undefined || every < 1 || events.length === 0) return;
  if (loaded.replayed + events.length < every) return;
  const state = events.reduce((s, e) => decider.evolve(s, e), loaded.state);
  const position = (loaded.position ?? -1) + events.length;
  try {
    await store.saveSnapshot(stream, position, state, snapshotTagOf(decider));
  } catch (error) {
    (options.onSnapshotError ?? warnSnapshot)(error);
  }
}

function warnSnapshot(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`eda: saving a snapshot failed (the command succeeded): ${message}`, "EdaSnapshotWarning");
}

function defaultDelay(attempt: number): number {
  return Math.random() * 5 * attempt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
