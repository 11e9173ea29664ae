/**
 * An application: one model's aggregates, services and projections wired to a store and a bus.
 * The generator emits a typed `createApp` per model that fills an `AppModel` and calls this.
 */
import { randomUUID } from "node:crypto";
import type { Bus } from "../bus/types.js";
import { openBus } from "../bus/open-bus.js";
import { openStore } from "../engine/open-store.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import type { CommandEnvelope, CommandOutcome } from "../pipeline/command-types.js";
import { handleCommand, type HandleCommandOptions } from "../pipeline/handle-command.js";
import { runService, type ServiceHandler } from "../pipeline/run-service.js";
import type { Projection } from "../projection/projection.js";
import { ProjectionRunner, type ProjectionRunnerOptions } from "../projection/projection-runner.js";
import { startRelay, type Relay } from "../relay/relay.js";
import type { EventStore } from "../store/event-store.js";
import type { Decider, EventCodec, Metadata } from "../types.js";

type AnyMessage = { readonly type: string };

/** Where a command type goes: the one aggregate or service that handles it. */
export type Route<E extends AnyMessage> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own command and state types
  | { readonly kind: "aggregate"; readonly decider: Decider<any, E, any, any> }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own command type
  | { readonly kind: "service"; readonly service: ServiceHandler<any, E, any> };

/** What a generated model gives the runtime. */
export interface AppModel<E extends AnyMessage> {
  readonly codec: EventCodec<E>;
  /** Command type → handler. */
  readonly routes: Readonly<Record<string, Route<E>>>;
  readonly projections: readonly Projection<E, unknown>[];
}

/** Where the application keeps its events and where it publishes them. */
export interface AppOptions {
  /** A store, or its URL (`sqlite:<file>`, `memory:`, `postgres://…`); default `EDA_STORE`, else `sqlite:./eda.db`. */
  readonly store?: EventStore | string;
  /** A bus, or its URL (`memory:`, `amqp://…`); default `EDA_BUS`, else `memory:`. */
  readonly bus?: Bus | string;
  readonly observability?: Observability;
  readonly commands?: HandleCommandOptions;
  readonly projections?: ProjectionRunnerOptions;
  /** Makes command ids for `send` calls that give none (default `crypto.randomUUID`). */
  readonly newId?: () => string;
}

/** Optional envelope fields of a command sent through the app. */
export interface SendOptions {
  /** The idempotency key: the same id sent twice is handled once (default: a new id). */
  readonly commandId?: string;
  /** Ties the command to a conversation (default: the command id). */
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Metadata;
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
  /** Handles a command through its aggregate or service; rejections are outcomes, not errors. */
  send(command: AnyMessage & { readonly data?: unknown }, options?: SendOptions): Promise<CommandOutcome>;
  /** The runner of a projection, by name. */
  projection<Row = unknown>(name: string): ProjectionRunner<E, Row>;
  /** Brings every projection up to the store's head. */
  catchUp(): Promise<void>;
  /** Starts the background work: the outbox relay and the projections' loops. */
  start(): void;
  /** Stops the background work and closes what the app opened. */
  close(): Promise<void>;
}

/** Opens the store and bus (by URL or as given) and wires the model to them. */
export async function createApp<E extends AnyMessage>(model: AppModel<E>, options: AppOptions = {}): Promise<App<E>> {
  const ownsStore = typeof options.store !== "object";
  const store = typeof options.store === "object" ? options.store : await openStore(options.store);
  let bus: Bus;
  try {
    bus = typeof options.bus === "object" ? options.bus : await openBus(options.bus);
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  return new RunningApp(model, store, bus, options, ownsStore, typeof options.bus !== "object");
}

class RunningApp<E extends AnyMessage> implements App<E> {
  private readonly runners = new Map<string, ProjectionRunner<E, unknown>>();
  private readonly abort = new AbortController();
  private relay: Relay | undefined;
  private loops: Promise<void>[] = [];
  private readonly observability: Observability;

  constructor(
    private readonly model: AppModel<E>,
    readonly store: EventStore,
    readonly bus: Bus,
    private readonly options: AppOptions,
    private readonly ownsStore: boolean,
    private readonly ownsBus: boolean,
  ) {
    this.observability = options.observability ?? silentObservability;
    for (const p of model.projections) {
      const runnerOptions: ProjectionRunnerOptions = {
        ...options.projections,
        onBatch: (report) => {
          options.projections?.onBatch?.(report);
          void this.reportLag(report.projection);
        },
      };
      this.runners.set(p.name, new ProjectionRunner(store, model.codec, p, runnerOptions));
    }
  }

  async send(command: AnyMessage & { readonly data?: unknown }, options: SendOptions = {}): Promise<CommandOutcome> {
    const route = this.model.routes[command.type];
    if (!route) throw new UnknownCommandError(command.type);
    const envelope: CommandEnvelope<AnyMessage> = {
      messageId: options.commandId ?? (this.options.newId ?? randomUUID)(),
      ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
      ...(options.causationId !== undefined ? { causationId: options.causationId } : {}),
      ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
      payload: command,
    };
    const outcome =
      route.kind === "aggregate"
        ? await handleCommand(this.store, route.decider, this.model.codec, envelope, this.options.commands)
        : await runService(this.store, route.service, this.model.codec, envelope);
    this.relay?.notify();
    return outcome;
  }

  projection<Row = unknown>(name: string): ProjectionRunner<E, Row> {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`the model has no projection named "${name}"`);
    return runner as ProjectionRunner<E, Row>;
  }

  async catchUp(): Promise<void> {
    for (const runner of this.runners.values()) await runner.catchUp();
  }

  start(): void {
    if (this.relay) return;
    this.relay = startRelay(this.store.outbox, this.bus, { observability: this.observability });
    this.loops = [...this.runners.values()].map((r) => r.run(this.abort.signal));
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.relay?.stop();
    await Promise.allSettled(this.loops);
    if (this.ownsBus) await this.bus.close();
    if (this.ownsStore) await this.store.close();
  }

  private async reportLag(name: string): Promise<void> {
    try {
      const lag = await this.runners.get(name)?.lag();
      if (lag) this.observability.metrics.projectionLag({ projection: lag.projection, events: lag.eventsBehind, seconds: lag.secondsBehind });
    } catch {
      // Lag is a metric; failing to read it must not disturb the projection.
    }
  }
}
