/**
 * The given/when/then engine: runs a decider in memory through the same validation as the
 * runtime. The generated `<context>/testing.ts` gives each aggregate a typed entry point over it
 * (`testOrder(order).given([…]).when(command).then([…])`); everything that runs lives here.
 */
import { AssertionError, deepStrictEqual } from "../codec/assertions.js";
import { validateCommand, validateEvent, type SchemaTable } from "../codec/codec.js";
import { describeIssues, formatPath, type ValidationIssue } from "../codec/issues.js";
import { isRejection } from "../pipeline/decisions.js";
import { CALLER_KEY, decideContext, type DecideContext } from "../pipeline/context.js";
import type { Decider, Metadata, Rejection } from "../types.js";
import { frozen } from "./frozen.js";

/** A command or event as the generated code shapes it. */
export interface Message {
  readonly type: string;
  readonly data: unknown;
}

/** Scenarios for one decider: `given(events).when(command).then(events)`. */
export interface Scenarios<C, E, S, R> {
  /** The events already in the stream (none by default), folded with `evolve` from the initial state. */
  given(events?: readonly E[]): Given<C, E, S, R>;
}

/** A stream with its past events, waiting for a command. */
export interface Given<C, E, S, R> {
  /**
   * The command to decide against the state the given events produced. The decider's context
   * has the stream's version (the number of given events), the clock frozen at `TEST_TIME` and
   * the command's metadata, unless `context` says otherwise.
   */
  when(command: C, context?: TestContext): Outcome<E, S, R>;
}

/** What a scenario's command is sent with: the frozen time and the metadata its decider sees. */
export interface TestContext {
  /** The time `context.now()` answers (default `TEST_TIME`). */
  readonly now?: Date | string;
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly caller?: string;
  readonly metadata?: Metadata;
}

/** The time a scenario's clock is frozen at unless its `when` says otherwise. */
export const TEST_TIME = "2000-01-01T00:00:00.000Z";

/**
 * What the test expects of a decision. Nothing runs until `then`, `thenRejects` or
 * `thenInvalid` is called.
 */
export interface Outcome<E, S, R> {
  /**
   * Asserts that the command is accepted with exactly these events, each valid against its
   * schema, and returns the state after them.
   */
  then(expected: readonly E[]): S;
  /** Asserts that the command is rejected, with this reason when one is given. */
  thenRejects(reason?: R): void;
  /**
   * Asserts that the command's schema refuses it (the app answers `invalid` and no handler
   * runs), at these fields (`"lines.0.quantity"`) when they are given.
   */
  thenInvalid(paths?: readonly string[]): void;
}

/**
 * Runs a decider in memory, through the same validation as the runtime: the command is parsed
 * by its schema before the decider sees it, and every decided event by its current version's
 * schema (the given events too, as stored events are). States and events reach the handlers
 * deeply frozen, so a handler that mutates them fails the test instead of corrupting the next one.
 */
export function scenarios<C extends Message, E extends Message, S, R>(decider: Decider<C, E, S, R>, table: SchemaTable): Scenarios<C, E, S, R> {
  return {
    given: (events = []) => ({
      when: (command, context = {}) => outcome(decider, table, events, command, context),
    }),
  };
}

type Decided<E, S, R> = { readonly invalid: readonly ValidationIssue[] } | { readonly state: S; readonly decision: readonly E[] | Rejection<R> };

function outcome<C extends Message, E extends Message, S, R>(decider: Decider<C, E, S, R>, table: SchemaTable, given: readonly E[], command: C, context: TestContext): Outcome<E, S, R> {
  const what = `${decider.name} given ${given.length} event(s), when ${command.type}`;
  const decide = (): Decided<E, S, R> => {
    const parsed = validateCommand(table, command);
    if (!parsed.ok) return { invalid: parsed.issues };
    const state = given.reduce((s, e, i) => frozen(decider.evolve(s, frozen(valid(table, what, e, i)))), frozen(decider.initialState));
    const sent = frozen(parsed.value as C);
    return { state, decision: decider.decide(sent, state, testContext(decider.streamOf(sent), given.length, context)) };
  };
  return {
    then(expected) {
      if (typeof expected === "function") throw new TypeError(`${what}: a scenario is not a promise; call .then([…events]) without await`);
      const result = decide();
      if ("invalid" in result) throw invalidCommand(what, result.invalid);
      const { state, decision } = result;
      if (isRejection(decision)) {
        throw new AssertionError({ message: `${what}: expected events, but the command was rejected`, actual: decision, expected, operator: "deepStrictEqual" });
      }
      const events = decision.map((e) => valid(table, what, e));
      deepStrictEqual(events, expected);
      return events.reduce((s, e) => frozen(decider.evolve(s, frozen(e))), state);
    },
    thenRejects(...reason) {
      const result = decide();
      if ("invalid" in result) throw invalidCommand(what, result.invalid);
      const { decision } = result;
      if (!isRejection(decision)) {
        const expected = { rejected: true, reason: reason[0] };
        throw new AssertionError({ message: `${what}: expected a rejection, but the command was accepted`, actual: decision, expected, operator: "deepStrictEqual" });
      }
      if (reason.length > 0) deepStrictEqual(decision.reason, reason[0]);
    },
    thenInvalid(paths) {
      const result = validateCommand(table, command);
      if (result.ok) throw new AssertionError({ message: `${what}: expected the command to be invalid, but its schema accepts it` });
      if (paths === undefined) return;
      deepStrictEqual(
        result.issues.map((i) => formatPath(i.path)),
        [...paths],
      );
    },
  };
}

function testContext(stream: string, version: number, context: TestContext): DecideContext {
  const time = new Date(context.now ?? TEST_TIME);
  if (Number.isNaN(time.getTime())) throw new TypeError(`a scenario's time must be a date, not ${String(context.now)}`);
  const metadata = context.caller === undefined ? context.metadata : { ...context.metadata, [CALLER_KEY]: context.caller };
  const envelope = {
    messageId: context.commandId ?? "test-command",
    ...(context.correlationId !== undefined ? { correlationId: context.correlationId } : {}),
    ...(context.causationId !== undefined ? { causationId: context.causationId } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    payload: null,
  };
  const decided = decideContext(envelope, () => new Date(time), stream, version === 0 ? null : version - 1);
  return Object.freeze({ ...decided, metadata: frozen(decided.metadata) });
}

function invalidCommand(what: string, issues: readonly ValidationIssue[]): AssertionError {
  return new AssertionError({ message: `${what}: the command is invalid (its schema refuses it: ${describeIssues(issues)})` });
}

/** The event as its current schema parses it (as the runtime stores it), or an assertion error. */
function valid<E extends Message>(table: SchemaTable, what: string, event: E, given?: number): E {
  const result = validateEvent(table, event);
  if (result.ok) return result.value as E;
  const issue = result.issues[0];
  const at = issue === undefined ? "" : formatPath(issue.path);
  const which = given === undefined ? "decided" : `was given (event ${given + 1})`;
  throw new AssertionError({ message: `${what}: ${which} an ${event.type} that its schema refuses at "${at}": ${issue?.message ?? "invalid"}`, actual: event });
}
