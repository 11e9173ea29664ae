/**
 * The metric hooks as OpenTelemetry instruments, scraped from the Prometheus page: one test per
 * metric of the runtime README, by the name and labels Prometheus shows.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/app.js";
import { startPrometheusEndpoint, type PrometheusEndpoint } from "../../src/observability/prometheus.js";
import type { EventCodec } from "../../src/types.js";
import { acceptAll } from "../support/codec.js";

const codec: EventCodec = { deserialize: (stored) => ({ type: stored.type }), currentVersion: () => 1, redact: () => ({}), ...acceptAll() };
const emptyModel = { codec, routes: {}, projections: [] };

let endpoint!: PrometheusEndpoint;
beforeEach(async () => {
  endpoint = await startPrometheusEndpoint({ port: 0 });
});
afterEach(() => endpoint.close());

async function scrape(): Promise<string> {
  const response = await fetch(endpoint.url);
  expect(response.status).toBe(200);
  return response.text();
}

describe("the Prometheus endpoint", () => {
  it("serves at a bound port and answers 404 elsewhere", async () => {
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(endpoint.url.replace("/metrics", "/other"))).status).toBe(404);
  });

  it("counts publications per event type (messaging.client.sent.messages)", async () => {
    endpoint.metrics.published({ type: "OrderPlaced", stream: "Ordering.Order-1" });
    endpoint.metrics.published({ type: "OrderPlaced", stream: "Ordering.Order-2" });
    endpoint.metrics.publishFailed({ count: 3, error: new Error("away") });
    const page = await scrape();
    expect(page).toContain('messaging_client_sent_messages_total{messaging_destination_name="OrderPlaced"} 2');
    expect(page).toContain("eda_publish_failures_total 3");
    // The stream id carries a business key: it is no label.
    expect(page).not.toContain("Order-1");
  });

  it("records consumption, processing duration and consumption lag per consumer and type", async () => {
    endpoint.metrics.consumed({ consumer: "mail", type: "OrderPlaced", lagMs: 40, durationMs: 3, duplicate: false });
    endpoint.metrics.consumed({ consumer: "mail", type: "OrderPlaced", lagMs: 0, durationMs: 0, duplicate: true });
    const page = await scrape();
    const labels = 'messaging_destination_name="OrderPlaced",messaging_consumer_group_name="mail"';
    expect(page).toContain(`messaging_client_consumed_messages_total{${labels},eda_duplicate="false"} 1`);
    expect(page).toContain(`messaging_client_consumed_messages_total{${labels},eda_duplicate="true"} 1`);
    expect(page).toContain(`messaging_process_duration_sum{${labels}} 0.003`);
    expect(page).toContain(`eda_consumer_lag_sum{${labels}} 0.04`);
    expect(page).toContain(`eda_consumer_lag_bucket{${labels},le="0.05"} 1`);
  });

  it("counts failed attempts, final or not (consumer error rate)", async () => {
    endpoint.metrics.failed({ consumer: "mail", type: "OrderPlaced", attempt: 1, final: false });
    endpoint.metrics.failed({ consumer: "mail", type: "OrderPlaced", attempt: 2, final: true });
    const page = await scrape();
    expect(page).toContain('eda_consumer_failures_total{messaging_destination_name="OrderPlaced",messaging_consumer_group_name="mail",eda_final="false"} 1');
    expect(page).toContain('eda_consumer_failures_total{messaging_destination_name="OrderPlaced",messaging_consumer_group_name="mail",eda_final="true"} 1');
  });

  it("keeps gauges at their latest value: DLQ depth, projection lag, broker connection", async () => {
    endpoint.metrics.deadLetterDepth({ consumer: "mail", depth: 4 });
    endpoint.metrics.deadLetterDepth({ consumer: "mail", depth: 2 });
    endpoint.metrics.projectionLag({ projection: "CustomerOrders", events: 5, seconds: 12.5 });
    endpoint.metrics.brokerConnection({ url: "amqp://guest:***@127.0.0.1:5672/", up: true });
    endpoint.metrics.brokerConnection({ url: "amqp://guest:***@127.0.0.1:5672/", up: false });
    const page = await scrape();
    expect(page).toContain('eda_dlq_depth{messaging_consumer_group_name="mail"} 2');
    expect(page).toContain('eda_projection_lag_events{eda_projection="CustomerOrders"} 5');
    expect(page).toContain('eda_projection_lag_seconds{eda_projection="CustomerOrders"} 12.5');
    expect(page).toContain('eda_broker_connection_up{server_address="amqp://guest:***@127.0.0.1:5672/"} 0');
  });

  it("counts parked poison events and workflow strays, and times workflows per outcome", async () => {
    endpoint.metrics.parked({ runner: "projection:CustomerOrders", type: "OrderPlaced", reason: "unreadable", blocking: true });
    endpoint.metrics.parkedCount({ runner: "projection:CustomerOrders", count: 1 });
    endpoint.metrics.workflowCompleted({ workflow: "Fulfilment", outcome: "timed_out", seconds: 30 });
    endpoint.metrics.workflowCompleted({ workflow: "Fulfilment", outcome: "completed", seconds: 2 });
    endpoint.metrics.workflowStray?.({ workflow: "Fulfilment", reason: "step-succeeded-again" });
    endpoint.metrics.workflowStray?.({ workflow: "Fulfilment", reason: "step-succeeded-again" });
    endpoint.metrics.compensationRejected?.({ workflow: "Fulfilment", step: "reserve" });
    const page = await scrape();
    expect(page).toContain('eda_parked_events_total{eda_runner="projection:CustomerOrders",eda_event_type="OrderPlaced",eda_reason="unreadable",eda_blocking="true"} 1');
    expect(page).toContain('eda_parked_current{eda_runner="projection:CustomerOrders"} 1');
    expect(page).toContain('eda_workflow_duration_sum{eda_workflow="Fulfilment",eda_outcome="timed_out"} 30');
    expect(page).toContain('eda_workflow_duration_count{eda_workflow="Fulfilment",eda_outcome="completed"} 1');
    expect(page).toContain('eda_workflow_strays_total{eda_workflow="Fulfilment",eda_reason="step-succeeded-again"} 2');
    expect(page).toContain('eda_workflow_compensation_rejections_total{eda_workflow="Fulfilment",eda_step="reserve"} 1');
  });

  it("refuses a port in use, naming the error", async () => {
    const port = Number(new URL(endpoint.url).port);
    await expect(startPrometheusEndpoint({ port })).rejects.toThrow(/EADDRINUSE/);
  });

  it("is one app option: served while the app runs, gone after close()", async () => {
    const app = await createApp(emptyModel, { store: "memory:", bus: "memory:", metricsEndpoint: { port: 0 }, sampleEveryMs: 50 });
    const url = app.metricsUrl ?? "";
    app.start();
    // The sampler reports every runner's parked count, 0 for the relay here.
    let page = "";
    for (let i = 0; i < 40 && !page.includes("eda_parked_current"); i++) {
      page = await (await fetch(url)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(page).toContain('eda_parked_current{eda_runner="relay"} 0');
    await app.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it("createApp refuses a sampling interval that is not positive", async () => {
    await expect(createApp(emptyModel, { store: "memory:", bus: "memory:", sampleEveryMs: 0 })).rejects.toThrow(/sampleEveryMs must be a positive number/);
  });
});
