/**
 * An application: one model's aggregates, services, projections and workflows wired to a store
 * and a bus. The generator emits a typed `createApp` per model that fills an `AppModel` and
 * calls this. Commands from `send`, from orchestrators and from choreography rules all take the
 * same idempotent command path (`handleCommand` / `runService`), which parses every command and
 * every produced event by its schema. The background work (relay, projections, orchestrators)
 * never takes the process down: events it cannot read are parked (or stop one projection), and
 * a database or broker that goes away is waited for.
 */
import { randomUUID } from "node:crypto";
import type { Bus } from "../bus/types.js";
import { openBus } from "../bus/open-bus.js";
import { openStore } from "../engine/open-store.js";
import { noopMetrics, teeMetrics } from "../observability/metrics.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import type { PrometheusEndpoint } from "../observability/prometheus.js";
import type { CommandEnvelope, CommandOutcome } from "../pipeline/command-types.js";
import { CALLER_KEY } from "../pipeline/context.js";
import { handleCommand } from "../pipeline/handle-command.js";
import { runService } from "../pipeline/run-service.js";
import type { ParkedEvent, RetryReport } from "../parking/parked.js";
import { ProjectionRunner, type ProjectionRunnerOptions } from "../projection/projection-runner.js";
import { relayBatch, startRelay, type Relay, type RelayOptions } from "../relay/relay.js";
import type { EventStore } from "../store/event-store.js";
import { isEncryptedStore, withEncryption } from "../crypto/app-encryption.js";
import type { EventCodec, StoredEvent } from "../types.js";
import { startChoreography, type RunningChoreography } from "../workflow/choreography.js";
import { commandRouter, type CommandRoutes, type CommandSender, type Message } from "../workflow/definition.js";
import { workflowCheckpointName } from "../workflow/intake.js";
import { createOrchestrator, type Orchestrator } from "../workflow/orchestrator.js";
import { addReports, listParked, RELAY_RUNNER, relayParking, retryRelayParked } from "./parked.js";
import { reportLag, startSampler } from "./sampler.js";
import { Yielder } from "./yielder.js";
import { checkRetention, startRetention } from "./retention.js";
import { leaseFactory, type Lease } from "./lease.js";
import { auditedCodec, auditFromEnv, auditProjectionRead, auditStreamLoad, createAuditor, type Auditor } from "../audit/audit.js";
import { UnknownCommandError, type AnyMessage, type App, type AppModel, type AppOptions, type ProjectionReadOptions, type SendOptions } from "./app-types.js";

// The contract is public as it was before it moved to app-types.ts.
export { UnknownCommandError, type App, type AppModel, type AppOptions, type AppWorkflows, type ProjectionReadOptions, type Route, type SendOptions } from "./app-types.js";

