/**
 * Tracing on top of `@opentelemetry/api`. Only loaded (dynamically) when the package is
 * present; the API is a no-op until the application registers an SDK, so this costs little
 * even then. Contexts are passed explicitly, so propagation works without a context manager.
 */
import type * as OtelApi from "@opentelemetry/api";
import { errorText } from "../codec/personal-values.js";
import type { StoredEvent } from "../types.js";
import type { Headers } from "../bus/types.js";
import { spanAttributes, TRACE_METADATA_KEY, type SpanHandle, type Tracing } from "./tracing.js";

type Api = typeof OtelApi;

/** Tracing backed by the given OpenTelemetry API module. */
export function openTelemetryTracing(module: unknown): Tracing {
  const api = apiOf(module);
  const tracer = api.trace.getTracer("@eda/runtime");
  return {
    publish(envelope, headers = {}) {
      const parent = api.propagation.extract(api.context.active(), storedTrace(envelope));
      const options = { kind: api.SpanKind.PRODUCER, attributes: spanAttributes(envelope) };
      return start(api, tracer.startSpan(`${envelope.type} publish`, options, parent), parent, headers);
    },
    consume(consumer, envelope, headers) {
      const parent = api.propagation.extract(api.context.active(), { ...headers });
      const attributes = { ...spanAttributes(envelope), "messaging.consumer.group.name": consumer };
      const options = { kind: api.SpanKind.CONSUMER, attributes };
      return start(api, tracer.startSpan(`${envelope.type} process`, options, parent), parent, headers);
    },
    capture() {
      const carrier: Record<string, string> = {};
      api.propagation.inject(api.context.active(), carrier);
      return carrier;
    },
  };
}

function start(api: Api, span: OtelApi.Span, parent: OtelApi.Context, headers: Headers): SpanHandle {
  const context = api.trace.setSpan(parent, span);
  const carrier: Record<string, string> = { ...headers };
  api.propagation.inject(context, carrier);
  return {
    headers: carrier,
    run: (work) => api.context.with(context, work),
    end(error) {
      if (error !== undefined) {
        // What the runtime passes here is already masked (consumer.ts); reading it must not throw.
        span.recordException(error instanceof Error ? error : errorText(error));
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorText(error) });
      }
      span.end();
    },
  };
}

/** The trace context a pipeline stored in the envelope's metadata, if any. */
function storedTrace(envelope: StoredEvent): Record<string, string> {
  const value = envelope.metadata[TRACE_METADATA_KEY];
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The module namespace may arrive as-is or wrapped as a CommonJS default export. */
function apiOf(module: unknown): Api {
  const candidate = module as Partial<Api> & { default?: Partial<Api> };
  if (candidate.trace !== undefined) return candidate as Api;
  if (candidate.default?.trace !== undefined) return candidate.default as Api;
  throw new Error("the loaded module is not @opentelemetry/api");
}
