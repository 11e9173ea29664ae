/**
 * `eda generate` writes the operations files (Prometheus alerting rules, Grafana dashboard) with
 * thresholds from `eda.config.json`'s `operations` key; a bad threshold or a name the model lacks
 * is refused with the file and the key, and nothing is written.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, makeProject, runEda } from "./helpers.js";

beforeAll(ensureBundle);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const shop = join(import.meta.dirname, "../../examples/shop");
const MODEL: Record<string, string> = Object.fromEntries(
  ["checkout.eda", "common.eda", "fulfilment.eda", "notifications.eda", "ordering.eda", "payments.eda", "shipping.eda"].map((f) => [`model/${f}`, readFileSync(join(shop, f), "utf8")]),
);

function project(operations: unknown): string {
  const { dir, cleanup } = makeProject({ ...MODEL, "eda.config.json": JSON.stringify({ model: "model/*.eda", out: "gen", operations }) });
  cleanups.push(cleanup);
  return dir;
}

describe("eda generate: operations files", () => {
  it("writes the rules and the dashboard with the configured thresholds", async () => {
    const dir = project({ for: "0s", window: "1d2h3m4s5ms", projections: { "Ordering.CustomerOrders": { lagSeconds: 30 } }, consumers: { "CustomerNotifications.onOrderPlacedSendSendOrderConfirmation": { errorRatio: 0.5 } } });
    const run = await runEda(["generate"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rules = readFileSync(join(dir, "gen/operations/prometheus-alerts.yml"), "utf8");
    expect(rules).toContain("for: 0s");
    expect(rules).toContain("[1d2h3m4s5ms]");
    expect(rules).toContain('max(eda_projection_lag_seconds{eda_projection="Ordering.CustomerOrders"}) > 30');
    expect(rules).toMatch(/onOrderPlacedSendSendOrderConfirmation"}\[1d2h3m4s5ms\]\)\)\) > 0\.5'/);
    expect(rules).toMatch(/onShipmentScheduledSendSendShippingNotice"}\[1d2h3m4s5ms\]\)\)\) > 0\.05'/);
    const dashboard = JSON.parse(readFileSync(join(dir, "gen/operations/grafana-dashboard.json"), "utf8")) as { panels: { title: string }[] };
    expect(dashboard.panels.map((p) => p.title)).toEqual(expect.arrayContaining(["Projection Ordering.CustomerOrders: lag", "Workflow Checkout: completion time (p95)", "Dead-letter queue depth"]));
  });

  const refused: [string, unknown, string][] = [
    ["a negative threshold", { lagSeconds: -1 }, '"operations.lagSeconds" must not be negative'],
    ["a bad duration", { for: "five minutes" }, '"operations.for" must be a Prometheus duration such as "30s", "5m" or "1h30m"'],
    // promtool refuses each of these: units out of order or repeated, a zero window, an int64 of nanoseconds overflowed.
    ["a duration with its units out of order", { for: "1s1m" }, '"operations.for" must be a Prometheus duration such as "30s", "5m" or "1h30m" (units from the largest to the smallest, each once'],
    ["a duration with a unit twice", { window: "5m5m" }, '"operations.window" must be a Prometheus duration such as'],
    ["a zero window", { window: "0s" }, '"operations.window" must be longer than 0: a rate needs a window'],
    ["a duration Prometheus cannot hold", { window: "99999999999999999999y" }, '"operations.window" must be a Prometheus duration of at most 292 years'],
    ["a misspelt threshold", { projections: { "Ordering.CustomerOrders": { lagSecond: 3 } } }, 'unknown key "lagSecond"'],
    ["a projection the model lacks", { projections: { "Ordering.CustomerOrder": { lagSeconds: 3 } } }, '"operations.projections" names "Ordering.CustomerOrder", which is not in the model; the model has "Ordering.CustomerOrders"'],
    ["a workflow the model lacks", { workflows: { Checkot: { timeouts: 1 } } }, '"operations.workflows" names "Checkot", which is not in the model; the model has "Checkout"'],
  ];
  it.each(refused)("refuses %s, writing nothing", async (_name, operations, message) => {
    const dir = project(operations);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/^eda: eda\.config\.json: /);
    expect(existsSync(join(dir, "gen"))).toBe(false);
  });
});
