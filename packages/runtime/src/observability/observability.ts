/**
 * The observability bundle the relay and the consumers take: metric hooks, a logger, tracing
 * and the codec whose `redact` keeps `@pii` fields out of logs. Every part defaults to silent.
 */
import type { EventCodec } from "../types.js";
import { silentLogger, type Logger } from "./logger.js";
import { noopMetrics, type Metrics } from "./metrics.js";
import { noopTracing, type Tracing } from "./tracing.js";

/** Metrics, logs and traces for the runtime's moving parts. */
export interface Observability {
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly tracing: Tracing;
  /**
   * Redacts payloads for logs, and finds the `@pii` values masked in a logged error; without it,
   * logs carry no payload and errors are logged as thrown. `createApp` fills in the model's codec.
   */
  readonly codec: EventCodec | null;
}

/** Options of `createObservability`; each part defaults to a silent one. */
export interface ObservabilityOptions {
  readonly metrics?: Metrics;
  readonly logger?: Logger;
  readonly tracing?: Tracing;
  readonly codec?: EventCodec;
}

/** Builds an observability bundle. */
export function createObservability(options: ObservabilityOptions = {}): Observability {
  return {
    metrics: options.metrics ?? noopMetrics,
    logger: options.logger ?? silentLogger,
    tracing: options.tracing ?? noopTracing,
    codec: options.codec ?? null,
  };
}

/** No metrics, no logs, no traces. */
export const silentObservability: Observability = createObservability();
