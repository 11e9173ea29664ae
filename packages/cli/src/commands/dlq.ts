/**
 * `eda dlq list | show <consumer> | replay <consumer> | discard <consumer> [<message-id>]`
 * (`--bus URL`, `--config`, `--codec`,
 * `--format text|json`): the dead-letter queues of the model's choreography consumers on the
 * broker `--bus` or `EDA_BUS` names, through the project's own `@eda/runtime`. `list` gives each
 * consumer's depth; `show` the parked messages — id, type, version, stream, position,
 * correlation id, attempts, the error — never a payload (it may hold `@pii` data); `replay`
 * moves them back to the consumer's queue in their original order; `discard` drops one by its
 * message id (exit 1 when none has it) or, with `--all --yes`, all of them. The in-memory bus
 * lives inside the app's process and is refused. Exit 0; usage and I/O problems exit 2.
 */
import { CliError, EXIT } from "../errors.js";
import type { Terminal } from "../terminal.js";
import { printable } from "../printable.js";
import { loadOperatorProject, runtimeFunction, textTable, type OperatorOptions } from "./operator-project.js";

/** Options of the `eda dlq` commands. */
export interface DlqOptions extends Omit<OperatorOptions, "store"> {
  readonly bus?: string;
}

interface DeadLetter {
  readonly envelope: { readonly messageId: string; readonly type: string; readonly version: number; readonly stream: string; readonly position: number; readonly correlationId: string };
  readonly reason: { readonly message: string; readonly attempts: number; readonly lastFailureAt: string };
}

interface Bus {
  peekDeadLetters(consumer: string, limit?: number): Promise<DeadLetter[]>;
  deadLetterDepth(consumer: string): Promise<number>;
  replayDeadLetters(consumer: string): Promise<number>;
  discardDeadLetters(consumer: string, options?: { readonly messageId?: string }): Promise<number>;
  close(): Promise<void>;
}

