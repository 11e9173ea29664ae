/**
 * The orchestrator of one saga: reads its events from the store's log (intake.ts), moves the
 * instances (machine.ts), sends the commands they queue (dispatcher.ts) and fires deadlines
 * (`tick`). Everything it knows lives in the store's database, so a restarted coordinator
 * resumes where the last one stopped. What it reports goes through reporter.ts. See WORKFLOWS.md.
 */
import { backoffDelay, sleep as realSleep, type BackoffOptions, type Sleep } from "../bus/backoff.js";
import type { Redactor } from "../codec/personal-values.js";
import { silentObservability, type Observability } from "../observability/observability.js";
import type { ParkedEvent, PoisonPolicy, RetryReport } from "../parking/parked.js";
import type { EventStore } from "../store/event-store.js";
import type { StoredEvent } from "../types.js";
import type { CommandSender, Message, OrchestratedWorkflow } from "./definition.js";
import { Dispatcher, type ClaimOptions, type DispatchReport } from "./dispatcher.js";
import { commitTransition, EventIntake, type Notice } from "./intake.js";
import { commandIds, type WorkflowInstance } from "./instance.js";
import { onDeadline, type AnyOrchestratedWorkflow } from "./machine.js";
import type { InstanceClaim, QueuedCommand, StrayEvent, WorkflowTables } from "./records.js";
import { workflowTables } from "./tables.js";
import { validateOrchestrated } from "./validate.js";
import { WorkflowReporter, type WorkflowHooks, type WorkflowPhase } from "./reporter.js";
import { withTimeout, type Lease } from "../app/lease.js";

export type { TransitionRecord, WorkflowHooks } from "./reporter.js";

/** Options of an orchestrator. */
export interface OrchestratorOptions<C extends Message> {
  readonly store: EventStore;
  /** Reads a stored event as its current version (the generated codec's `deserialize`). */
  readonly deserialize: (stored: StoredEvent) => Message;
  readonly send: CommandSender<C>;
  /** The clock of transitions and deadlines (tests inject one). */
  readonly clock?: () => Date;
  /**
   * Where a coordinator that has never run starts reading: at the store's head (default — a
   * new workflow does not start runs for history) or at the first event.
   */
  readonly startAt?: "head" | "beginning";
  /** Events per intake batch and commands per dispatch read (default 100). */
  readonly batchSize?: number;
  /** `run`: how often deadlines are checked (default 1000 ms). */
  readonly tickIntervalMs?: number;
  /** `run`: how often the outbox is looked at when nothing woke the dispatcher (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** `run`: back-off after errors (default 100 ms doubling to 5 s). */
  readonly backoff?: BackoffOptions;
  readonly hooks?: WorkflowHooks;
  readonly sleep?: Sleep;
  /**
   * An event of the workflow that cannot be read or correlated: `"park"` (default) records it
   * and goes on — the run it belonged to times out or compensates as the model says; `"stop"`
   * applies nothing after it until `retryParked`.
   */
  readonly onPoison?: PoisonPolicy;
  /** Logs and metrics of parked events. */
  readonly observability?: Observability;
  /**
   * The model's codec, whose redaction finds an event's `@pii` values: masked in the parked
   * record of an event `correlate` throws for, the stray of a command builder that throws, and
   * the `runner-error` log of a failed step (default: the observability's codec).
   */
  readonly redactor?: Redactor;
  /**
   * Several app instances on one store: `run` reads the workflow's events while it holds the lease
   * (one reader at a time), and sends the commands and fires the deadlines of the workflow
   * instances it claims one by one, under the lease's holder name and time to live (dispatcher.ts).
   */
  readonly lease?: Lease;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/** Drives one orchestrated workflow over one store. */
export class Orchestrator<E extends Message, C extends Message, S extends E["type"] = E["type"], N extends string = string> {
  readonly name: string;
  private readonly intake: EventIntake;
  private readonly dispatcher: Dispatcher;
  private readonly clock: () => Date;
  private readonly reporter: WorkflowReporter;
  private readonly claims: ClaimOptions | undefined;
  private ready: Promise<void> | undefined;
  private wake = new AbortController();
  private resume = new AbortController();

