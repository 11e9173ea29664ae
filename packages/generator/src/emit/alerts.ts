/**
 * `operations/prometheus-alerts.yml`: Prometheus alerting rules for the alerts the runtime's
 * metrics support — consumption lag over SLA and consumer error rate (per choreography
 * consumer), dead letters accumulating, projection lag over SLA (per projection, which also
 * catches a stuck projection: its lag is sampled while it does not move), publish-rate anomaly,
 * workflow timeouts (per orchestrated workflow), a compensation rejected (per orchestrated workflow
 * that compensates), a step's awaited event again after it was done (per orchestrated workflow),
 * broker connection down and parked poison events.
 * Consumer rebalancing has no rule: neither RabbitMQ queues nor JetStream durable consumers
 * rebalance partitions.
 */
import { fileView, type FileView } from "../render/file-view.js";
import type { GenModel } from "../lower/gen-model.js";
import { header } from "../names.js";
import { jsonString } from "../escape.js";
import { operationsView, promString, type OperationsConfig, type OperationsView } from "./operations-view.js";

/** One alerting rule. */
interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: "warning" | "critical";
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
}

/** Builds `operations/prometheus-alerts.yml`. */
export function emitAlerts(gen: GenModel, config: OperationsConfig = {}): FileView[] {
  const view = operationsView(gen.operations, config);
  return [fileView("alerts", gen.files.alerts, { header: header(gen.sources, "#"), rules: alertRules(view).map((r) => ruleLines(r).join("\n")) })];
}