/** Opens the store and bus (by URL or as given) and wires the model to them. */
export async function createApp<E extends AnyMessage>(model: AppModel<E>, options: AppOptions = {}): Promise<App<E>> {
  if (options.sampleEveryMs !== undefined && !(Number.isFinite(options.sampleEveryMs) && options.sampleEveryMs > 0)) {
    throw new RangeError(`sampleEveryMs must be a positive number of milliseconds, not ${options.sampleEveryMs}`);
  }
  const audit = createAuditor(options.audit ?? auditFromEnv(), options.clock, model.contexts);
  checkRetention(options.retention);
  const endpoint = options.metricsEndpoint === undefined ? undefined : await (await import("../observability/prometheus.js")).startPrometheusEndpoint(options.metricsEndpoint);
  // The logs of an app redact (and mask in errors) by the model's own codec unless given another.
  const given = options.observability === undefined ? silentObservability : { ...options.observability, codec: options.observability.codec ?? (model.codec as EventCodec) };
  const observability = endpoint === undefined ? given : { ...given, metrics: teeMetrics(given.metrics, endpoint.metrics) };
  const ownsStore = typeof options.store !== "object";
  let store: EventStore | undefined;
  let bus: Bus;
  try {
    store = typeof options.store === "object" ? options.store : await openStore(options.store);
    store = withEncryption(store, model.codec, options.encryption);
    bus = typeof options.bus === "object" ? options.bus : await openBus(options.bus, { logger: observability.logger, metrics: observability.metrics });
  } catch (error) {
    if (ownsStore) await store?.close();
    await endpoint?.close();
    throw error;
  }
  const app = new RunningApp(model, store, bus, { ...options, observability }, ownsStore, typeof options.bus !== "object", audit, endpoint);
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

class RunningApp<E extends AnyMessage> implements App<E> {
  private readonly runners = new Map<string, ProjectionRunner<E, unknown>>();
  private readonly orchestrators = new Map<string, Orchestrator<Message, Message>>();
  private readonly choreographies = new Map<string, RunningChoreography>();
  private readonly sender: CommandSender<Message>;
  private readonly abort = new AbortController();
  private relay: Relay | undefined;
  private loops: Promise<void>[] = [];
  private readonly observability: Observability;
  private readonly yielder = new Yielder();
  private readonly refusals = new Map<number, number>();
  private stopSampling: () => void = () => undefined;
  private stopRetention: () => Promise<void> = async () => undefined;
  readonly metricsUrl: string | undefined;
  private readonly lease: ((name: string) => Lease) | undefined;

  constructor(
    private readonly model: AppModel<E>,
    readonly store: EventStore,
    readonly bus: Bus,
    private readonly options: AppOptions,
    private readonly ownsStore: boolean,
    private readonly ownsBus: boolean,
    private readonly audit: Auditor | undefined,
    private readonly endpoint?: PrometheusEndpoint,
  ) {
    this.metricsUrl = endpoint?.url;
    this.observability = options.observability ?? silentObservability;
    const leases = options.leases ?? (store.engine === "postgres" ? {} : false);
    this.lease = leases === false ? undefined : leaseFactory(store, leases);
    for (const p of model.projections) {
      const runnerOptions: ProjectionRunnerOptions = {
        observability: this.observability,
        ...options.projections,
        ...(this.lease ? { lease: this.lease(`projection:${p.name}`) } : {}),
        onBatch: (report) => {
          options.projections?.onBatch?.(report);
          const runner = this.runners.get(report.projection);
          if (runner !== undefined) void reportLag(this.observability.metrics, runner);
        },
      };
      this.runners.set(p.name, new ProjectionRunner(store, auditedCodec(model.codec, this.audit, `projection:${p.name}`), p, runnerOptions));
    }
    // Every command type the model routes goes through the app's one command path.
    const routes = Object.fromEntries(Object.keys(model.routes).map((type) => [type, (envelope: CommandEnvelope<Message>) => this.handle(envelope)]));
    this.sender = commandRouter(routes as CommandRoutes<Message>);
    for (const w of model.workflows?.orchestrated ?? []) {
      if (this.orchestrators.has(w.name)) throw new Error(`two orchestrated workflows are named "${w.name}"`);
      const lease = this.lease ? { lease: this.lease(workflowCheckpointName(w.name)) } : {};
      const deserialize = this.auditedDeserialize(`orchestrator:${w.name}`);
      const orchestratorOptions = { observability: this.observability, redactor: model.codec, ...options.orchestrators, ...lease, store, send: this.sender, deserialize };
      this.orchestrators.set(w.name, createOrchestrator<Message, Message, string, string>(w, orchestratorOptions));
    }
  }

  /**
   * Creates the orchestrators' tables and checkpoints before any command flows (a coordinator
   * that has never run starts at the store's head) and subscribes the choreographies.
   */
  async init(): Promise<void> {
    for (const o of this.orchestrators.values()) await o.init();
    for (const w of this.model.workflows?.choreographed ?? []) {
      if (this.choreographies.has(w.name)) throw new Error(`two choreographed workflows are named "${w.name}"`);
      const running = await startChoreography<Message, Message>(this.bus, w, {
        ...this.options.choreographies,
        send: this.sender,
        deserialize: this.auditedDeserialize(`choreography:${w.name}`),
        ...(isEncryptedStore(this.store) ? { decrypt: this.store.decryptEnvelope } : {}),
        redactor: this.model.codec,
        ...(this.options.choreographies?.observability === undefined ? { observability: this.observability } : {}),
      });
      this.choreographies.set(w.name, running);
    }
  }

  private auditedDeserialize(via: string): (stored: StoredEvent) => Message {
    const codec = auditedCodec(this.model.codec, this.audit, via);
    return (stored) => codec.deserialize(stored) as unknown as Message;
  }

  async send(command: AnyMessage & { readonly data?: unknown }, options: SendOptions = {}): Promise<CommandOutcome> {
    if (!Object.hasOwn(this.model.routes, command.type)) throw new UnknownCommandError(command.type);
    const { expectedVersion, caller } = options;
    if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
      throw new RangeError(`expectedVersion must be a whole number of events (0 or more), not ${String(expectedVersion)}`);
    }
    const metadata = caller === undefined ? options.metadata : { ...options.metadata, [CALLER_KEY]: caller };
    return this.handle({
      messageId: options.commandId ?? (this.options.newId ?? randomUUID)(),
      ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
      ...(options.causationId !== undefined ? { causationId: options.causationId } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      payload: command,
    });
  }

  /** The command path of `send`, the orchestrators and the choreographies: idempotent by command id. */
  private async handle(envelope: CommandEnvelope<AnyMessage>): Promise<CommandOutcome> {
    await this.yielder.maybeYield();
    const route = Object.hasOwn(this.model.routes, envelope.payload.type) ? this.model.routes[envelope.payload.type] : undefined;
    if (!route) throw new UnknownCommandError(envelope.payload.type);
    const options = this.options.clock === undefined ? this.options.commands : { clock: this.options.clock, ...this.options.commands };
    const outcome =
      route.kind === "aggregate"
        ? await handleCommand(this.store, route.decider, this.model.codec, envelope, options)
        : await runService(this.store, route.service, this.model.codec, envelope, options);
    this.relay?.notify();
    if (this.audit !== undefined && outcome.status !== "invalid") auditStreamLoad(this.audit, envelope, outcome.stream);
    return outcome;
  }

  projection<Row = unknown>(name: string, options: ProjectionReadOptions = {}): ProjectionRunner<E, Row> {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`the model has no projection named "${name}"`);
    if (this.audit !== undefined) auditProjectionRead(this.audit, name, options);
    return runner as ProjectionRunner<E, Row>;
  }

  async catchUp(): Promise<void> {
    for (const runner of this.runners.values()) await runner.catchUp();
  }

  orchestrator(name: string): Orchestrator<Message, Message> {
    const orchestrator = this.orchestrators.get(name);
    if (!orchestrator) throw new Error(`the model has no orchestrated workflow named "${name}"`);
    return orchestrator;
  }

  choreography(name: string): RunningChoreography {
    const choreography = this.choreographies.get(name);
    if (!choreography) throw new Error(`the model has no choreographed workflow named "${name}"`);
    return choreography;
  }

  async tick(now?: Date): Promise<number> {
    let moved = 0;
    for (const o of this.orchestrators.values()) moved += await o.tick(now);
    return moved;
  }

  async settle(options: { readonly maxRounds?: number } = {}): Promise<void> {
    const maxRounds = options.maxRounds ?? 1_000;
    for (let round = 0; round < maxRounds; round++) {
      const head = await this.store.headPosition();
      await this.publish();
      // The in-memory bus delivers on a later turn of the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const c of this.choreographies.values()) await c.idle();
      await this.catchUp();
      let moved = 0;
      for (const o of this.orchestrators.values()) moved += (await o.catchUp()) + (await o.dispatch());
      const unsent = (await this.store.outbox.fetchUnsent(1)).length;
      if (moved === 0 && unsent === 0 && (await this.store.headPosition()) === head) return;
    }
    throw new Error(`the app did not settle within ${maxRounds} rounds`);
  }

  /** Publishes the outbox: through the relay once started (one relay per outbox), else here. */
  private async publish(): Promise<void> {
    if (this.relay) {
      this.relay.notify();
      await this.relay.drained();
      return;
    }
    while ((await relayBatch(this.store.outbox, this.bus, this.relayOptions())) > 0);
  }

  private relayOptions(): RelayOptions {
    return { observability: this.observability, park: relayParking(this.store), refusals: this.refusals };
  }

  async parked(runner?: string): Promise<ParkedEvent[]> {
    return listParked(this.store, runner);
  }

  async retryParked(runner?: string): Promise<RetryReport> {
    let report: RetryReport = { retried: 0, stillParked: 0 };
    for (const r of this.runners.values()) if (runner === undefined || runner === r.runner) report = addReports(report, await r.retryParked());
    for (const o of this.orchestrators.values()) {
      if (runner === undefined || runner === workflowCheckpointName(o.name)) report = addReports(report, await o.retryParked());
    }
    if (runner === undefined || runner === RELAY_RUNNER) report = addReports(report, await retryRelayParked(this.store, this.bus));
    // A choreography's consumers park on their dead-letter queues: replayed to their queues.
    for (const c of [...this.choreographies.values()].flatMap((w) => w.consumers)) {
      if (runner === undefined || runner === `consumer:${c.name}`) report = addReports(report, { retried: await this.bus.replayDeadLetters(c.name), stillParked: 0 });
    }
    return report;
  }

  start(): void {
    if (this.relay) return;
    // Appends of other instances wake the relay (PostgreSQL's NOTIFY), instead of a poll.
    const store = this.store;
    const wakeUps = store.engine === "postgres" ? { head: () => store.headPosition(), wait: (after: number, signal: AbortSignal) => store.waitForEvents(after, signal) } : undefined;
    this.relay = startRelay(store.outbox, this.bus, { ...this.relayOptions(), ...(this.lease ? { lease: this.lease(RELAY_RUNNER) } : {}), ...(wakeUps ? { wakeUps } : {}) });
    const loops = [...[...this.runners.values()].map((r) => r.run(this.abort.signal)), ...[...this.orchestrators.values()].map((o) => o.run(this.abort.signal))];
    // The loops never reject; should one ever, it is logged here rather than left unhandled.
    this.loops = loops.map((loop) => loop.catch((error: unknown) => this.reportLoopFailure(error)));
    if (this.observability.metrics !== noopMetrics) this.startSampling();
    if (this.options.retention !== false) this.stopRetention = startRetention(this.store, this.observability.logger, this.options.retention ?? {});
  }

  /** Lag, dead-letter depths and parked counts are sampled, not only reported on progress. */
  private startSampling(): void {
    this.stopSampling = startSampler(
      {
        metrics: this.observability.metrics,
        store: this.store,
        bus: this.bus,
        runners: () => [...[...this.runners.values()].map((r) => r.runner), ...[...this.orchestrators.keys()].map(workflowCheckpointName), RELAY_RUNNER],
        projections: () => [...this.runners.values()],
        consumers: () => [...this.choreographies.values()].flatMap((w) => w.consumers.map((c) => c.name)),
      },
      this.options.sampleEveryMs ?? 5_000,
    );
  }

  private reportLoopFailure(error: unknown): void {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    this.observability.logger.log({ level: "error", event: "runner-error", time: new Date().toISOString(), message: `a background loop ended: ${message}`, error: { message, stack: stack ?? null } });
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.stopSampling();
    await this.stopRetention();
    await this.relay?.stop();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.choreographies.values()].map((c) => c.close()));
    if (this.ownsBus) await this.bus.close();
    if (this.ownsStore) await this.store.close();
    await this.endpoint?.close();
  }
}