  constructor(
    private readonly def: OrchestratedWorkflow<E, C, S, N>,
    private readonly options: OrchestratorOptions<C>,
  ) {
    validateOrchestrated(def as AnyOrchestratedWorkflow);
    this.name = def.name;
    this.clock = options.clock ?? (() => new Date());
    this.reporter = new WorkflowReporter(def.name, options.hooks ?? {}, options.observability ?? silentObservability, this.clock);
    const batch = options.batchSize ?? 100;
    const any = def as AnyOrchestratedWorkflow;
    const redactor = options.redactor ?? options.observability?.codec ?? null;
    this.intake = new EventIntake(options.store, any, options.deserialize, this.clock, batch, options.onPoison ?? "park", redactor);
    const l = options.lease;
    this.claims = l === undefined ? undefined : { holder: l.holder, ttlMs: l.ttlMs, now: l.now };
    this.dispatcher = new Dispatcher(options.store, any, options.send as CommandSender<Message>, this.clock, batch, this.claims);
  }

  /** Creates the tables and the checkpoint if missing. Every other method calls it first. */
  init(): Promise<void> {
    this.ready ??= this.intake.init(this.options.startAt ?? "head").catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Applies every event appended since the checkpoint; resolves with the number of events read. */
  async catchUp(): Promise<number> {
    await this.init();
    let total = 0;
    for (;;) {
      const { read, notices } = await this.intake.step();
      this.reporter.notices(notices);
      if (read === 0) return total;
      total += read;
    }
  }

  /** Sends every pending command (and those their outcomes queue); resolves with how many were sent. */
  async dispatch(): Promise<number> {
    return (await this.dispatchPass()).sent;
  }

  /** Fires the deadlines due at `now` (retries and timeouts); resolves with the transitions made. */
  async tick(now: Date = this.clock()): Promise<number> {
    await this.init();
    const skipped = new Set<string>();
    let moved = 0;
    for (;;) {
      // Skipped instances stay due; read past them.
      const limit = 100 + skipped.size;
      const due = await this.options.store.transaction((tx) => workflowTables(tx).due(this.name, now.getTime(), limit));
      const todo = due.filter((c) => !skipped.has(c));
      if (todo.length === 0) return moved;
      for (const correlation of todo) {
        try {
          const notice = await this.fireDeadline(correlation, now);
          if (notice === null) {
            skipped.add(correlation);
          } else {
            moved += 1;
            this.reporter.notices([notice]);
          }
        } catch (error) {
          skipped.add(correlation);
          this.reporter.error(error, "tick");
        }
      }
    }
  }

  /**
   * Catches up and dispatches until neither has anything left: with a sender that handles
   * commands in this process, a whole run advances as far as events allow. For tests and demos.
   */
  async settle(maxRounds = 10_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const read = await this.catchUp();
      const sent = await this.dispatch();
      if (read === 0 && sent === 0) return;
    }
    throw new Error(`workflow ${this.name} did not settle within ${maxRounds} rounds`);
  }

