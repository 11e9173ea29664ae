/**
 * The generated alerts on the real thing: a Prometheus server (Debian's `prometheus`, started
 * here on a free port with its own config and storage, never the system service) scrapes the
 * shop's app through its `metricsEndpoint` and evaluates the rules `eda generate` wrote for the
 * shop. Two faults are driven — the mail server is down, so a choreography consumer always
 * fails and dead-letters; an event no build can read stops the CustomerOrders projection — and
 * the matching alerts are watched through Prometheus's HTTP API going from pending to firing.
 * On SQLite and PostgreSQL. `@pii` values never reach the metrics page.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "@eda/generator";
import { compile } from "@eda/language";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freshStore, implementation, loadShop, openShop, placeOrder, orderId, SQL_ENGINES, type Shop } from "./shop-app.js";

const CONSUMER = "CustomerNotifications.onOrderPlacedSendSendOrderConfirmation";
const PROJECTION = "Ordering.CustomerOrders";
const EMAIL = "grace.hopper@example.com";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

/** The shop's generated rules, with thresholds a test can see move in seconds. */
function shopRules(): string {
  const dir = path.join(import.meta.dirname, "../../examples/shop");
  const files = readdirSync(dir).filter((f) => f.endsWith(".eda")).sort();
  const { model } = compile(files.map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") })));
  const operations = { for: "3s", window: "10s", projectionLagSeconds: 2, errorRatio: 0.5 };
  const rules = generate(model, { operations }).find((f) => f.path === "operations/prometheus-alerts.yml");
  if (rules === undefined) throw new Error("no rules generated");
  return rules.content;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Prometheus {
  readonly url: string;
  stop(): Promise<void>;
}

async function startPrometheus(target: string, rules: string): Promise<Prometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), "eda-prometheus-"));
  writeFileSync(path.join(dir, "alerts.yml"), rules);
  const config = {
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: [path.join(dir, "alerts.yml")],
    scrape_configs: [{ job_name: "eda", static_configs: [{ targets: [target] }] }],
  };
  writeFileSync(path.join(dir, "prometheus.yml"), JSON.stringify(config));
  const port = await freePort();
  const child: ChildProcess = spawn(
    "prometheus",
    [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`cannot start prometheus (apt-get install prometheus; .ci/run does): ${e.message}`))));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([spawnError, waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true, 30_000, () => `prometheus did not get ready: ${stderr}`)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Alert {
  readonly labels: Record<string, string>;
  readonly state: "pending" | "firing";
}

/** Polls the alerts API and records every state the alert with these labels was seen in, until it fires. */
async function watchAlert(prometheus: Prometheus, alertname: string, label: [string, string], diagnose: () => Promise<string>): Promise<string[]> {
  const seen: string[] = [];
  await waitFor(
    async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
      const alert = body.data.alerts.find((a) => a.labels["alertname"] === alertname && a.labels[label[0]] === label[1]);
      if (alert !== undefined && seen.at(-1) !== alert.state) seen.push(alert.state);
      return alert?.state === "firing";
    },
    60_000,
    () => `${alertname} never fired (seen: ${seen.join(" → ") || "nothing"})`,
  ).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}\n${await diagnose()}`);
  });
  return seen;
}

describe.each(SQL_ENGINES)("the generated alerts on a real Prometheus, on %s", (engine) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("go pending then firing for an always-failing consumer and a stuck projection", { timeout: 120_000 }, async () => {
    const store = await freshStore(engine);
    cleanup.push(store.drop);
    const impl = implementation(shop);
    const logger = shop.runtime.memoryLogger();
    const observability = shop.runtime.createObservability({ logger, codec: shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts }) });
    const app = await openShop(shop, store.url, { observability, metricsEndpoint: { port: 0 }, sampleEveryMs: 250, choreographies: { retry: { maxRetries: 1, backoff: { initialMs: 1, maxMs: 1 } } } }, impl);
    cleanup.push(() => app.close());
    // The mail server is down: the order-confirmation rule fails every attempt and dead-letters.
    shop.mailer.useMailTransport({ send: () => Promise.reject(new Error("the mail server is down")), contactOf: async () => undefined });
    const metricsUrl = app.metricsUrl;
    if (metricsUrl === undefined) throw new Error("no metrics endpoint");
    const prometheus = await startPrometheus(new URL(metricsUrl).host, shopRules());
    cleanup.push(() => prometheus.stop());
    app.start();

    // An OrderPlaced of a version no build knows: CustomerOrders stops at it (its lag grows).
    const poison = { messageId: "poison", type: "OrderPlaced", version: 99, correlationId: "poison", causationId: null, payload: { orderId: orderId(0x99) } };
    await app.store.append(`Ordering.Order-${orderId(0x99)}`, [poison], { kind: "no-stream" });
    // Orders keep coming, and each fails its notification.
    let n = 0;
    const traffic = setInterval(() => void app.send(placeOrder(orderId(++n), EMAIL)).catch(() => undefined), 300);
    cleanup.push(async () => clearInterval(traffic));

    const diagnose = async () => {
      const rules = await (await fetch(`${prometheus.url}/api/v1/rules`)).text();
      const page = await (await fetch(metricsUrl)).text();
      return `rules: ${rules}\nmetrics: ${page.split("\n").filter((l) => /^(eda|messaging)/.test(l) && !l.includes("_bucket")).join("\n")}`;
    };
    const watched = await Promise.all([
      watchAlert(prometheus, "EdaConsumerErrorRate", ["consumer", CONSUMER], diagnose),
      watchAlert(prometheus, "EdaDeadLetterQueueAccumulating", ["consumer", CONSUMER], diagnose),
      watchAlert(prometheus, "EdaProjectionLagOverSla", ["projection", PROJECTION], diagnose),
    ]);
    expect(watched).toEqual([
      ["pending", "firing"],
      ["pending", "firing"],
      ["pending", "firing"],
    ]);
    // Parked events fire at once (no "for"): the projection's stop and the workflow's parked copy.
    const parked = await watchAlert(prometheus, "EdaPoisonEventsParked", ["eda_runner", `projection:${PROJECTION}`], diagnose);
    expect(parked).toEqual(["firing"]);
    // The healthy rule of the same choreography stays quiet.
    const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    expect(body.data.alerts.filter((a) => a.labels["consumer"] === "CustomerNotifications.onShipmentScheduledSendSendShippingNotice")).toEqual([]);

    // The schema version mismatch is logged where the projection stopped: which type, which version.
    const parkedLog = logger.records.find((r) => r.event === "parked" && "runner" in r && r.runner === `projection:${PROJECTION}`);
    expect(parkedLog).toMatchObject({ level: "error", type: "OrderPlaced", version: 99, messageId: "poison", correlationId: "poison", blocking: true });
    expect(JSON.stringify(logger.records)).not.toContain(EMAIL);
    const page = await (await fetch(metricsUrl)).text();
    expect(page).toContain(`eda_dlq_depth{messaging_consumer_group_name="${CONSUMER}"}`);
    expect(page).not.toContain(EMAIL);
  });
});
