/**
 * Opens the bus a URL names: `memory:` (the embedded default), `amqp://…` / `amqps://…`
 * (RabbitMQ) or `nats://…` (NATS JetStream), from code or from `EDA_BUS`. A bad URL throws `EngineUrlError`; a broker that
 * cannot be reached or refuses the login throws `BusUnavailableError` naming the URL (with its
 * password masked) — at start, never later: after the first connection, losses are retried.
 */
import { importDrivers, type ModuleImporter } from "../engine/missing-driver.js";
import { EngineUrlError, readEngineUrl, type EngineEnv } from "../engine/store-url.js";
import type { Logger, SystemLogRecord } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { describeError } from "../observability/logger.js";
import type { BackoffOptions } from "./backoff.js";
import { createMemoryBus } from "./memory-bus.js";
import type { ConnectionEvent } from "./connection-event.js";
import { openNatsFromUrl, type NatsOpenOptions } from "./nats/open-nats.js";
import { BusUnavailableError, type Bus } from "./types.js";
import { redactUrl } from "./url.js";
import { parseBrokerUrl } from "./broker-url.js";
import type { QueueDeclared, QueueType } from "./rabbit/queues.js";

/** The bus URL used when neither code nor `EDA_BUS` names one. */
export const DEFAULT_BUS_URL = "memory:";

/** The bus URL schemes `openBus` accepts, for messages. */
export const BUS_SCHEMES = ["memory:", "amqp://…", "amqps://…", "nats://…"] as const;

/** Options of `openBus`; the broker ones are ignored by the memory bus. */
export interface OpenBusOptions extends NatsOpenOptions {
  /** Where to read `EDA_BUS` from (default `process.env`). */
  readonly env?: EngineEnv;
  /** RabbitMQ: the topic exchange (default `eda.events`). */
  readonly exchange?: string;
  /** RabbitMQ: the type of new queues, `classic` or `quorum` (the URL's `queue-type` parameter wins). */
  readonly queueType?: QueueType;
  /** Back-off between reconnect attempts (default 100 ms doubling to 5 s). */
  readonly reconnect?: BackoffOptions;
  /** Timeout of the first connection attempt (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Shown in RabbitMQ's connection list. */
  readonly connectionName?: string;
  /** Receives connection-lost and reconnect records. */
  readonly logger?: Logger;
  /** Receives the connection state (`brokerConnection`): up once connected, down when lost, up again on reconnecting. */
  readonly metrics?: Metrics;
  /** Loads the driver packages (tests hide one with it); default Node's `import()`. */
  readonly importer?: ModuleImporter;
}

/** The package an `amqp://` bus needs, as users install it. */
export const RABBIT_PACKAGE = "amqplib";

/** Opens a bus by URL: `url`, else `EDA_BUS`, else `memory:`. */
export async function openBus(url?: string, options: OpenBusOptions = {}): Promise<Bus> {
  const chosen = readEngineUrl(url, "EDA_BUS", DEFAULT_BUS_URL, options.env).trim();
  if (chosen === "memory:" || chosen === "memory://") return createMemoryBus();
  const report = (shown: string, event: ConnectionEvent): void => {
    options.logger?.log(connectionRecord(shown, event));
    if (event.kind !== "reconnect-failed") options.metrics?.brokerConnection({ url: shown, up: event.kind === "reconnected" });
  };
  // The same masked URL as the connection events' (openNatsFromUrl has parsed it already).
  if (/^nats:\/\//i.test(chosen)) return connected(await openNatsFromUrl(chosen, options, report), parseBrokerUrl(chosen).shown, options.metrics);
  if (!/^amqps?:\/\//.test(chosen)) throw new EngineUrlError("bus", redactUrl(chosen), BUS_SCHEMES);
  let shown: string;
  try {
    shown = parseBrokerUrl(chosen).shown;
  } catch (error) {
    throw new EngineUrlError("bus", redactUrl(chosen), BUS_SCHEMES, `not a valid AMQP URL: ${(error as Error).message}`);
  }
  // amqplib is an optional peer dependency: imported only here, and named when it is missing.
  await importDrivers("the RabbitMQ bus (amqp://…)", [RABBIT_PACKAGE], options.importer);
  const { openRabbitBus } = await import("./rabbit/rabbit-bus.js");
  try {
    const bus = await openRabbitBus(chosen, {
      ...(options.exchange === undefined ? {} : { exchange: options.exchange }),
      ...(options.queueType === undefined ? {} : { queueType: options.queueType }),
      onQueueTypeKept: (kept) => options.logger?.log(queueTypeKept(shown, kept)),
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      onEvent: (event) => report(shown, event),
    });
    return connected(bus, shown, options.metrics);
  } catch (error) {
    throw new BusUnavailableError(shown, reasonOf(error), { cause: error });
  }
}

function connected(bus: Bus, shown: string, metrics: Metrics | undefined): Bus {
  metrics?.brokerConnection({ url: shown, up: true });
  return bus;
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED") return `nothing listens there (${message}); is RabbitMQ running?`;
  if (/ACCESS_REFUSED|403/.test(message)) return `the broker refused the login (${message}); check the user and password`;
  if (/ConnectionOpenOk|NOT_ALLOWED/.test(message)) {
    return `the broker closed the connection on open: the virtual host does not exist or the user may not use it (${message})`;
  }
  if (/Frame size|frame|Unexpected/i.test(message)) return `the server there does not speak AMQP 0-9-1 (${message})`;
  return message === "" ? String(code ?? "unknown error") : message;
}

function connectionRecord(url: string, event: ConnectionEvent): SystemLogRecord {
  const time = new Date().toISOString();
  switch (event.kind) {
    case "lost":
      return {
        level: "warn",
        event: "bus-connection-lost",
        time,
        url,
        message: `lost the connection to ${url}; reconnecting`,
        ...(event.error === null ? {} : { error: describeError(event.error) }),
      };
    case "reconnected":
      return {
        level: "info",
        event: "bus-reconnected",
        time,
        url,
        attempt: event.attempt,
        message: `reconnected to ${url}${event.address === undefined ? "" : ` (through ${event.address})`}`,
      };
    case "reconnect-failed":
      return {
        level: "warn",
        event: "bus-reconnect-failed",
        time,
        url,
        attempt: event.attempt,
        message: `could not reconnect to ${url} yet`,
        error: describeError(event.error),
      };
  }
}

function queueTypeKept(url: string, kept: QueueDeclared): SystemLogRecord {
  return {
    level: "warn",
    event: "bus-queue-type-kept",
    time: new Date().toISOString(),
    url,
    message:
      `the queue ${kept.queue} exists as a ${kept.actual} queue and stays one (new queues are ${kept.wanted} queues; ` +
      `a queue's type cannot change in place: drain and delete it, or move its messages, to recreate it)`,
  };
}
