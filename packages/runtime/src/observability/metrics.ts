/**
 * Metric hooks: the runtime calls these at the points the field measures — publications,
 * consumption (with lag and duration), failures, dead-letter depth, projection lag, parked
 * events, workflow completion and broker connection state. `openTelemetryMetrics` bridges them to
 * an OpenTelemetry meter (and `startPrometheusEndpoint` to a `/metrics` page); others bridge to StatsD; rates are the
 * backend's job (a counter over time). The default does nothing; tests use the recorder.
 */

/** A message the bus confirmed. Publish rate = rate of this counter. */
export interface PublishedSample {
  readonly type: string;
  readonly stream: string;
}

/** A batch the bus did not accept (the relay will try again). */
export interface PublishFailedSample {
  readonly count: number;
  readonly error: unknown;
}

/** A message a consumer finished with (handled, or skipped as a duplicate). */
export interface ConsumedSample {
  readonly consumer: string;
  readonly type: string;
  /** Milliseconds from the event's `time` to the end of its handling. */
  readonly lagMs: number;
  /** Milliseconds the handler (all attempts) took. */
  readonly durationMs: number;
  readonly duplicate: boolean;
}

/** One failed handler attempt. Error rate = rate of this counter. */
export interface FailureSample {
  readonly consumer: string;
  readonly type: string;
  readonly attempt: number;
  /** True when no retry follows (the message is parked). */
  readonly final: boolean;
}

/** The depth of a consumer's dead-letter queue, observed after parking or replaying. */
export interface DeadLetterDepthSample {
  readonly consumer: string;
  readonly depth: number;
}

/** How far a projection is behind the store. */
export interface ProjectionLagSample {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
}

/** An event a runner parked (or stopped at), or that went through on a retry. */
export interface ParkedSample {
  /** `projection:<name>`, `workflow:<name>`, `relay`. */
  readonly runner: string;
  readonly type: string;
  readonly reason: "unreadable" | "handler-failed" | "refused";
  /** True when the runner stopped at the event (policy `"stop"`). */
  readonly blocking: boolean;
}

/** How many events a runner has parked now (kept current by the app's sampling; 0 once retried). */
export interface ParkedCountSample {
  readonly runner: string;
  readonly count: number;
}

/** An orchestrated run that ended. Completion time per workflow and outcome. */
export interface WorkflowCompletedSample {
  readonly workflow: string;
  /**
   * `timed_out` when the run's own deadline failed it; `compensation_rejected` when it failed and
   * the domain refused one of its compensations (whatever failed it: that step's effect stays).
   */
  readonly outcome: "completed" | "failed" | "timed_out" | "compensation_rejected";
  /** Seconds from the start event to the end. */
  readonly seconds: number;
}

/** An event an orchestrated workflow did not act on (a stray), by reason. */
export interface WorkflowStraySample {
  readonly workflow: string;
  /** The stray's reason (`step-succeeded-again`, `finished-instance`, …). */
  readonly reason: string;
}

/** A compensation the domain refused (during the run's compensation, or for a step's late success after it ended). */
export interface CompensationRejectedSample {
  readonly workflow: string;
  /** The step whose compensation was refused. */
  readonly step: string;
}

/** The state of the broker connection: up after connecting and reconnecting, down when lost. */
export interface BrokerConnectionSample {
  /** The broker's URL with its password masked. */
  readonly url: string;
  readonly up: boolean;
}

/** The metric hooks the runtime calls. Implementations must not throw. */
export interface Metrics {
  published(sample: PublishedSample): void;
  publishFailed(sample: PublishFailedSample): void;
  consumed(sample: ConsumedSample): void;
  failed(sample: FailureSample): void;
  deadLetterDepth(sample: DeadLetterDepthSample): void;
  projectionLag(sample: ProjectionLagSample): void;
  /** A runner parked an event it could not read or handle (or stopped at it). */
  parked(sample: ParkedSample): void;
  /** The events a runner holds parked now. */
  parkedCount(sample: ParkedCountSample): void;
  workflowCompleted(sample: WorkflowCompletedSample): void;
  /** An event a workflow did not act on. Optional: metrics written before it existed leave it out. */
  workflowStray?(sample: WorkflowStraySample): void;
  /** A compensation the domain refused. Optional, as `workflowStray`. */
  compensationRejected?(sample: CompensationRejectedSample): void;
  brokerConnection(sample: BrokerConnectionSample): void;
}

