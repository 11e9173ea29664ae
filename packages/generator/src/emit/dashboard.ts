/**
 * `operations/grafana-dashboard.json`: a Grafana dashboard with a panel per metric of the
 * runtime, and one per projection (its lag) and two per orchestrated workflow (its completion
 * time by outcome; its runs ended by outcome and its strays by reason). The data source is a dashboard variable, so the file imports anywhere.
 */
import { fileView, type FileView } from "../render/file-view.js";
import type { GenModel } from "../lower/gen-model.js";
import { header } from "../names.js";
import { operationsView, promString, type OperationsConfig } from "./operations-view.js";

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
}

/** Builds `operations/grafana-dashboard.json`. */
export function emitDashboard(gen: GenModel, config: OperationsConfig = {}): FileView[] {
  const view = operationsView(gen.operations, config);
  const w = "$__rate_interval";
  const p95 = (metric: string, by: string) => `histogram_quantile(0.95, sum by (le, ${by}) (rate(${metric}_bucket[${w}])))`;
  const panels: Panel[] = [
    { title: "Publish rate per event type", unit: "ops", targets: [{ expr: `sum by (messaging_destination_name) (rate(messaging_client_sent_messages_total[${w}]))`, legendFormat: "{{messaging_destination_name}}" }] },
    { title: "Consumption lag (p95) per consumer", unit: "s", targets: [{ expr: p95("eda_consumer_lag", "messaging_consumer_group_name"), legendFormat: "{{messaging_consumer_group_name}}" }] },
    {
      title: "Consumer error rate",
      unit: "percentunit",
      targets: [
        {
          expr: `sum by (messaging_consumer_group_name) (rate(eda_consumer_failures_total[${w}])) / (sum by (messaging_consumer_group_name) (rate(messaging_client_consumed_messages_total[${w}])) + sum by (messaging_consumer_group_name) (rate(eda_consumer_failures_total[${w}])))`,
          legendFormat: "{{messaging_consumer_group_name}}",
        },
      ],
    },
    { title: "Dead-letter queue depth", unit: "short", targets: [{ expr: "eda_dlq_depth", legendFormat: "{{messaging_consumer_group_name}}" }] },
    { title: "Processing duration (p95) per event type", unit: "s", targets: [{ expr: p95("messaging_process_duration", "messaging_destination_name"), legendFormat: "{{messaging_destination_name}}" }] },
    { title: "Broker connection", unit: "short", targets: [{ expr: "eda_broker_connection_up", legendFormat: "{{server_address}}" }] },
    {
      title: "Parked poison events",
      unit: "short",
      targets: [
        { expr: "eda_parked_current", legendFormat: "{{eda_runner}} parked" },
        { expr: `sum by (eda_runner, eda_reason) (increase(eda_parked_events_total[${w}]))`, legendFormat: "{{eda_runner}} newly parked ({{eda_reason}})" },
      ],
    },
    ...view.projections.map((p) => ({
      title: `Projection ${p.name}: lag`,
      unit: "s",
      targets: [{ expr: `eda_projection_lag_seconds{eda_projection=${promString(p.name)}}`, legendFormat: "seconds behind" }],
    })),
    ...view.workflows.flatMap((wf) => [
      {
        title: `Workflow ${wf.name}: completion time (p95)`,
        unit: "s",
        targets: [{ expr: `histogram_quantile(0.95, sum by (le, eda_outcome) (rate(eda_workflow_duration_bucket{eda_workflow=${promString(wf.name)}}[${w}])))`, legendFormat: "{{eda_outcome}}" }],
      },
      {
        // Runs ended by outcome beside the events the workflow did not act on: a
        // `step-succeeded-again` stray or a `compensation_rejected` run needs a person.
        title: `Workflow ${wf.name}: runs ended and strays`,
        unit: "short",
        targets: [
          { expr: `sum by (eda_outcome) (increase(eda_workflow_duration_count{eda_workflow=${promString(wf.name)}}[${w}]))`, legendFormat: "ended {{eda_outcome}}" },
          { expr: `sum by (eda_reason) (increase(eda_workflow_strays_total{eda_workflow=${promString(wf.name)}}[${w}]))`, legendFormat: "stray {{eda_reason}}" },
        ],
      },
    ]),
  ];
  const dashboard = {
    // How `eda generate` knows the file is its own; Grafana ignores the key.
    $comment: header(gen.sources, "").trimStart(),
    title: `eda: ${dashboardTitle(gen)}`,
    uid: null,
    editable: true,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
    panels: panels.map((panel, i) => ({
      id: i + 1,
      type: "timeseries",
      title: panel.title,
      datasource: { type: "prometheus", uid: "${datasource}" },
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
    })),
  };
  return [fileView("dashboard", gen.files.dashboard, { json: `${JSON.stringify(dashboard, null, 2)}\n` })];
}

function dashboardTitle(gen: GenModel): string {
  const names = gen.contexts.map((c) => c.name);
  return names.length === 0 ? "model" : names.join(", ");
}