/** The rules of a view, in a fixed order. */
export function alertRules(view: OperationsView): Rule[] {
  const w = view.window;
  const consumerRules = view.consumers.flatMap((c): Rule[] => {
    const sel = `messaging_consumer_group_name=${promString(c.name)}`;
    const labels = { consumer: c.name };
    const failures = `sum(rate(eda_consumer_failures_total{${sel}}[${w}]))`;
    // A consumer that never succeeded has no consumed series at all: count it as zero.
    const consumed = `(sum(rate(messaging_client_consumed_messages_total{${sel}}[${w}])) or vector(0))`;
    return [
      {
        alert: "EdaConsumptionLagOverSla",
        expr: `histogram_quantile(0.95, sum by (le) (rate(eda_consumer_lag_bucket{${sel}}[${w}]))) > ${c.lagSeconds}`,
        for: view.for,
        severity: "warning",
        labels,
        summary: `${c.name}: p95 consumption lag above ${c.lagSeconds} s`,
      },
      {
        alert: "EdaConsumerErrorRate",
        expr: `${failures} / (${consumed} + ${failures}) > ${c.errorRatio}`,
        for: view.for,
        severity: "warning",
        labels,
        summary: `${c.name}: more than ${c.errorRatio * 100} % of handler attempts fail`,
      },
      {
        alert: "EdaDeadLetterQueueAccumulating",
        expr: `max(eda_dlq_depth{${sel}}) > ${c.deadLetterDepth}`,
        for: view.for,
        severity: "critical",
        labels,
        summary: `${c.name}: more than ${c.deadLetterDepth} messages in the dead-letter queue`,
      },
    ];
  });
  const projectionRules = view.projections.map(
    (p): Rule => ({
      alert: "EdaProjectionLagOverSla",
      expr: `max(eda_projection_lag_seconds{eda_projection=${promString(p.name)}}) > ${p.lagSeconds}`,
      for: view.for,
      severity: "warning",
      labels: { projection: p.name },
      summary: `${p.name}: the oldest unapplied event is more than ${p.lagSeconds} s old`,
    }),
  );
  const workflowRules = view.workflows.map(
    (wf): Rule => ({
      alert: "EdaWorkflowTimeouts",
      expr: counted(`eda_workflow_duration_count{eda_workflow=${promString(wf.name)},eda_outcome="timed_out"}`, w, wf.timeouts),
      for: "0s",
      severity: "warning",
      labels: { workflow: wf.name },
      summary: `${wf.name}: more than ${wf.timeouts} runs timed out in ${w}`,
    }),
  );
  // A compensation the domain refused leaves a step's effect in place (a capture not refunded):
  // one needs a person, whatever the threshold of timeouts — counted as it happens, so a late
  // success's compensation refused after the run ended alerts too.
  const compensationRules = view.compensating.map(
    (name): Rule => ({
      alert: "EdaWorkflowCompensationRejected",
      expr: counted(`eda_workflow_compensation_rejections_total{eda_workflow=${promString(name)}}`, w, 0),
      for: "0s",
      severity: "critical",
      labels: { workflow: name },
      summary: `${name}: a compensation was rejected (eda workflows list shows the run)`,
    }),
  );
  // A step's awaited event again after the step was done: maybe its effect twice (a second
  // capture), which nothing compensates.
  const againRules = view.workflows.map(
    (wf): Rule => ({
      alert: "EdaWorkflowStepSucceededAgain",
      expr: counted(`eda_workflow_strays_total{eda_workflow=${promString(wf.name)},eda_reason="step-succeeded-again"}`, w, 0),
      for: "0s",
      severity: "warning",
      labels: { workflow: wf.name },
      summary: `${wf.name}: a step's awaited event came again after the step was done (its effect may have happened twice; see the workflow-stray log)`,
    }),
  );
  const sent = (offset: string) => `sum(rate(messaging_client_sent_messages_total[${w}]${offset}))`;
  return [
    ...consumerRules,
    ...projectionRules,
    ...workflowRules,
    ...compensationRules,
    ...againRules,
    {
      alert: "EdaPublishRateAnomaly",
      expr: `${sent("")} < ${view.publishRateDropRatio} * ${sent(" offset 1h")}`,
      for: view.for,
      severity: "warning",
      labels: {},
      summary: `events are published at less than ${view.publishRateDropRatio * 100} % of the rate an hour ago`,
    },
    {
      alert: "EdaBrokerConnectionDown",
      expr: "max by (server_address) (eda_broker_connection_up) == 0",
      for: "1m",
      severity: "critical",
      labels: {},
      summary: "the connection to the broker is lost",
    },
    {
      alert: "EdaPoisonEventsParked",
      // A gauge the app samples from the parked table: a counter's first increment is invisible to increase().
      expr: "max by (eda_runner) (eda_parked_current) > 0",
      for: "0s",
      severity: "critical",
      labels: {},
      summary: "a runner holds parked events it could not read or apply (or stopped at one)",
    },
  ];
}

/**
 * More than `above` counted in the window by a counter the runtime creates at its first count: a
 * series appears at 1, not 0, and `increase()` sees no rise in it (the first timeout, the one
 * rejected compensation would never alert), so a series that had no sample a window ago counts
 * with its value too.
 */
function counted(series: string, window: string, above: number): string {
  return `sum(increase(${series}[${window}])) > ${above} or sum(${series} unless ${series} offset ${window}) > ${above}`;
}

/**
 * A YAML scalar as Prettier writes it: single-quoted when that needs no escapes (a PromQL
 * expression full of `"`), else double-quoted (a JSON string is a valid YAML one).
 */
export function yamlString(text: string): string {
  return text.includes('"') && !/['\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text) ? `'${text}'` : (jsonString(text) as string);
}

function ruleLines(rule: Rule): string[] {
  const labels = Object.entries({ severity: rule.severity, ...rule.labels }).map(([k, v]) => `          ${k}: ${yamlString(v)}`);
  return [
    `      - alert: ${rule.alert}`,
    `        expr: ${yamlString(rule.expr)}`,
    `        for: ${rule.for}`,
    "        labels:",
    ...labels,
    "        annotations:",
    `          summary: ${yamlString(rule.summary)}`,
  ];
}
