import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type ContextManager,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type TracerProvider,
} from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { startConsumer } from "../../src/consumer/consumer.js";
import { memoryProcessedMessages } from "../../src/consumer/processed-messages.js";
import { createObservability } from "../../src/observability/observability.js";
import { loadOpenTelemetryTracing } from "../../src/observability/load-tracing.js";
import { noopTracing, type Tracing } from "../../src/observability/tracing.js";
import { relayBatch } from "../../src/relay/relay.js";
import { MemoryEventStore } from "../../src/store/memory-store.js";
import { envelope } from "../bus/support/envelopes.js";
import { waitFor } from "../bus/support/wait.js";
import { newEvent } from "../store/support.js";

/** A span that remembers what was done to it. */
interface Recorded {
  name: string;
  kind: SpanKind | undefined;
  attributes: Record<string, unknown>;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  status: { code: SpanStatusCode; message?: string } | undefined;
  ended: boolean;
}

const spans: Recorded[] = [];
const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** The smallest tracer provider that records spans, so no SDK is needed in the tests. */
const provider: TracerProvider = {
  getTracer: () => ({
    startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
      const parent = trace.getSpanContext(ctx);
      const record: Recorded = {
        name,
        kind: options.kind,
        attributes: { ...options.attributes },
        traceId: parent?.traceId ?? hex(16),
        spanId: hex(8),
        parentSpanId: parent?.spanId,
        status: undefined,
        ended: false,
      };
      spans.push(record);
      const span = {
        spanContext: () => ({ traceId: record.traceId, spanId: record.spanId, traceFlags: 1 }),
        setStatus: (status: Recorded["status"]) => ((record.status = status), span),
        recordException: () => undefined,
        end: () => void (record.ended = true),
        isRecording: () => true,
      };
      return span as unknown as Span;
    },
    startActiveSpan: () => {
      throw new Error("not used by the runtime");
    },
  }),
};

/** Carries `traceId:spanId` in one header. */
const propagator: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const span = trace.getSpanContext(ctx);
    if (span !== undefined) setter.set(carrier, "x-test-trace", `${span.traceId}:${span.spanId}`);
  },
  extract(ctx, carrier, getter) {
    const value = getter.get(carrier, "x-test-trace");
    if (typeof value !== "string") return ctx;
    const [traceId = "", spanId = ""] = value.split(":");
    return trace.setSpanContext(ctx, { traceId, spanId, traceFlags: 1, isRemote: true });
  },
  fields: () => ["x-test-trace"],
};

/** What an SDK's async-hooks context manager does, in a few lines. */
class TestContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

let tracing: Tracing;
beforeAll(async () => {
  context.setGlobalContextManager(new TestContextManager());
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(propagator);
  tracing = await loadOpenTelemetryTracing();
});
afterAll(() => {
  context.disable();
  trace.disable();
  propagation.disable();
});

describe("OpenTelemetry tracing", () => {
  it("starts a producer span with the correlation id and injects its context into the headers", () => {
    const e = envelope("s", 0);
    const span = tracing.publish(e, { keep: "me" });
    span.end();
    const recorded = spans.at(-1);
    expect(recorded).toMatchObject({ name: "ThingHappened publish", kind: SpanKind.PRODUCER, ended: true });
    expect(recorded?.attributes["eda.correlation_id"]).toBe(e.correlationId);
    expect(recorded?.attributes["messaging.message.id"]).toBe(e.messageId);
    expect(span.headers).toEqual({ keep: "me", "x-test-trace": `${recorded?.traceId}:${recorded?.spanId}` });
  });

  it("continues the trace a command stored in metadata.trace", () => {
    const parent = { traceId: hex(16), spanId: hex(8) };
    const e = { ...envelope("s", 1), metadata: { trace: { "x-test-trace": `${parent.traceId}:${parent.spanId}` } } };
    tracing.publish(e).end();
    expect(spans.at(-1)).toMatchObject({ traceId: parent.traceId, parentSpanId: parent.spanId });
  });

  it("starts a consumer span as the child of the publish span, and marks failures", () => {
    const e = envelope("s", 2);
    const published = tracing.publish(e);
    published.end();
    const producer = spans.at(-1);
    const consumed = tracing.consume("billing", e, published.headers);
    consumed.end(new Error("handler failed"));
    const consumer = spans.at(-1);
    expect(consumer).toMatchObject({ kind: SpanKind.CONSUMER, traceId: producer?.traceId, parentSpanId: producer?.spanId });
    expect(consumer?.attributes["messaging.consumer.group.name"]).toBe("billing");
    expect(consumer?.attributes["eda.correlation_id"]).toBe(e.correlationId);
    expect(consumer?.status).toEqual({ code: SpanStatusCode.ERROR, message: "handler failed" });
  });

  it("follows one trace from the outbox through the bus into the handler", async () => {
    const store = new MemoryEventStore();
    const bus = createMemoryBus();
    const observability = createObservability({ tracing });
    let handlerTrace: string | undefined;
    const consumer = await startConsumer(bus, {
      name: "traced",
      processed: memoryProcessedMessages(),
      observability,
      handle: async () => void (handlerTrace = trace.getSpanContext(context.active())?.traceId),
    });
    await store.append("t", [newEvent("ThingHappened", {}, { correlationId: "corr-trace" })], { kind: "any" });
    const before = spans.length;
    await relayBatch(store.outbox, bus, { observability });
    await waitFor(() => spans.length === before + 2 && spans.at(-1)?.ended === true, "the consumer span");
    const [producer, consumerSpan] = spans.slice(before);
    expect(producer?.kind).toBe(SpanKind.PRODUCER);
    expect(consumerSpan).toMatchObject({ kind: SpanKind.CONSUMER, traceId: producer?.traceId, parentSpanId: producer?.spanId });
    expect(consumerSpan?.attributes["eda.correlation_id"]).toBe("corr-trace");
    // The handler runs inside the consumer span: spans it starts join the same trace.
    expect(handlerTrace).toBe(producer?.traceId);
    await consumer.close();
    await bus.close();
  });

  it("captures the active context for a pipeline to store in metadata", () => {
    const span = provider.getTracer("t").startSpan("command");
    const captured = context.with(trace.setSpan(context.active(), span), () => tracing.capture());
    expect(captured["x-test-trace"]).toBe(`${span.spanContext().traceId}:${span.spanContext().spanId}`);
  });
});

describe("loading OpenTelemetry", () => {
  it("falls back to no-op tracing when @opentelemetry/api is not installed", async () => {
    const missing = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: "ERR_MODULE_NOT_FOUND" });
    const loaded = await loadOpenTelemetryTracing(() => Promise.reject(missing));
    expect(loaded).toBe(noopTracing);
    const span = loaded.publish(envelope("s", 0), { a: "1" });
    expect(span.headers).toEqual({ a: "1" });
    expect(await span.run(async () => 42)).toBe(42);
  });

  it("does not hide other loading errors", async () => {
    await expect(loadOpenTelemetryTracing(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("accepts the module as a CommonJS default export", async () => {
    const api = await import("@opentelemetry/api");
    const loaded = await loadOpenTelemetryTracing(async () => ({ default: api }));
    expect(loaded).not.toBe(noopTracing);
  });
});
