/**
 * The generated Prometheus rules, judged by Prometheus's own `promtool`: `check rules` accepts
 * them, and `test rules` feeds them series shaped like the runtime's metrics — an always-failing
 * consumer, a stuck projection, a timed-out run, a lost broker — and expects each alert to fire,
 * and a healthy neighbour (the near miss) not to. Thresholds come from the defaults or from the
 * `operations` config.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "@eda/language";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type OperationsConfig } from "../src/index.js";
import { readModel, repoRoot } from "./support.js";

const CONSUMER = "CustomerNotifications.onOrderPlacedSendSendOrderConfirmation";
const OTHER = "CustomerNotifications.onShipmentScheduledSendSendShippingNotice";
const dir = mkdtempSync(join(tmpdir(), "eda-alerts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rulesFor(config?: OperationsConfig, rename: (path: string) => string = (path) => path): string {
  const { model } = compile(readModel(join(repoRoot, "examples/shop")).map((f) => ({ ...f, path: rename(f.path) })));
  const file = generate(model, config === undefined ? {} : { operations: config }).find((f) => f.path === "operations/prometheus-alerts.yml");
  if (file === undefined) throw new Error("no operations/prometheus-alerts.yml");
  return file.content;
}

function promtool(...args: string[]): string {
  try {
    return execFileSync("promtool", args, { cwd: dir, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === "ENOENT") throw new Error("promtool is not installed: apt-get install prometheus (.ci/run does)");
    throw new Error(`promtool ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

interface Expected {
  readonly at: string;
  readonly alert: string;
  /** The labels of each firing instance; empty: must not fire. */
  readonly firing: readonly Readonly<Record<string, string>>[];
}

/** Runs `promtool test rules` on `rules` with the input series and expectations. */
function testRules(rules: string, series: Readonly<Record<string, string>>, expected: readonly Expected[]): string {
  writeFileSync(join(dir, "alerts.yml"), rules);
  // Each rule's summary, by alert and the model name it is about (none for the global rules).
  const rulesByKey = new Map(
    rules.split("- alert: ").slice(1).map((block) => {
      const name = /^(\w+)/.exec(block)?.[1];
      const about = /(?:consumer|projection|workflow): "([^"]*)"/.exec(block)?.[1] ?? "";
      return [`${name}/${about}`, /summary: "([^"]*)"/.exec(block)?.[1] ?? ""];
    }),
  );
  const summaryOf = (alert: string, labels: Readonly<Record<string, string>>): string =>
    rulesByKey.get(`${alert}/${labels["consumer"] ?? labels["projection"] ?? labels["workflow"] ?? ""}`) ?? "";
  const test = {
    rule_files: ["alerts.yml"],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "1m",
        input_series: Object.entries(series).map(([s, values]) => ({ series: s, values })),
        alert_rule_test: expected.map((e) => ({
          eval_time: e.at,
          alertname: e.alert,
          exp_alerts: e.firing.map((labels) => ({ exp_labels: labels, exp_annotations: { summary: summaryOf(e.alert, labels) } })),
        })),
      },
    ],
  };
  writeFileSync(join(dir, "alerts.test.yml"), JSON.stringify(test, null, 2));
  return promtool("test", "rules", "alerts.test.yml");
}

const consumerSeries = (consumer: string, metric: string, extra = "") =>
  `${metric}{messaging_consumer_group_name="${consumer}",messaging_destination_name="OrderPlaced"${extra}}`;

