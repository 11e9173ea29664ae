/**
 * The contract of an application: what a generated model gives the runtime (`AppModel`), the
 * options of `createApp`, and the `App` it returns. `app.ts` wires and runs it.
 */
import type { Bus } from "../bus/types.js";
import type { Observability } from "../observability/observability.js";
import type { PrometheusEndpointOptions } from "../observability/prometheus.js";
import type { CommandOutcome } from "../pipeline/command-types.js";
import type { Clock } from "../pipeline/context.js";
import type { HandleCommandOptions } from "../pipeline/handle-command.js";
import type { ServiceHandler } from "../pipeline/run-service.js";
import type { ParkedEvent, RetryReport } from "../parking/parked.js";
import type { Projection } from "../projection/projection.js";
import type { ProjectionRunner, ProjectionRunnerOptions } from "../projection/projection-runner.js";
import type { EventStore } from "../store/event-store.js";
import type { AppEncryption } from "../crypto/app-encryption.js";
import type { Decider, EventCodec, Metadata } from "../types.js";
import type { ChoreographyOptions, RunningChoreography } from "../workflow/choreography.js";
import type { ChoreographedWorkflow, Message, OrchestratedWorkflow } from "../workflow/definition.js";
import type { Orchestrator, OrchestratorOptions } from "../workflow/orchestrator.js";
import type { RetentionOptions } from "./retention.js";
import type { LeaseOptions } from "./lease.js";
import type { AuditOptions } from "../audit/audit.js";

/** A message as the app routes it: anything with a `type`. */
export type AnyMessage = { readonly type: string };

/** Where a command type goes: the one aggregate or service that handles it. */
export type Route<E extends AnyMessage> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own command and state types
  | { readonly kind: "aggregate"; readonly decider: Decider<any, E, any, any> }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own command type
  | { readonly kind: "service"; readonly service: ServiceHandler<any, E, any> };

