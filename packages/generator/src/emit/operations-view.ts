/**
 * The operations view of a model: the names the runtime labels its metrics with (projections by
 * qualified name, orchestrated workflows by name, a choreography rule's consumer as
 * `<workflow>.<rule>`) and the alert thresholds of each, from `eda.config.json`'s `operations`
 * key over the defaults.
 */
import type { OperationsNames } from "../lower/gen-model.js";

/** Thresholds of one consumer (a choreography rule). */
export interface ConsumerThresholds {
  /** p95 consumption lag, seconds, above which `EdaConsumptionLagOverSla` fires. */
  readonly lagSeconds?: number | undefined;
  /** Failed attempts / (consumed + failed) above which `EdaConsumerErrorRate` fires. */
  readonly errorRatio?: number | undefined;
  /** Dead-letter depth above which `EdaDeadLetterQueueAccumulating` fires. */
  readonly deadLetterDepth?: number | undefined;
}

/** The `operations` key of `eda.config.json`: defaults for all, and per projection, consumer, workflow. */
export interface OperationsConfig extends ConsumerThresholds {
  /** How long a condition must hold before the alert fires (Prometheus duration, default `5m`). */
  readonly for?: string | undefined;
  /** The rate window of the rules (default `5m`). */
  readonly window?: string | undefined;
  /** Projection lag in seconds (age of the oldest unapplied event) above which `EdaProjectionLagOverSla` fires. */
  readonly projectionLagSeconds?: number | undefined;
  /** `EdaPublishRateAnomaly` fires when the publish rate falls below this share of the rate an hour before (default 0.5). */
  readonly publishRateDropRatio?: number | undefined;
  /** Timed-out runs per window above which `EdaWorkflowTimeouts` fires (default 0). */
  readonly workflowTimeouts?: number | undefined;
  readonly projections?: Readonly<Record<string, { readonly lagSeconds?: number | undefined }>> | undefined;
  readonly consumers?: Readonly<Record<string, ConsumerThresholds>> | undefined;
  readonly workflows?: Readonly<Record<string, { readonly timeouts?: number | undefined }>> | undefined;
}

/** The defaults: an SLA of a minute, 5 % failed attempts, any dead letter, any timeout. */
export const OPERATIONS_DEFAULTS = {
  for: "5m",
  window: "5m",
  lagSeconds: 60,
  errorRatio: 0.05,
  deadLetterDepth: 0,
  projectionLagSeconds: 60,
  publishRateDropRatio: 0.5,
  workflowTimeouts: 0,
} as const;

/** Everything the alert rules and the dashboard are made from. */
export interface OperationsView {
  readonly for: string;
  readonly window: string;
  readonly publishRateDropRatio: number;
  readonly projections: readonly { readonly name: string; readonly lagSeconds: number }[];
  readonly consumers: readonly { readonly name: string; readonly lagSeconds: number; readonly errorRatio: number; readonly deadLetterDepth: number }[];
  readonly workflows: readonly { readonly name: string; readonly timeouts: number }[];
  /** The orchestrated workflows that compensate (a run may end with a compensation refused). */
  readonly compensating: readonly string[];
}

/** The view of the model's operations names (from the GenModel) under the config. */
export function operationsView(names: OperationsNames, config: OperationsConfig = {}): OperationsView {
  const d = OPERATIONS_DEFAULTS;
  return {
    for: config.for ?? d.for,
    window: config.window ?? d.window,
    publishRateDropRatio: config.publishRateDropRatio ?? d.publishRateDropRatio,
    projections: names.projections.map((name) => ({ name, lagSeconds: config.projections?.[name]?.lagSeconds ?? config.projectionLagSeconds ?? d.projectionLagSeconds })),
    consumers: names.consumers.map((name) => {
      const own = config.consumers?.[name];
      return {
        name,
        lagSeconds: own?.lagSeconds ?? config.lagSeconds ?? d.lagSeconds,
        errorRatio: own?.errorRatio ?? config.errorRatio ?? d.errorRatio,
        deadLetterDepth: own?.deadLetterDepth ?? config.deadLetterDepth ?? d.deadLetterDepth,
      };
    }),
    workflows: names.workflows.map((name) => ({ name, timeouts: config.workflows?.[name]?.timeouts ?? config.workflowTimeouts ?? d.workflowTimeouts })),
    compensating: names.compensating,
  };
}

/** A PromQL string literal (label values). */
export function promString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
