/**
 * `openBus` for `nats://[user:password@]host[:port][,host[:port]…][/STREAM]`: checks the URL,
 * loads the client packages only now, and turns a failed first connection into a
 * `BusUnavailableError` with the password masked. The path names the events stream, so that
 * each bounded context (or deployment) can have a stream of its own from `EDA_BUS` alone.
 */
import { EngineUrlError } from "../../engine/store-url.js";
import { MissingDriverError } from "../../engine/missing-driver.js";
import type { BackoffOptions } from "../backoff.js";
import { BrokerUrlError, parseBrokerUrl } from "../broker-url.js";
import type { ConnectionEvent } from "../connection-event.js";
import { BusUnavailableError, type Bus } from "../types.js";
import { redactUrl } from "../url.js";
import { DEFAULT_STREAM, STREAM_NAME } from "./names.js";
import type { NatsBusOptions } from "./nats-bus.js";
import type { TlsOptions } from "../../engine/tls.js";

/** The NATS options `openBus` passes on (see `NatsBusOptions`). */
export interface NatsOpenOptions {
  /** NATS: the events stream, when the URL names none (default `EDA_EVENTS`). */
  readonly stream?: string;
  /** NATS: how long the server waits for an ack before redelivering (default 30 s). */
  readonly ackWaitMs?: number;
  /** NATS: deliveries after which an unsettled message is parked (default 20). */
  readonly maxDeliveries?: number;
  /** NATS: replicas of new streams (default 1). */
  readonly replicas?: number;
  /** NATS: the deduplication window of new streams (default 2 min). */
  readonly duplicateWindowMs?: number;
  /** TLS beside the URL — `ca`, and `cert` + `key` for mutual TLS (PEM text); RabbitMQ: for `amqps://`. */
  readonly tls?: TlsOptions;
  /** NATS: the prefix of this connection's inboxes (default `_INBOX`; one per user: `natsPermissions`). */
  readonly inboxPrefix?: string;
}

/** The connection options every broker shares. */
interface CommonOptions extends NatsOpenOptions {
  readonly reconnect?: BackoffOptions;
  readonly connectTimeoutMs?: number;
  readonly connectionName?: string;
}

const SCHEMES = ["memory:", "amqp://…", "amqps://…", "nats://…"];

/** Opens a NATS JetStream bus from a `nats://` URL. */
export async function openNatsFromUrl(url: string, options: CommonOptions, onEvent: (shown: string, event: ConnectionEvent) => void): Promise<Bus> {
  let shown = redactUrl(url);
  let stream: string;
  try {
    const parsed = parseBrokerUrl(url);
    shown = parsed.shown;
    stream = parsed.path === "" ? (options.stream ?? DEFAULT_STREAM) : parsed.path;
  } catch (error) {
    throw new EngineUrlError("bus", shown, SCHEMES, error instanceof BrokerUrlError ? error.message : "not a valid NATS URL");
  }
  if (!STREAM_NAME.test(stream)) {
    throw new EngineUrlError("bus", shown, SCHEMES, `the stream name ${JSON.stringify(stream)} may hold only letters, digits, "_" and "-"`);
  }
  const { openNatsBus } = await import("./nats-bus.js");
  const pick = <K extends keyof NatsBusOptions>(key: K): Partial<NatsBusOptions> =>
    (options as NatsBusOptions)[key] === undefined ? {} : { [key]: (options as NatsBusOptions)[key] };
  try {
    return await openNatsBus(url, {
      ...pick("reconnect"),
      ...pick("connectTimeoutMs"),
      ...pick("connectionName"),
      ...pick("ackWaitMs"),
      ...pick("maxDeliveries"),
      ...pick("replicas"),
      ...pick("duplicateWindowMs"),
      ...pick("tls"),
      ...pick("inboxPrefix"),
      stream,
      onEvent: (event) => onEvent(shown, event),
    });
  } catch (error) {
    if (error instanceof MissingDriverError) throw error;
    throw new BusUnavailableError(shown, natsReason(error), { cause: error });
  }
}

function natsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED" || /ECONNREFUSED|connection refused/i.test(message)) return `nothing listens there (${message}); is the NATS server running?`;
  if (/authorization|authentication/i.test(message)) return `the server refused the login (${message}); check the user, password or token`;
  if (/certificate|self.signed|handshake|tls|ssl/i.test(message)) return `the TLS handshake failed (${message}); check the tls options' CA, client certificate and key`;
  if (/timeout/i.test(message)) return `no NATS server answered there in time (${message}); is the address that of a NATS server?`;
  if (/jetstream not enabled|JetStream not enabled|503/i.test(message)) return `JetStream is not enabled on that server (${message}); start nats-server with -js`;
  return message === "" ? String(code ?? "unknown error") : message;
}
