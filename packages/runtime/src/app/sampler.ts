/**
 * The app's metric sampling: projection lag, dead-letter depths and parked counts read on a
 * timer, not only when something moves — a stuck projection's lag must keep growing on the
 * dashboard, and a gauge must fall back once parked events are retried. Every read is best
 * effort: a store or broker that is away is tried again at the next sample.
 */
import type { Bus } from "../bus/types.js";
import type { Metrics } from "../observability/metrics.js";
import type { EventStore } from "../store/event-store.js";
import { listParked } from "./parked.js";

/** A projection runner, as far as its lag goes. */
export interface LagSource {
  lag(): Promise<{ readonly projection: string; readonly eventsBehind: number; readonly secondsBehind: number }>;
}

/** What a sample reads. */
export interface SampledParts {
  readonly metrics: Metrics;
  readonly store: EventStore;
  readonly bus: Bus;
  /** Every runner that may park (`projection:<name>`, `workflow:<name>`, `relay`): reported 0 when it holds none. */
  readonly runners: () => readonly string[];
  readonly projections: () => readonly LagSource[];
  readonly consumers: () => readonly string[];
}

/** Samples now and every `everyMs`; returns the function that stops it. */
export function startSampler(parts: SampledParts, everyMs: number): () => void {
  const sample = async (): Promise<void> => {
    for (const p of parts.projections()) await reportLag(parts.metrics, p);
    await reportParked(parts);
    for (const consumer of parts.consumers()) {
      try {
        parts.metrics.deadLetterDepth({ consumer, depth: await parts.bus.deadLetterDepth(consumer) });
      } catch {
        // A broker that is away: the connection gauge says so.
      }
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Reports one projection's lag. */
export async function reportLag(metrics: Metrics, runner: LagSource): Promise<void> {
  try {
    const lag = await runner.lag();
    metrics.projectionLag({ projection: lag.projection, events: lag.eventsBehind, seconds: lag.secondsBehind });
  } catch {
    // Lag is a metric; failing to read it must not disturb the projection.
  }
}

async function reportParked(parts: SampledParts): Promise<void> {
  try {
    const counts = new Map<string, number>(parts.runners().map((r) => [r, 0]));
    for (const p of await listParked(parts.store)) counts.set(p.runner, (counts.get(p.runner) ?? 0) + 1);
    for (const [runner, count] of counts) parts.metrics.parkedCount({ runner, count });
  } catch {
    // A store that is away.
  }
}
