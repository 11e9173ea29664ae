/**
 * Choreographed workflows: per rule, an idempotent consumer on the bus (the runtime's retry and
 * dead-letter policy) that turns its event into a command and sends it through the
 * `CommandSender`. The command id is derived from the rule and the event id, so a redelivered
 * event sends the same command id and the command pipeline appends nothing the second time;
 * the consumer's processed-message record only saves that round trip.
 */
import type { Bus } from "../bus/types.js";
import { describeIssues, type ValidationIssue } from "../codec/issues.js";
import { maskedError, personalValuesOf, type Redactor } from "../codec/personal-values.js";
import type { Sleep } from "../bus/backoff.js";
import { startConsumer, type RetryPolicy, type RunningConsumer } from "../consumer/consumer.js";
import { memoryProcessedMessages, type ProcessedMessages } from "../consumer/processed-messages.js";
import { CALLER_KEY, ON_BEHALF_OF_KEY, originOf, workflowPrincipal } from "../pipeline/context.js";
import type { Observability } from "../observability/observability.js";
import type { StoredEvent } from "../types.js";
import type { ChoreographedWorkflow, ChoreographyRule, CommandMeta, CommandSender, Message } from "./definition.js";
import { commandIds } from "./instance.js";
import { validateChoreography } from "./validate.js";

/** A command a rule sent that the domain refused: an answer, not a failure (the event is not retried). */
export interface RuleRejection {
  readonly workflow: string;
  readonly rule: string;
  readonly event: StoredEvent;
  readonly commandId: string;
  readonly reason: unknown;
}

/**
 * A rule built a command its schema refuses: a bug in the rule (or its hooks). Sending it again
 * cannot help, so the event is parked on the rule's dead-letter queue at once.
 */
export class InvalidRuleCommandError extends Error {
  override readonly name = "InvalidRuleCommandError";
  readonly permanent = true;
  constructor(
    readonly workflow: string,
    readonly rule: string,
    readonly commandType: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`rule ${workflow}.${rule} built a ${commandType} that its schema refuses: ${describeIssues(issues)}`);
  }
}

/** Options of `startChoreography`. */
export interface ChoreographyOptions<C extends Message> {
  /** Reads a delivered event as its current version (the generated codec's `deserialize`). */
  readonly deserialize: (stored: StoredEvent) => Message;
  /** Decrypts a delivered event's `@pii(subject)` fields first (an encrypted store's `decryptEnvelope`). */
  readonly decrypt?: (stored: StoredEvent) => Promise<StoredEvent>;
  /**
   * The model's codec, whose redaction finds the delivered event's `@pii` values (once decrypted):
   * a rule that throws has them masked in its error before the consumer logs, traces or dead-letters it.
   */
  readonly redactor?: Redactor;
  readonly send: CommandSender<C>;
  /**
   * Where each rule's consumer records what it handled (default: in memory). Do not pass
   * `storeProcessedMessages(store)` of the store the sender appends to: its transaction holds
   * the SQLite and in-memory stores while the handler runs, and the sender's append would wait for it.
   */
  readonly processed?: ProcessedMessages<unknown>;
  readonly retry?: Partial<RetryPolicy>;
  readonly prefetch?: number;
  readonly observability?: Observability;
  readonly onRejected?: (rejection: RuleRejection) => void;
  /** For tests: waits between attempts. */
  readonly sleep?: Sleep;
}

/** The running consumers of a choreography. */
export interface RunningChoreography {
  readonly consumers: readonly RunningConsumer[];
  /** Resolves once every delivered message has been handled, parked or returned. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The consumer (and queue) name of a rule: `<workflow>.<rule>`. */
export function ruleConsumerName(workflow: string, rule: string): string {
  return `${workflow}.${rule}`;
}

/** Subscribes one consumer per rule of `workflow`. */
export async function startChoreography<E extends Message, C extends Message>(
  bus: Bus,
  workflow: ChoreographedWorkflow<E, C>,
  options: ChoreographyOptions<C>,
): Promise<RunningChoreography> {
  const rules = workflow.rules as readonly ChoreographyRule<Message, C>[];
  validateChoreography(workflow.name, rules);
  const consumers: RunningConsumer[] = [];
  try {
    for (const rule of rules) consumers.push(await startRule(bus, workflow.name, rule, options));
  } catch (error) {
    await Promise.all(consumers.map((c) => c.close()));
    throw error;
  }
  return {
    consumers,
    idle: async () => void (await Promise.all(consumers.map((c) => c.idle()))),
    close: async () => void (await Promise.all(consumers.map((c) => c.close()))),
  };
}

function startRule<C extends Message>(
  bus: Bus,
  workflow: string,
  rule: ChoreographyRule<Message, C>,
  options: ChoreographyOptions<C>,
): Promise<RunningConsumer> {
  const handleRule = async (envelope: StoredEvent, opened: StoredEvent): Promise<void> => {
    const event = options.deserialize(opened);
    const command = rule.send(event.data, envelope);
    const meta: CommandMeta = {
      messageId: commandIds.rule(workflow, rule.name, envelope.messageId),
      correlationId: envelope.correlationId,
      causationId: envelope.messageId,
      metadata: { workflow, rule: rule.name, [CALLER_KEY]: workflowPrincipal(workflow), ...onBehalfOf(envelope.metadata) },
    };
    const outcome = await options.send(command, meta);
    if (outcome.status === "invalid") throw new InvalidRuleCommandError(workflow, rule.name, outcome.commandType, outcome.issues);
    if (outcome.status === "rejected") {
      options.onRejected?.({ workflow, rule: rule.name, event: envelope, commandId: meta.messageId, reason: outcome.reason });
    }
  };
  return startConsumer<unknown>(bus, {
    name: ruleConsumerName(workflow, rule.name),
    types: [rule.on],
    processed: options.processed ?? (memoryProcessedMessages() as ProcessedMessages<unknown>),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.prefetch === undefined ? {} : { prefetch: options.prefetch }),
    ...(options.observability === undefined ? {} : { observability: options.observability }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    handle: async (envelope) => {
      const opened = options.decrypt === undefined ? envelope : await options.decrypt(envelope);
      try {
        await handleRule(envelope, opened);
      } catch (error) {
        throw maskedError(error, personalValuesOf(options.redactor, opened));
      }
    },
  });
}

/** The `onBehalfOf` entry of a rule's command: whom the triggering event was caused by, if it says. */
function onBehalfOf(metadata: StoredEvent["metadata"] | undefined): Record<string, string> {
  const origin = originOf(metadata);
  return origin === null ? {} : { [ON_BEHALF_OF_KEY]: origin };
}
