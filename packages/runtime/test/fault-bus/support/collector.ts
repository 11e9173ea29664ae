/** An idempotent consumer that keeps what it handled and counts every delivery. */
import type { Bus } from "../../../src/bus/types.js";
import { startConsumer, type RunningConsumer } from "../../../src/consumer/consumer.js";
import { memoryProcessedMessages } from "../../../src/consumer/processed-messages.js";
import { MetricsRecorder } from "../../../src/observability/metrics.js";
import { createObservability } from "../../../src/observability/observability.js";
import type { StoredEvent } from "../../../src/types.js";

/** What a collector saw. */
export interface Collected {
  readonly consumer: RunningConsumer;
  /** Envelopes whose handler ran (duplicates skipped). */
  readonly handled: StoredEvent[];
  readonly metrics: MetricsRecorder;
  /** Deliveries, duplicates included. */
  deliveries(): number;
}

/** Subscribes an idempotent consumer `name` to every type. */
export async function collect(bus: Bus, name: string): Promise<Collected> {
  const handled: StoredEvent[] = [];
  const metrics = new MetricsRecorder();
  const consumer = await startConsumer(bus, {
    name,
    processed: memoryProcessedMessages(),
    observability: createObservability({ metrics }),
    retry: { maxRetries: 0 },
    handle: async (envelope) => void handled.push(envelope),
  });
  return { consumer, handled, metrics, deliveries: () => metrics.consumedSamples.length };
}

/** The stream positions handled for `stream`, in handling order. */
export function positionsOf(handled: readonly StoredEvent[], stream: string): number[] {
  return handled.filter((e) => e.stream === stream).map((e) => e.position);
}
