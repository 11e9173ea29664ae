/**
 * One fault test's world on one bus kind: a fresh broker namespace (a RabbitMQ vhost, a pair of
 * NATS streams reached through a TCP proxy the test can cut, or one in-memory bus), a temp
 * SQLite file, and what to clean up. The same fault tests run on every kind that can suffer
 * the fault: the in-memory bus has no connection to cut and no life beyond its process.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { createMemoryBus } from "../../../src/bus/memory-bus.js";
import { openBus, type OpenBusOptions } from "../../../src/bus/open-bus.js";
import type { Bus } from "../../../src/bus/types.js";
import { createTestStream, NATS_HOST } from "../../bus/support/nats.js";
import { createVhost } from "../../bus/support/rabbit.js";
import { startTcpProxy } from "../../bus/support/tcp-proxy.js";
import { wrapBus } from "../../bus/support/wrap.js";

/** The bus kinds the fault tests run on. */
export type BusKind = "memory" | "rabbitmq" | "nats";
/** Kinds with a broker in another process (connection cuts, child processes). */
export const BROKERS: readonly BusKind[] = ["rabbitmq", "nats"];
export const ALL_KINDS: readonly BusKind[] = ["memory", ...BROKERS];

/** Options every bus of a fault test gets: quick reconnects, and a short NATS ack wait so a dead consumer's messages come back soon. */
export const FAULT_BUS_OPTIONS: OpenBusOptions = { reconnect: { initialMs: 20, maxMs: 200 }, ackWaitMs: 1_000 };

/** A fault test's resources. */
export interface FaultWorld {
  readonly kind: BusKind;
  /** The URL children open (brokers only). */
  readonly busUrl: string;
  /** A SQLite file for the event store, shared by the test and its children. */
  readonly storeFile: string;
  /** True when the broker drops a message published again with the same id (NATS). */
  readonly dedupesPublishes: boolean;
  /** Opens a bus of this world (closed at dispose). */
  openBus(options?: OpenBusOptions): Promise<Bus>;
  /** Cuts every client connection of this world, from outside the client. */
  cutConnections(): Promise<void>;
  /** What the broker itself holds parked for `consumer`: durable, and how many. */
  parked(consumer: string): Promise<{ durable: boolean; messages: number }>;
  /** Registers a cleanup step (run in reverse order). */
  defer(step: () => Promise<unknown>): void;
  dispose(): Promise<void>;
}

interface Broker {
  readonly url: string;
  readonly dedupesPublishes: boolean;
  open(options: OpenBusOptions): Promise<Bus>;
  cut(): Promise<void>;
  parked(consumer: string): Promise<{ durable: boolean; messages: number }>;
  dispose(): Promise<void>;
}

/** Creates the world of one test on `kind`. */
export async function createWorld(kind: BusKind = "rabbitmq"): Promise<FaultWorld> {
  const broker = await startBroker(kind);
  const dir = mkdtempSync(join(tmpdir(), "eda-fault-bus-"));
  const steps: (() => Promise<unknown>)[] = [];
  const defer = (step: () => Promise<unknown>): void => void steps.push(step);
  return {
    kind,
    busUrl: broker.url,
    storeFile: join(dir, "events.db"),
    dedupesPublishes: broker.dedupesPublishes,
    openBus: async (options = {}) => {
      const bus = await broker.open({ ...FAULT_BUS_OPTIONS, ...options });
      defer(() => bus.close());
      return bus;
    },
    cutConnections: () => broker.cut(),
    parked: (consumer) => broker.parked(consumer),
    defer,
    dispose: async () => {
      for (const step of steps.reverse()) await step().catch(() => undefined);
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBroker(kind: BusKind): Promise<Broker> {
  if (kind === "rabbitmq") return rabbitBroker();
  if (kind === "nats") return natsBroker();
  const shared = createMemoryBus();
  return {
    url: "memory:",
    dedupesPublishes: false,
    // Every handle is the one bus (a second memory: URL would be another bus); closing a handle leaves it open.
    open: async () => wrapBus(shared, { close: async () => undefined }),
    cut: () => Promise.reject(new Error("the in-memory bus has no connection to cut")),
    parked: () => Promise.reject(new Error("the in-memory bus parks nothing beyond its process")),
    dispose: () => shared.close(),
  };
}

async function rabbitBroker(): Promise<Broker> {
  const vhost = await createVhost();
  return {
    url: vhost.url,
    dedupesPublishes: false,
    open: (options) => openBus(vhost.url, options),
    cut: () => vhost.cutConnections(),
    parked: async (consumer) => {
      const { stdout } = await promisify(execFile)("rabbitmqctl", ["--quiet", "list_queues", "-p", vhost.name, "name", "durable", "messages"]);
      const row = stdout.split("\n").map((line) => line.trim().split(/\s+/)).find((cells) => cells[0] === `${consumer}.dlq`);
      if (row === undefined) throw new Error(`no queue ${consumer}.dlq in ${vhost.name}`);
      return { durable: row[1] === "true", messages: Number(row[2]) };
    },
    dispose: () => vhost.dispose(),
  };
}

async function natsBroker(): Promise<Broker> {
  const stream = createTestStream();
  // Clients reach the server through a proxy: cutting it drops this test's connections only.
  const proxy = await startTcpProxy(NATS_HOST);
  const url = `nats://${proxy.address}/${stream.name}`;
  return {
    url,
    dedupesPublishes: true,
    open: (options) => openBus(url, options),
    cut: async () => proxy.sever(),
    parked: async (consumer) => {
      const nc = await connect({ servers: NATS_HOST });
      try {
        const subject = `${stream.name}.dlq.${consumer}`;
        const info = await (await jetstreamManager(nc)).streams.info(`${stream.name}_DLQ`, { subjects_filter: subject });
        return { durable: info.config.storage === "file", messages: info.state.subjects?.[subject] ?? 0 };
      } finally {
        await nc.close();
      }
    },
    dispose: async () => {
      await proxy.close();
      await stream.dispose();
    },
  };
}
