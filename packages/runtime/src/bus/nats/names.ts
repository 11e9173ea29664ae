/**
 * JetStream names of one bus. A bus is one stream of events (`<S>`, subjects `<S>.e.<type>`),
 * the dead-letter stream beside it (`<S>_DLQ`, subjects `<S>.dlq.<consumer>`), and a durable
 * consumer per eda consumer, named after it. Event types and consumer names become subject
 * tokens and consumer names through `encodeToken`, which keeps them readable when they are
 * plain words and is injective otherwise (durable names escape with `~`, never `%`).
 */

/** Stream names JetStream accepts and that stay one subject token. */
export const STREAM_NAME = /^[A-Za-z0-9_-]{1,200}$/;

/** The default stream of a bus (the analogue of RabbitMQ's `eda.events` exchange). */
export const DEFAULT_STREAM = "EDA_EVENTS";

/**
 * A subject token or consumer name for any string: letters, digits, `_` and `-` stay; every
 * other UTF-8 byte becomes `%XX` (`%` included, so the encoding is injective). Subjects forbid
 * `.`, `*`, `>` and whitespace in a token; consumer names forbid those and path separators.
 */
export function encodeToken(value: string, escape: "%" | "~" = "%"): string {
  if (value === "") return escape;
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(char) ? char : `${escape}${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The names one bus uses on the server. */
export interface BusNames {
  readonly stream: string;
  readonly deadLetterStream: string;
  /** Every event subject, the events stream's subject and each consumer's filter. */
  readonly eventFilter: string;
  readonly deadLetterFilter: string;
  eventSubject(type: string): string;
  deadLetterSubject(consumer: string): string;
  durable(consumer: string): string;
}

/** The names for stream `stream` (already checked against `STREAM_NAME`). */
export function busNames(stream: string): BusNames {
  return {
    stream,
    deadLetterStream: `${stream}_DLQ`,
    eventFilter: `${stream}.e.>`,
    deadLetterFilter: `${stream}.dlq.>`,
    eventSubject: (type) => `${stream}.e.${encodeToken(type)}`,
    deadLetterSubject: (consumer) => `${stream}.dlq.${encodeToken(consumer)}`,
    // The server formats each delivery's ack subject with the consumer name inside a printf
    // template: a `%` there garbles the subject and breaks the client's connection. Durable
    // names escape with `~` instead (injective the same way; plain names are unchanged).
    durable: (consumer) => encodeToken(consumer, "~"),
  };
}
