/**
 * Bus throughput: the built runtime's buses on the services of this machine, in one process,
 * so every figure shares one machine state. For each bus it publishes N events in batches of
 * 100 (as the relay does: each batch waits for the broker's confirms) and then consumes them
 * with the default prefetch, acking each; rounds are interleaved across the buses and the
 * median is kept. RabbitMQ with classic queues is the baseline the others are given against.
 *
 * Each RabbitMQ run gets a vhost of its own (rabbitmqctl), each NATS run streams of its own;
 * all are deleted afterwards. A bus whose service is not running is reported as not run.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "../lib/measure.mjs";

const BATCH = 100;
const TYPES = ["OrderPlaced", "PaymentCaptured", "ShipmentScheduled"];

/** @type {import("../run.mjs").Suite} */
export const busSuite = {
  id: "bus",
  title: "Buses: publish and consume throughput (memory, RabbitMQ classic and quorum queues, NATS JetStream)",
  async run(env) {
    const runtimeDir = path.join(env.root, "packages/runtime");
    const { openBus } = await import(pathToFileURL(path.join(runtimeDir, "dist/index.js")).href);
    const messages = env.quick ? 1_000 : 5_000;
    const rounds = env.quick ? 1 : 3;
    const kinds = await availableKinds(env, runtimeDir);
    const samples = Object.fromEntries(kinds.map((k) => [k.id, { publish: [], consume: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) {
        env.log(`bus ${kind.id}, round ${round + 1}/${rounds} …`);
        const figures = await measureOnce(openBus, kind, messages);
        samples[kind.id].publish.push(figures.publish);
        samples[kind.id].consume.push(figures.consume);
      }
    }
    return report(kinds, samples, messages, rounds);
  },
};

/** One publish-then-consume run of `n` messages on a fresh namespace of `kind`. */
async function measureOnce(openBus, kind, n) {
  const space = await kind.create();
  const bus = await openBus(space.url, kind.options);
  try {
    const consumer = "bench";
    await (await bus.subscribe(consumer, async (m) => m.ack())).close();
    const events = Array.from({ length: n }, (_, i) => envelope(i));
    const publishStart = performance.now();
    for (let i = 0; i < n; i += BATCH) await bus.publish(events.slice(i, i + BATCH).map((envelope) => ({ envelope })));
    const publishMs = performance.now() - publishStart;
    let received = 0;
    let done;
    const all = new Promise((resolve) => (done = resolve));
    const consumeStart = performance.now();
    const subscription = await bus.subscribe(consumer, async (m) => {
      await m.ack();
      if (++received === n) done();
    });
    await all;
    const consumeMs = performance.now() - consumeStart;
    await subscription.close();
    return { publish: (n / publishMs) * 1000, consume: (n / consumeMs) * 1000 };
  } finally {
    await bus.close();
    await space.dispose();
  }
}

function envelope(i) {
  const stream = `order-${i % 50}`;
  return {
    messageId: randomUUID(),
    type: TYPES[i % TYPES.length],
    version: 1,
    stream,
    position: Math.floor(i / 50),
    globalPosition: i + 1,
    time: new Date().toISOString(),
    correlationId: `corr-${stream}`,
    causationId: null,
    metadata: {},
    payload: { orderId: stream, lines: [{ sku: "SKU-1", quantity: 2, price: "19.90" }], note: "x".repeat(200) },
  };
}

async function availableKinds(env, runtimeDir) {
  const kinds = [{ id: "memory", label: "memory", options: {}, create: async () => ({ url: "memory:", dispose: async () => undefined }) }];
  if (rabbitRunning()) {
    kinds.push({ id: "rabbit-classic", label: "RabbitMQ, classic queues", options: { queueType: "classic" }, create: rabbitVhost });
    kinds.push({ id: "rabbit-quorum", label: "RabbitMQ, quorum queues", options: { queueType: "quorum" }, create: rabbitVhost });
  } else env.log("RabbitMQ is not running: its rows are not measured");
  const nats = await natsAdmin(runtimeDir).catch(() => null);
  if (nats) kinds.push({ id: "nats", label: "NATS JetStream", options: {}, create: () => natsStreams(nats) });
  else env.log("NATS JetStream is not reachable at 127.0.0.1:4222: its rows are not measured");
  return kinds;
}

function rabbitRunning() {
  try {
    execFileSync("rabbitmqctl", ["--quiet", "status"], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function rabbitVhost() {
  const name = `eda-bench-${randomBytes(4).toString("hex")}`;
  const ctl = (...args) => execFileSync("rabbitmqctl", ["--quiet", ...args], { stdio: "ignore", timeout: 30_000 });
  ctl("add_vhost", name);
  ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
  return { url: `amqp://guest:guest@127.0.0.1:5672/${name}`, dispose: async () => ctl("delete_vhost", name) };
}

/** The NATS client from the runtime's own dependencies, for creating and deleting bench streams. */
async function natsAdmin(runtimeDir) {
  const require = createRequire(path.join(runtimeDir, "package.json"));
  const { connect } = await import(pathToFileURL(require.resolve("@nats-io/transport-node")).href);
  const { jetstreamManager } = await import(pathToFileURL(require.resolve("@nats-io/jetstream")).href);
  const nc = await connect({ servers: "127.0.0.1:4222", timeout: 2_000 });
  await nc.close();
  return { connect, jetstreamManager };
}

async function natsStreams({ connect, jetstreamManager }) {
  const name = `eda_bench_${randomBytes(4).toString("hex")}`;
  return {
    url: `nats://127.0.0.1:4222/${name}`,
    dispose: async () => {
      const nc = await connect({ servers: "127.0.0.1:4222" });
      const jsm = await jetstreamManager(nc);
      for (const stream of [name, `${name}_DLQ`]) await jsm.streams.delete(stream).catch(() => false);
      await nc.close();
    },
  };
}

function report(kinds, samples, messages, rounds) {
  const base = samples["rabbit-classic"];
  const baseline = base ? { publish: median(base.publish), consume: median(base.consume) } : null;
  const rows = [];
  for (const kind of kinds) {
    for (const phase of ["publish", "consume"]) {
      const rate = median(samples[kind.id][phase]);
      const ratio = baseline && kind.id !== "rabbit-classic" ? ` (${(rate / baseline[phase]).toFixed(2)}× RabbitMQ classic)` : kind.id === "rabbit-classic" ? " (baseline)" : "";
      const what = phase === "publish" ? `publish, confirmed batches of ${BATCH}` : "consume, prefetch 32, ack each";
      rows.push({ benchmark: `${kind.label}: ${what}`, figure: `${Math.round(rate).toLocaleString("en")} msg/s${ratio}` });
    }
  }
  const notes = [`${messages} events of ~450 bytes per run, median of ${rounds} interleaved rounds; RabbitMQ and NATS on this machine, one node each, file storage.`];
  return { rows, notes, data: { messages, rounds, samples } };
}
