/**
 * Tracing, with OpenTelemetry as an optional peer. The runtime starts a producer span per
 * publication and a consumer span per handled message, each with the correlation id as an
 * attribute, and carries the trace context in the message headers so a trace crosses
 * services. Without `@opentelemetry/api` installed, tracing is a no-op and costs nothing.
 */
import type { StoredEvent } from "../types.js";
import type { Headers } from "../bus/types.js";

/** A started span. */
export interface SpanHandle {
  /** Headers to send with the message: the given ones plus the trace context. */
  readonly headers: Headers;
  /** Runs `work` with this span as the active one (so spans it starts are its children). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Ends the span; an error marks it failed. */
  end(error?: unknown): void;
}

/** Starts the runtime's spans. */
export interface Tracing {
  /** A producer span for publishing `envelope`; its parent is the trace stored in `metadata.trace`, if any. */
  publish(envelope: StoredEvent, headers?: Headers): SpanHandle;
  /** A consumer span for handling `envelope`, a child of the trace context in `headers`. */
  consume(consumer: string, envelope: StoredEvent, headers: Headers): SpanHandle;
  /**
   * The active trace context as headers, for a command pipeline to store in an event's
   * `metadata.trace`, so that the relay's publish span joins the command's trace.
   */
  capture(): Headers;
}

/** Tracing that does nothing: the default, and what loading falls back to without the API. */
export const noopTracing: Tracing = {
  publish: (_envelope, headers = {}) => noopSpan(headers),
  consume: (_consumer, _envelope, headers) => noopSpan(headers),
  capture: () => ({}),
};

function noopSpan(headers: Headers): SpanHandle {
  return { headers, run: (work) => work(), end: () => undefined };
}

/** The key of an envelope's metadata under which a trace context may be stored. */
export const TRACE_METADATA_KEY = "trace";

/** The attributes every span carries. */
export function spanAttributes(envelope: StoredEvent): Record<string, string | number> {
  return {
    "eda.correlation_id": envelope.correlationId,
    "eda.causation_id": envelope.causationId ?? "",
    "eda.stream": envelope.stream,
    "eda.global_position": envelope.globalPosition,
    "messaging.message.id": envelope.messageId,
    "messaging.message.conversation_id": envelope.correlationId,
    "messaging.destination.name": envelope.type,
  };
}