/** Metrics that go nowhere: the default. */
export const noopMetrics: Metrics = {
  published: () => undefined,
  publishFailed: () => undefined,
  consumed: () => undefined,
  failed: () => undefined,
  deadLetterDepth: () => undefined,
  projectionLag: () => undefined,
  parked: () => undefined,
  parkedCount: () => undefined,
  workflowCompleted: () => undefined,
  workflowStray: () => undefined,
  compensationRejected: () => undefined,
  brokerConnection: () => undefined,
};

/** Metrics that go to every one of `targets` (say, a recorder and a Prometheus endpoint). */
export function teeMetrics(...targets: readonly Metrics[]): Metrics {
  const each =
    <K extends keyof Metrics>(key: K) =>
    (sample: Parameters<NonNullable<Metrics[K]>>[0]) => {
      for (const t of targets) (t[key] as ((s: typeof sample) => void) | undefined)?.call(t, sample);
    };
  return {
    published: each("published"),
    publishFailed: each("publishFailed"),
    consumed: each("consumed"),
    failed: each("failed"),
    deadLetterDepth: each("deadLetterDepth"),
    projectionLag: each("projectionLag"),
    parked: each("parked"),
    parkedCount: each("parkedCount"),
    workflowCompleted: each("workflowCompleted"),
    workflowStray: each("workflowStray"),
    compensationRejected: each("compensationRejected"),
    brokerConnection: each("brokerConnection"),
  };
}

/** Metrics kept in memory, for tests and for a status page of the embedded runtime. */
export class MetricsRecorder implements Metrics {
  readonly publishedSamples: PublishedSample[] = [];
  readonly publishFailures: PublishFailedSample[] = [];
  readonly consumedSamples: ConsumedSample[] = [];
  readonly failures: FailureSample[] = [];
  /** The latest dead-letter depth per consumer. */
  readonly deadLetterDepths = new Map<string, number>();
  /** The latest lag per projection. */
  readonly projectionLags = new Map<string, ProjectionLagSample>();
  readonly parkedSamples: ParkedSample[] = [];
  readonly workflowsCompleted: WorkflowCompletedSample[] = [];
  readonly workflowStrays: WorkflowStraySample[] = [];
  readonly compensationsRejected: CompensationRejectedSample[] = [];
  /** The latest parked count per runner. */
  readonly parkedCounts = new Map<string, number>();
  /** The latest connection state per broker URL. */
  readonly brokerConnections = new Map<string, boolean>();

  published(sample: PublishedSample): void {
    this.publishedSamples.push(sample);
  }

  publishFailed(sample: PublishFailedSample): void {
    this.publishFailures.push(sample);
  }

  consumed(sample: ConsumedSample): void {
    this.consumedSamples.push(sample);
  }

  failed(sample: FailureSample): void {
    this.failures.push(sample);
  }

  deadLetterDepth(sample: DeadLetterDepthSample): void {
    this.deadLetterDepths.set(sample.consumer, sample.depth);
  }

  projectionLag(sample: ProjectionLagSample): void {
    this.projectionLags.set(sample.projection, sample);
  }

  parked(sample: ParkedSample): void {
    this.parkedSamples.push(sample);
  }

  parkedCount(sample: ParkedCountSample): void {
    this.parkedCounts.set(sample.runner, sample.count);
  }

  workflowCompleted(sample: WorkflowCompletedSample): void {
    this.workflowsCompleted.push(sample);
  }

  workflowStray(sample: WorkflowStraySample): void {
    this.workflowStrays.push(sample);
  }

  compensationRejected(sample: CompensationRejectedSample): void {
    this.compensationsRejected.push(sample);
  }

  brokerConnection(sample: BrokerConnectionSample): void {
    this.brokerConnections.set(sample.url, sample.up);
  }
}
