/**
 * Authorization on NATS is the server's: each service logs in as a user of its own whose
 * permissions allow exactly the subjects its bus uses — publishing its own contexts' event types,
 * its own durable consumers (create, pull, acknowledge), parking on its own dead-letter subjects —
 * and replies on an inbox of its own. `natsPermissions` lists those subjects from the names the
 * bus gives them (`names.ts`), for the `permissions` of a user in the server's configuration;
 * the server then refuses anything else, whatever the client asks (SECURITY.md).
 */
import { busNames, DEFAULT_STREAM } from "./names.js";

/** What one service does on a NATS bus. */
export interface NatsServiceAccess {
  /** The bus's events stream (default `EDA_EVENTS`). */
  readonly stream?: string;
  /** The event types the service publishes: its own contexts' events. */
  readonly publishes: readonly string[];
  /**
   * The eda consumers it runs: a choreography's rules (`<Workflow>.<rule>`), the names given to
   * `startConsumer`.
   */
  readonly consumers: readonly string[];
  /**
   * The inbox prefix the service connects with (`inboxPrefix` of the bus; replies and pulled
   * messages arrive there). Without one of its own per user, a user allowed `_INBOX.>` could
   * read the messages pulled by every other user.
   */
  readonly inboxPrefix: string;
  /** Whether it may create the two streams when they are missing (default true; false when the operator makes them). */
  readonly createStreams?: boolean;
}

/** A user's `permissions` block for nats-server (JSON is valid in its configuration file). */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/** The subjects a service's bus needs, and nothing more. */
export function natsPermissions(access: NatsServiceAccess): NatsPermissions {
  const names = busNames(access.stream ?? DEFAULT_STREAM);
  const streams = [names.stream, names.deadLetterStream];
  const api = "$JS.API";
  const publish = [
    `${api}.INFO`,
    ...streams.map((s) => `${api}.STREAM.INFO.${s}`),
    ...(access.createStreams === false ? [] : streams.map((s) => `${api}.STREAM.CREATE.${s}`)),
    ...access.publishes.map((type) => names.eventSubject(type)),
    ...access.consumers.flatMap((consumer) => consumerSubjects(names.stream, names.durable(consumer), names.deadLetterSubject(consumer))),
  ];
  if (!/^[A-Za-z0-9_-]+$/.test(access.inboxPrefix)) throw new Error(`the inbox prefix ${JSON.stringify(access.inboxPrefix)} must be one subject token (letters, digits, "_", "-")`);
  return { publish: { allow: unique(publish) }, subscribe: { allow: [`${access.inboxPrefix}.>`] } };
}

/** Declaring, pulling from and acknowledging one durable consumer, and parking its messages. */
function consumerSubjects(stream: string, durable: string, deadLetters: string): string[] {
  const api = "$JS.API.CONSUMER";
  return [
    `${api}.INFO.${stream}.${durable}`,
    `${api}.CREATE.${stream}.${durable}`,
    `${api}.CREATE.${stream}.${durable}.>`,
    `${api}.DURABLE.CREATE.${stream}.${durable}`,
    `${api}.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
    deadLetters,
  ];
}

function unique(subjects: readonly string[]): string[] {
  return [...new Set(subjects)];
}