async function withBus<T>(options: DlqOptions, term: Terminal, work: (bus: Bus, consumers: readonly string[]) => Promise<T>): Promise<T> {
  const project = await loadOperatorProject(options, term);
  const fromEnv = (options.env ?? process.env)["EDA_BUS"]?.trim();
  const url = options.bus ?? (fromEnv === "" ? undefined : fromEnv);
  if (url === undefined) throw new CliError("no bus: pass --bus URL or set EDA_BUS (amqp://… or nats://…)");
  if (/^memory:/i.test(url)) throw new CliError("the memory bus lives inside the app's process: its dead letters are there (app.retryParked)");
  let bus: Bus;
  try {
    bus = await runtimeFunction<(url: string) => Promise<Bus>>(project, "openBus")(url);
  } catch (error) {
    // The runtime's errors name the URL with its password masked.
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  try {
    return await work(bus, project.names.consumers);
  } finally {
    await bus.close();
  }
}

function known(consumer: string, consumers: readonly string[]): void {
  if (!consumers.includes(consumer)) throw new CliError(`the model has no consumer "${consumer}"; its consumers are ${consumers.map((c) => `"${c}"`).join(", ") || "none"}`);
}

export function runDlqList(options: DlqOptions, term: Terminal): Promise<number> {
  return withBus(options, term, async (bus, consumers) => {
    const rows: { consumer: string; depth: number }[] = [];
    for (const consumer of consumers) rows.push({ consumer, depth: await bus.deadLetterDepth(consumer) });
    term.out(options.format === "json" ? `${JSON.stringify(rows)}\n` : rows.length === 0 ? "the model has no consumers\n" : textTable(["consumer", "dead letters"], rows.map((r) => [r.consumer, String(r.depth)])));
    return EXIT.ok;
  });
}

/** Options of `eda dlq show`. */
export interface DlqShowOptions extends DlqOptions {
  /** How many dead letters to show, oldest first (default {@link SHOW_LIMIT}). */
  readonly limit?: number;
}

/**
 * Dead letters `show` prints by default: a queue of 100,000 would flood the terminal. (On RabbitMQ
 * the peek still takes every parked message, unacked, to return them in order; it decodes only these.)
 */
export const SHOW_LIMIT = 100;

/** Characters of an error `show` prints as text (the JSON output has it whole). */
const ERROR_CHARS = 2_000;

export function runDlqShow(consumer: string, options: DlqShowOptions, term: Terminal): Promise<number> {
  return withBus(options, term, async (bus, consumers) => {
    known(consumer, consumers);
    const limit = options.limit ?? SHOW_LIMIT;
    const letters = (await bus.peekDeadLetters(consumer, limit)).map(({ envelope: e, reason: r }) => ({
      messageId: e.messageId,
      type: e.type,
      version: e.version,
      stream: e.stream,
      position: e.position,
      correlationId: e.correlationId,
      attempts: r.attempts,
      lastFailureAt: r.lastFailureAt,
      error: r.message,
    }));
    // At the limit, the depth says how many more there are (they are not read).
    const more = letters.length < limit ? 0 : Math.max(0, (await bus.deadLetterDepth(consumer)) - letters.length);
    if (options.format === "json") term.out(`${JSON.stringify(letters)}\n`);
    else if (letters.length === 0) term.out(`no dead letters for ${consumer}\n`);
    else {
      const p = (text: unknown) => printable(String(text));
      term.out(letters.map((l) => `${p(l.messageId)} ${p(l.type)} v${p(l.version)} ${p(l.stream)} #${p(l.position)} (correlation ${p(l.correlationId)}): ${p(l.attempts)} attempts, last ${p(l.lastFailureAt)}\n  ${printable(String(l.error), { max: ERROR_CHARS })}\n`).join(""));
    }
    if (more > 0) term.err(`eda: ${more} more dead letter${more === 1 ? "" : "s"} of ${consumer} not shown (--limit ${limit}); replay or discard acts on all of them\n`);
    return EXIT.ok;
  });
}

export function runDlqReplay(consumer: string, options: DlqOptions, term: Terminal): Promise<number> {
  return withBus(options, term, async (bus, consumers) => {
    known(consumer, consumers);
    const replayed = await bus.replayDeadLetters(consumer);
    term.out(options.format === "json" ? `${JSON.stringify({ consumer, replayed })}\n` : `replayed ${replayed} message${replayed === 1 ? "" : "s"} to ${consumer}\n`);
    return EXIT.ok;
  });
}

/** What `eda dlq discard` drops: one message by id, or every parked one (confirmed). */
export interface DiscardOptions extends DlqOptions {
  readonly all?: boolean;
  readonly yes?: boolean;
}

export async function runDlqDiscard(consumer: string, messageId: string | undefined, options: DiscardOptions, term: Terminal): Promise<number> {
  if (messageId !== undefined && options.all === true) throw new CliError("give a message id or --all, not both");
  if (messageId === undefined && options.all !== true) throw new CliError("give the message id to discard (eda dlq show lists them), or --all --yes to discard every dead letter of the consumer");
  return withBus(options, term, async (bus, consumers) => {
    known(consumer, consumers);
    if (messageId === undefined && options.yes !== true) {
      const depth = await bus.deadLetterDepth(consumer);
      throw new CliError(`--all drops the ${depth} dead letter${depth === 1 ? "" : "s"} of ${consumer} for good: add --yes to confirm`);
    }
    const discarded = await bus.discardDeadLetters(consumer, messageId === undefined ? {} : { messageId });
    if (messageId !== undefined && discarded === 0) {
      term.err(`eda: no dead letter of ${consumer} has the message id ${JSON.stringify(messageId)}\n`);
      return EXIT.problems;
    }
    term.out(options.format === "json" ? `${JSON.stringify({ consumer, discarded })}\n` : `discarded ${discarded} message${discarded === 1 ? "" : "s"} of ${consumer}\n`);
    return EXIT.ok;
  });
}