/** The workflows of a model: definitions the generated `workflows.ts` modules export. */
export interface AppWorkflows {
  /** Run as coordinators on the app's store. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each workflow has its own event, command, start and step types
  readonly orchestrated?: readonly OrchestratedWorkflow<any, any, any, any>[];
  /** Subscribed on the app's bus, one consumer per rule. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each workflow has its own event and command types
  readonly choreographed?: readonly ChoreographedWorkflow<any, any>[];
}

/** What a generated model gives the runtime. */
export interface AppModel<E extends AnyMessage> {
  readonly codec: EventCodec<E>;
  /** Command type → handler. */
  readonly routes: Readonly<Record<string, Route<E>>>;
  readonly projections: readonly Projection<E, unknown>[];
  readonly workflows?: AppWorkflows;
  /** The context of each message type and projection name, for the audit's per-context switch. */
  readonly contexts?: Readonly<Record<string, string>>;
}

/** Where the application keeps its events and where it publishes them. */
export interface AppOptions {
  /** A store, or its URL (`sqlite:<file>`, `memory:`, `postgres://…`); default `EDA_STORE`, else `sqlite:./eda.db`. */
  readonly store?: EventStore | string;
  /** Crypto-shredding of `@pii(subject)` fields (on by default when the model has any; SECURITY.md). */
  readonly encryption?: AppEncryption;
  /** A bus, or its URL (`memory:`, `amqp://…`); default `EDA_BUS`, else `memory:`. */
  readonly bus?: Bus | string;
  readonly observability?: Observability;
  /**
   * Serves the metrics at `http://host:port/metrics` for Prometheus (needs the optional peers
   * `@opentelemetry/sdk-metrics` and `@opentelemetry/exporter-prometheus`); `app.metricsUrl` tells where.
   */
  readonly metricsEndpoint?: PrometheusEndpointOptions;
  /** With metrics on: how often projection lag and dead-letter depths are sampled (default 5000 ms), so they stay current while nothing moves. */
  readonly sampleEveryMs?: number;
  /** The command path: size bounds (`maxCommandBytes`, `maxEventBytes`), retries. */
  readonly commands?: HandleCommandOptions;
  /** The clock handlers read through `context.now()` (default: the system clock; a fixed one in tests). */
  readonly clock?: Clock;
  /** Every projection's runner: batch size, pacing, `onPoison` (default `"stop"`). */
  readonly projections?: ProjectionRunnerOptions;
  /** Makes command ids for `send` calls that give none (default `crypto.randomUUID`). */
  readonly newId?: () => string;
  /** Options of every orchestrator, `onPoison` (default `"park"`) among them (the app supplies the store, the sender and the codec). */
  readonly orchestrators?: Omit<OrchestratorOptions<Message>, "store" | "send" | "deserialize">;
  /** Options of every choreography's consumers (the app supplies the sender and the codec). */
  readonly choreographies?: Omit<ChoreographyOptions<Message>, "send" | "deserialize">;
  /**
   * Several instances of the app on one store: each projection, each orchestrator and the relay
   * run in one instance at a time, under a lease (`ttlMs`, default 10 s, bounds a takeover).
   * Default: on for PostgreSQL, off for the other engines; `false` turns them off.
   */
  readonly leases?: LeaseOptions | false;
  /**
   * The access audit (off by default): each stream the command path loads, each event a
   * projection, orchestrator or choreography consumes and each `projection(name, { caller })`
   * read becomes a record (who, what, when, correlation id) in the sink; `true` for every context.
   * Unset: `EDA_AUDIT` decides (`all`, context names, `off`); `false`: off whatever it says.
   */
  readonly audit?: AuditOptions;
  /** Processed-message ids are pruned every hour to a 30-day window (README "Retention"); `false` keeps them for ever. */
  readonly retention?: RetentionOptions | false;
}

/** Optional envelope fields of a command sent through the app. */
export interface SendOptions {
  /** The idempotency key: the same id sent twice is handled once (default: a new id). */
  readonly commandId?: string;
  /** Ties the command to a conversation (default: the command id). */
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Metadata;
  /** Who sends the command (a user, a service): handlers read it as `context.caller`; it travels in the metadata. */
  readonly caller?: string;
  /**
   * The version (number of events) the command's stream must have: otherwise the outcome is
   * `conflict` (with the actual version) and nothing is stored. For the check-then-act of a
   * client that read the state at that version.
   */
  readonly expectedVersion?: number;
}

/** Who reads a projection through `app.projection` (recorded with the access audit on). */
export interface ProjectionReadOptions {
  readonly caller?: string;
  readonly correlationId?: string;
}

/** Thrown by `send` for a command type no aggregate or service of the model handles. */
export class UnknownCommandError extends Error {
  override readonly name = "UnknownCommandError";
  constructor(readonly commandType: string) {
    super(`no aggregate or service handles the command "${commandType}"`);
  }
}

/** A running application. */
export interface App<E extends AnyMessage> {
  readonly store: EventStore;
  readonly bus: Bus;
  /** Where the metrics are served, with `metricsEndpoint`. */
  readonly metricsUrl: string | undefined;
  /**
   * Handles a command through its aggregate or service. A command its schema refuses comes back
   * `invalid` (with the issues), a refused one `rejected`, and one whose stream is not at
   * `options.expectedVersion` `conflict`: outcomes, not errors; nothing is stored for an invalid
   * or a conflicting one. Throws `InvalidEventError` when a handler produced an event its
   * schema refuses (nothing stored), and for failures of the store that outlast the retries.
   */
  send(command: AnyMessage & { readonly data?: unknown }, options?: SendOptions): Promise<CommandOutcome>;
  /** The runner of a projection, by name; with auditing on, `caller` is recorded as the reader. */
  projection<Row = unknown>(name: string, options?: ProjectionReadOptions): ProjectionRunner<E, Row>;
  /** Brings every projection up to the store's head. */
  catchUp(): Promise<void>;
  /** The coordinator of an orchestrated workflow, by name. */
  orchestrator(name: string): Orchestrator<Message, Message>;
  /** The consumers of a choreographed workflow, by name. */
  choreography(name: string): RunningChoreography;
  /** Fires the orchestrators' deadlines due at `now` (retries, timeouts); resolves with the transitions made. */
  tick(now?: Date): Promise<number>;
  /**
   * Waits until the system is quiet: the outbox published, the choreographies' consumers idle,
   * the projections and orchestrators caught up and every queued workflow command sent — round
   * after round until one changes nothing. Deadlines are not fired (see `tick`). Exact on the
   * in-memory bus; on a broker it cannot see messages the broker has not delivered yet.
   */
  settle(options?: { readonly maxRounds?: number }): Promise<void>;
  /**
   * Every parked event: what projections and workflows could not read or apply, what the bus
   * refused (runner `relay`); of one runner (`projection:<name>`, `workflow:<name>`, `relay`) or of all.
   */
  parked(runner?: string): Promise<ParkedEvent[]>;
  /**
   * Tries parked events again, once the model or the code is fixed: of one runner, or of all.
   * Runner `consumer:<name>` replays a choreography consumer's dead-letter queue.
   */
  retryParked(runner?: string): Promise<RetryReport>;
  /** Starts the background work: the outbox relay, the projections' loops and the orchestrators' `run`. */
  start(): void;
  /** Stops the background work and closes what the app opened. */
  close(): Promise<void>;
}
