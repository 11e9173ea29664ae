/**
 * The metric hooks as OpenTelemetry instruments. Names and attributes follow OpenTelemetry's
 * messaging conventions where one exists (`messaging.client.sent.messages`,
 * `messaging.client.consumed.messages`, `messaging.process.duration`,
 * `messaging.destination.name`, `messaging.consumer.group.name`); the rest are `eda.*`.
 * Attributes are names from the model (event types, consumers, projections, workflows) and
 * outcomes — never a payload value, so `@pii` data cannot become a label.
 */
import type { Attributes, Meter } from "@opentelemetry/api";
import type { Metrics } from "./metrics.js";

/** The instrument names, as the Prometheus exporter shows them (dots become underscores). */
export const METRIC_NAMES = {
  published: "messaging.client.sent.messages",
  publishFailed: "eda.publish.failures",
  consumed: "messaging.client.consumed.messages",
  duration: "messaging.process.duration",
  lag: "eda.consumer.lag",
  failed: "eda.consumer.failures",
  deadLetterDepth: "eda.dlq.depth",
  projectionLagEvents: "eda.projection.lag.events",
  projectionLagSeconds: "eda.projection.lag.seconds",
  parked: "eda.parked.events",
  parkedCurrent: "eda.parked.current",
  workflowDuration: "eda.workflow.duration",
  workflowStrays: "eda.workflow.strays",
  compensationRejections: "eda.workflow.compensation.rejections",
  brokerUp: "eda.broker.connection.up",
} as const;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const WORKFLOW_SECONDS = [0.1, 1, 5, 30, 60, 300, 900, 3600, 21600, 86400];

/** Metrics recorded on `meter` (from a `MeterProvider` of `@opentelemetry/sdk-metrics`). */
export function openTelemetryMetrics(meter: Meter): Metrics {
  const sent = meter.createCounter(METRIC_NAMES.published, { description: "Events the bus confirmed, per event type", unit: "{message}" });
  const publishFailures = meter.createCounter(METRIC_NAMES.publishFailed, { description: "Events of batches the bus did not accept", unit: "{message}" });
  const consumed = meter.createCounter(METRIC_NAMES.consumed, { description: "Messages consumers finished with", unit: "{message}" });
  const seconds = (name: string, description: string, boundaries: number[]) =>
    meter.createHistogram(name, { description, unit: "s", advice: { explicitBucketBoundaries: boundaries } });
  const duration = seconds(METRIC_NAMES.duration, "Handler time per message (all attempts)", SECONDS);
  const lag = seconds(METRIC_NAMES.lag, "From the event's time to the end of its handling", SECONDS);
  const failures = meter.createCounter(METRIC_NAMES.failed, { description: "Failed handler attempts", unit: "{attempt}" });
  const depth = meter.createGauge(METRIC_NAMES.deadLetterDepth, { description: "Messages in a consumer's dead-letter queue", unit: "{message}" });
  const lagEvents = meter.createGauge(METRIC_NAMES.projectionLagEvents, { description: "Events a projection is behind the store", unit: "{event}" });
  const lagSeconds = meter.createGauge(METRIC_NAMES.projectionLagSeconds, { description: "Age of the oldest event a projection has not applied", unit: "s" });
  const parked = meter.createCounter(METRIC_NAMES.parked, { description: "Events a runner parked (poison) or stopped at", unit: "{event}" });
  const parkedNow = meter.createGauge(METRIC_NAMES.parkedCurrent, { description: "Events a runner holds parked now", unit: "{event}" });
  const workflow = seconds(METRIC_NAMES.workflowDuration, "Orchestrated run time from start to end", WORKFLOW_SECONDS);
  const strays = meter.createCounter(METRIC_NAMES.workflowStrays, { description: "Events an orchestrated workflow did not act on, by reason", unit: "{event}" });
  const refused = meter.createCounter(METRIC_NAMES.compensationRejections, { description: "Compensations the domain refused, by workflow and step", unit: "{command}" });
  const brokerUp = meter.createGauge(METRIC_NAMES.brokerUp, { description: "1 while the broker connection is up, 0 while lost" });
  return {
    published: (s) => sent.add(1, destination(s.type)),
    publishFailed: (s) => publishFailures.add(s.count),
    consumed(s) {
      const attributes = { ...destination(s.type), "messaging.consumer.group.name": s.consumer };
      consumed.add(1, { ...attributes, "eda.duplicate": s.duplicate });
      if (s.duplicate) return;
      duration.record(s.durationMs / 1000, attributes);
      lag.record(Math.max(0, s.lagMs) / 1000, attributes);
    },
    failed: (s) => failures.add(1, { ...destination(s.type), "messaging.consumer.group.name": s.consumer, "eda.final": s.final }),
    deadLetterDepth: (s) => depth.record(s.depth, { "messaging.consumer.group.name": s.consumer }),
    projectionLag(s) {
      lagEvents.record(s.events, { "eda.projection": s.projection });
      lagSeconds.record(s.seconds, { "eda.projection": s.projection });
    },
    parked: (s) => parked.add(1, { "eda.runner": s.runner, "eda.event.type": s.type, "eda.reason": s.reason, "eda.blocking": s.blocking }),
    parkedCount: (s) => parkedNow.record(s.count, { "eda.runner": s.runner }),
    workflowCompleted: (s) => workflow.record(s.seconds, { "eda.workflow": s.workflow, "eda.outcome": s.outcome }),
    workflowStray: (s) => strays.add(1, { "eda.workflow": s.workflow, "eda.reason": s.reason }),
    compensationRejected: (s) => refused.add(1, { "eda.workflow": s.workflow, "eda.step": s.step }),
    brokerConnection: (s) => brokerUp.record(s.up ? 1 : 0, { "server.address": s.url }),
  };
}

function destination(type: string): Attributes {
  return { "messaging.destination.name": type };
}