  /**
   * Runs until `signal` aborts or the store closes: reads events as they are appended,
   * dispatches what they queue, and checks deadlines every `tickIntervalMs`. Errors — `init`'s
   * too, while the database is away — are reported to `hooks.onError` and retried with
   * back-off; `run` never rejects.
   */
  async run(signal?: AbortSignal): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    for (let failures = 1; !(await this.tryInit()); failures++) {
      if (signal?.aborted) return;
      await sleep(backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF), signal);
    }
    const stop = new AbortController();
    const stopped = anySignal(stop.signal, signal);
    await Promise.all([
      this.loop(stopped, "intake", this.options.lease, async () => {
        if ((await this.catchUp()) > 0) this.wake.abort();
        if (this.intake.halted) return sleep(2 ** 31 - 1, anySignal(this.resume.signal, stopped));
        // A lease holder wakes in time to renew it.
        const wait = this.options.lease === undefined ? stopped : withTimeout(stopped, this.options.lease.renewMs);
        const more = await this.options.store.waitForEvents(await this.intake.position(), wait);
        // `false` without an abort: the store closed under us, so nothing more can be done.
        if (!more && !wait.aborted) stop.abort();
      }),
      this.loop(stopped, "dispatch", undefined, async () => {
        const failures = (await this.dispatchPass()).failed;
        const wait = failures > 0 ? backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF) : (this.options.pollIntervalMs ?? 500);
        if (!this.wake.signal.aborted) await sleep(wait, anySignal(this.wake.signal, stopped));
        this.wake = new AbortController();
      }),
      this.loop(stopped, "tick", undefined, async () => {
        if ((await this.tick()) > 0) this.wake.abort();
        await sleep(this.options.tickIntervalMs ?? 1_000, stopped);
      }),
    ]);
    await this.options.lease?.release().catch(() => undefined);
    const claims = this.claims;
    if (claims !== undefined) await this.options.store.transaction((tx) => workflowTables(tx).releaseClaims(this.name, claims.holder)).catch(() => undefined);
  }

  /** Which app instance claims which workflow instance (expired claims included). */
  async instanceClaims(): Promise<InstanceClaim[]> {
    await this.init();
    return this.options.store.transaction((tx) => workflowTables(tx).claims(this.name));
  }

  /** One instance, or null. */
  async instance(correlation: string): Promise<WorkflowInstance<N> | null> {
    await this.init();
    return (await this.options.store.transaction((tx) => workflowTables(tx).load(this.name, correlation))) as WorkflowInstance<N> | null;
  }

  /** Every instance, by correlation. */
  async instances(): Promise<WorkflowInstance<N>[]> {
    await this.init();
    return (await this.options.store.transaction((tx) => workflowTables(tx).list(this.name))) as WorkflowInstance<N>[];
  }

  /** The commands queued (pending, dispatched or cancelled), of one instance or of all, in order. */
  async commands(correlation?: string): Promise<QueuedCommand[]> {
    await this.init();
    return this.options.store.transaction((tx) => workflowTables(tx).commands(this.name, correlation));
  }

  /** The events that moved no instance, oldest first. */
  async strays(): Promise<StrayEvent[]> {
    await this.init();
    return this.options.store.transaction((tx) => workflowTables(tx).strays(this.name));
  }

  private async dispatchPass(): Promise<DispatchReport> {
    await this.init();
    return this.dispatcher.pass({
      dispatched: (command, outcome, notice) => {
        this.reporter.dispatched(command, outcome, notice);
      },
      failed: (command, error) => this.reporter.error(error, "dispatch", command),
    });
  }

  private fireDeadline(correlation: string, now: Date): Promise<Notice | null> {
    return this.options.store.transaction(async (tx) => {
      const tables = workflowTables(tx);
      // An instance another app instance claims is left to it (the claim expires if it died); the
      // claim taken here passes the commands the deadline queues to this instance's dispatcher.
      const claims = this.claims;
      if (claims !== undefined && !(await tables.claimInstance(this.name, correlation, claims.holder, claims.now(), claims.now() + claims.ttlMs))) return null;
      const before = await tables.load(this.name, correlation);
      const transition = before === null ? null : onDeadline(this.def as AnyOrchestratedWorkflow, before, now, await undelivered(tables, before));
      if (transition === null) return null;
      const cause = { kind: "deadline", now: now.toISOString() } as const;
      return { kind: "transition", transition: await commitTransition(tables, transition, before, cause, now.toISOString()), before, cause };
    });
  }

  private async loop(signal: AbortSignal, phase: WorkflowPhase, lease: Lease | undefined, body: () => Promise<void>): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (lease !== undefined && !(await lease.ensure())) {
          await sleep(lease.renewMs, signal);
          continue;
        }
        await body();
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.reporter.retrying(error, phase, failures, delay);
        await sleep(delay, signal);
      }
    }
  }

  /** The events this workflow parked (or stopped at), oldest first. */
  async parked(): Promise<ParkedEvent[]> {
    await this.init();
    return this.intake.parked();
  }

  /** Tries the parked events again, once the model or the code is fixed; resolves with what went through. */
  async retryParked(): Promise<RetryReport> {
    await this.init();
    const { retried, stillParked, notices } = await this.intake.retryParked();
    this.reporter.notices(notices);
    this.resume.abort();
    this.resume = new AbortController();
    if (retried > 0) this.wake.abort();
    return { retried, stillParked };
  }

  private async tryInit(): Promise<boolean> {
    try {
      await this.init();
      return true;
    } catch (error) {
      this.reporter.error(error, "intake");
      return false;
    }
  }
}

/** Creates the orchestrator of `workflow`. */
export function createOrchestrator<E extends Message, C extends Message, S extends E["type"], N extends string>(
  workflow: OrchestratedWorkflow<E, C, S, N>,
  options: OrchestratorOptions<C>,
): Orchestrator<E, C, S, N> {
  return new Orchestrator(workflow, options);
}

/** Whether the run's current attempt has not reached its handler yet: queued, or its send threw or is in flight. */
async function undelivered(tables: WorkflowTables, instance: WorkflowInstance): Promise<boolean> {
  const { state } = instance;
  if (state.kind !== "awaiting" || instance.attempt === 0) return false;
  const command = await tables.command(commandIds.send(instance.workflow, instance.correlation, state.step, instance.attempt));
  return command !== null && (command.status === "pending" || command.status === "sending");
}

function anySignal(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b === undefined ? a : AbortSignal.any([a, b]);
}
