/**
 * RabbitMQ for tests: each test (or file) gets its own virtual host, created and deleted with
 * `rabbitmqctl` (the management plugin is not enabled on these machines), so tests never see
 * each other's queues and a connection cut only hits the test's own connections.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The broker the tests use. */
export const RABBIT_HOST = process.env["EDA_TEST_RABBIT_HOST"] ?? "127.0.0.1:5672";

/** A virtual host of one test. */
export interface TestVhost {
  readonly name: string;
  /** `amqp://guest:guest@host/<vhost>` */
  readonly url: string;
  /** Closes every client connection to this vhost from the server side. */
  cutConnections(): Promise<void>;
  /** Deletes the vhost and everything in it. */
  dispose(): Promise<void>;
}

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run("rabbitmqctl", ["--quiet", ...args], { timeout: 30_000 });
  return stdout;
}

/** Creates a fresh vhost with full permissions for guest. */
export async function createVhost(): Promise<TestVhost> {
  const name = `eda-test-${randomBytes(5).toString("hex")}`;
  await rabbitmqctl("add_vhost", name);
  await rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
  return {
    name,
    url: `amqp://guest:guest@${RABBIT_HOST}/${encodeURIComponent(name)}`,
    cutConnections: async () => void (await rabbitmqctl("close_all_connections", "--vhost", name, "eda fault test")),
    dispose: async () => void (await rabbitmqctl("delete_vhost", name)),
  };
}

/** Client connections open to a vhost right now, as the broker sees them. */
export async function connectionCount(vhost: string): Promise<number> {
  const out = await rabbitmqctl("list_connections", "vhost");
  return out.split("\n").filter((line) => line.trim() === vhost).length;
}

/** The type (`classic`, `quorum`) of each queue in a vhost, as the broker reports it. */
export async function queueTypes(vhost: string): Promise<Record<string, string>> {
  const out = await rabbitmqctl("list_queues", "-p", vhost, "name", "type");
  const types: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const [name, type] = line.trim().split(/\s+/);
    if (name !== undefined && type !== undefined && name !== "name") types[name] = type;
  }
  return types;
}