describe("generated Prometheus alerting rules", () => {
  it("pass promtool check rules", () => {
    writeFileSync(join(dir, "alerts.yml"), rulesFor());
    expect(promtool("check", "rules", "alerts.yml")).toMatch(/SUCCESS: 13 rules found/);
  });

  it("give the dashboard queries promtool accepts (each as a recording rule, Grafana's interval as 5m)", () => {
    const { model } = compile(readModel(join(repoRoot, "examples/shop")));
    const file = generate(model).find((f) => f.path === "operations/grafana-dashboard.json");
    if (file === undefined) throw new Error("no operations/grafana-dashboard.json");
    const panels = (JSON.parse(file.content) as { panels: { title: string; targets: { expr: string }[] }[] }).panels;
    const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr.replaceAll("$__rate_interval", "5m")));
    expect(panels.map((p) => p.title)).toContain("Workflow Checkout: runs ended and strays");
    const rules = { groups: [{ name: "dashboard", rules: exprs.map((expr, i) => ({ record: `eda:dashboard:${i}`, expr })) }] };
    writeFileSync(join(dir, "dashboard.yml"), JSON.stringify(rules));
    expect(promtool("check", "rules", "dashboard.yml")).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
  });

  it("pass promtool check rules with the edge durations eda.config.json accepts", () => {
    writeFileSync(join(dir, "edges.yml"), rulesFor({ for: "0s", window: "1y2w3d4h5m6s7ms" }));
    expect(promtool("check", "rules", "edges.yml")).toMatch(/SUCCESS: 13 rules found/);
  });

  it("pass promtool check rules whatever a model file is named: YAML's line breaks and the characters it refuses stay escaped in the header comment", () => {
    // NEL, LS and PS end a YAML line as \n does; the C1 controls and U+FFFE/FFFF are no YAML text at all.
    for (const odd of ["\u0085groups: []", "\u2028x: 1", "\u2029- y", "\u0080\u009f", "\ufffe\uffff", "\n\r\t\u0000\u007f"]) {
      const rules = rulesFor(undefined, (path) => (path.endsWith("common.eda") ? `c${odd}.eda` : path));
      expect(rules.split("\n")[0], JSON.stringify(odd)).toMatch(/^# Generated by eda from [\x20-\x7e]+$/);
      writeFileSync(join(dir, "odd.yml"), rules);
      expect(promtool("check", "rules", "odd.yml"), JSON.stringify(odd)).toMatch(/SUCCESS: 13 rules found/);
    }
  });

  it("fire for an always-failing consumer and its dead letters, not for a healthy one", () => {
    const out = testRules(
      rulesFor(),
      {
        [consumerSeries(CONSUMER, "eda_consumer_failures_total", ',eda_final="true"')]: "0+10x20",
        // No consumed series: the consumer never succeeded (as the runtime reports it).
        [`eda_dlq_depth{messaging_consumer_group_name="${CONSUMER}"}`]: "0 1 2 3+1x17",
        // The near miss: 1 failed attempt in 101 (under 5 %), an empty dead-letter queue.
        [consumerSeries(OTHER, "eda_consumer_failures_total", ',eda_final="false"')]: "0+1x20",
        [consumerSeries(OTHER, "messaging_client_consumed_messages_total", ',eda_duplicate="false"')]: "0+100x20",
        [`eda_dlq_depth{messaging_consumer_group_name="${OTHER}"}`]: "0x20",
      },
      [
        { at: "3m", alert: "EdaConsumerErrorRate", firing: [] },
        { at: "10m", alert: "EdaConsumerErrorRate", firing: [{ severity: "warning", consumer: CONSUMER }] },
        { at: "10m", alert: "EdaDeadLetterQueueAccumulating", firing: [{ severity: "critical", consumer: CONSUMER }] },
      ],
    );
    expect(out).toMatch(/SUCCESS/);
  });

  it("fire for consumption lag over the SLA from the lag histogram", () => {
    const bucket = (le: string) => consumerSeries(CONSUMER, "eda_consumer_lag_bucket", `,le="${le}"`);
    const fast = (le: string) => consumerSeries(OTHER, "eda_consumer_lag_bucket", `,le="${le}"`);
    const out = testRules(
      rulesFor(),
      { [bucket("60")]: "0x20", [bucket("300")]: "0+10x20", [bucket("+Inf")]: "0+10x20", [fast("1")]: "0+10x20", [fast("60")]: "0+10x20", [fast("+Inf")]: "0+10x20" },
      [{ at: "12m", alert: "EdaConsumptionLagOverSla", firing: [{ severity: "warning", consumer: CONSUMER }] }],
    );
    expect(out).toMatch(/SUCCESS/);
  });

  it("fire for a stuck projection, per projection thresholds from the config", () => {
    const stuck = { 'eda_projection_lag_seconds{eda_projection="Ordering.CustomerOrders"}': "0+60x20" };
    expect(testRules(rulesFor(), stuck, [{ at: "10m", alert: "EdaProjectionLagOverSla", firing: [{ severity: "warning", projection: "Ordering.CustomerOrders" }] }])).toMatch(/SUCCESS/);
    const lenient = rulesFor({ projections: { "Ordering.CustomerOrders": { lagSeconds: 3_600 } }, for: "1m" });
    expect(testRules(lenient, stuck, [{ at: "10m", alert: "EdaProjectionLagOverSla", firing: [] }])).toMatch(/SUCCESS/);
  });

  it("fire for a timed-out workflow run, a compensation rejected, a step done twice, a lost broker, parked events and a publish rate that collapsed", () => {
    const out = testRules(
      rulesFor(),
      {
        'eda_workflow_duration_count{eda_workflow="Checkout",eda_outcome="timed_out"}': "0 0 0 1 1 1 1",
        'eda_workflow_duration_count{eda_workflow="Checkout",eda_outcome="completed"}': "0+5x6",
        'eda_workflow_compensation_rejections_total{eda_workflow="Checkout",eda_step="reserveStock"}': "0 0 0 0 0 1 1",
        'eda_workflow_compensation_rejections_total{eda_workflow="Checkout",eda_step="chargePayment"}': "0 0 0 0 0 0 0",
        'eda_workflow_strays_total{eda_workflow="Checkout",eda_reason="step-succeeded-again"}': "0 0 1 1 1 1 1",
        'eda_workflow_strays_total{eda_workflow="Checkout",eda_reason="duplicate-delivery"}': "0+3x6",
        'eda_broker_connection_up{server_address="amqp://guest:***@127.0.0.1:5672/"}': "1 1 0 0 0 0 0",
        'eda_parked_current{eda_runner="projection:Ordering.CustomerOrders"}': "0 0 1 1 1",
        'eda_parked_current{eda_runner="relay"}': "0 0 0 0 0",
        'messaging_client_sent_messages_total{messaging_destination_name="OrderPlaced"}': "0+100x60 6000x60",
      },
      [
        { at: "4m", alert: "EdaWorkflowTimeouts", firing: [{ severity: "warning", workflow: "Checkout" }] },
        { at: "4m", alert: "EdaWorkflowCompensationRejected", firing: [] },
        { at: "5m", alert: "EdaWorkflowCompensationRejected", firing: [{ severity: "critical", workflow: "Checkout" }] },
        { at: "1m", alert: "EdaWorkflowStepSucceededAgain", firing: [] },
        { at: "2m", alert: "EdaWorkflowStepSucceededAgain", firing: [{ severity: "warning", workflow: "Checkout" }] },
        { at: "2m", alert: "EdaBrokerConnectionDown", firing: [] },
        { at: "4m", alert: "EdaBrokerConnectionDown", firing: [{ severity: "critical", server_address: "amqp://guest:***@127.0.0.1:5672/" }] },
        { at: "3m", alert: "EdaPoisonEventsParked", firing: [{ severity: "critical", eda_runner: "projection:Ordering.CustomerOrders" }] },
        { at: "50m", alert: "EdaPublishRateAnomaly", firing: [] },
        { at: "115m", alert: "EdaPublishRateAnomaly", firing: [{ severity: "warning" }] },
      ],
    );
    expect(out).toMatch(/SUCCESS/);
  });

  it("fire for a workflow counter's first count: the runtime's series appear at 1, where increase() sees no rise", () => {
    const out = testRules(
      rulesFor(),
      {
        'eda_workflow_duration_count{eda_workflow="Checkout",eda_outcome="timed_out"}': "_ _ 1 1 1 1 1 1 1 1 1 1",
        'eda_workflow_compensation_rejections_total{eda_workflow="Checkout",eda_step="reserveStock"}': "_ _ 1 1 1 1 1 1 1 1 1 1",
        'eda_workflow_strays_total{eda_workflow="Checkout",eda_reason="step-succeeded-again"}': "_ _ 1 1 1 1 1 1 1 1 1 1",
      },
      ["EdaWorkflowTimeouts", "EdaWorkflowCompensationRejected", "EdaWorkflowStepSucceededAgain"].flatMap((alert) => [
        { at: "1m", alert, firing: [] },
        { at: "3m", alert, firing: [{ severity: alert === "EdaWorkflowCompensationRejected" ? "critical" : "warning", workflow: "Checkout" }] },
        // A window (5m) after the series appeared, without a further count: quiet again.
        { at: "8m", alert, firing: [] },
      ]),
    );
    expect(out).toMatch(/SUCCESS/);
  });
});
