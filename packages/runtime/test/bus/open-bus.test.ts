import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { BusUnavailableError } from "../../src/bus/types.js";
import { EngineUrlError } from "../../src/engine/store-url.js";
import { NATS_HOST } from "./support/nats.js";
import { RABBIT_HOST } from "./support/rabbit.js";

const children = join(dirname(fileURLToPath(import.meta.url)), "children");

/** Opens `url` in a fresh Node process (optionally with the NATS packages hidden) and returns its one-line report. */
async function openInChild(url: string, hideNats: boolean): Promise<{ ok?: string; name?: string; message?: string }> {
  const hooks = hideNats ? ["--import", join(children, "hide-nats.mjs")] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [...hooks, "--import", "tsx", join(children, "open-bus-child.ts"), url], {
    cwd: join(children, "..", "..", ".."),
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim()) as { ok?: string; name?: string; message?: string };
}

describe("openBus", () => {
  it("opens the in-memory bus for memory: and by default", async () => {
    const explicit = await openBus("memory:");
    const fallback = await openBus(undefined, { env: {} });
    expect(explicit.url).toBe("memory:");
    expect(fallback.url).toBe("memory:");
    await explicit.close();
    await fallback.close();
  });

  it("reads EDA_BUS when code names no URL", async () => {
    await expect(openBus(undefined, { env: { EDA_BUS: "kafka://x" } })).rejects.toThrow(/kafka:\/\/x/);
  });

  it("rejects an unsupported scheme, naming the URL and the accepted ones", async () => {
    const error = await openBus("redis://127.0.0.1:6379").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUrlError);
    expect(String(error)).toMatch(/redis:\/\/127\.0\.0\.1:6379.*memory:, amqp:\/\/…, amqps:\/\/…, nats:\/\/…/);
  });

  it("fails at start, naming the URL with its password masked, when nothing listens", async () => {
    const error = await openBus("amqp://guest:secret@127.0.0.1:1/", { connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect(String(error)).toContain("amqp://guest:***@127.0.0.1:1/");
    expect(String(error)).not.toContain("secret");
    expect(String(error)).toMatch(/is RabbitMQ running/);
  });

  it("fails at start when the broker refuses the login", async () => {
    const error = await openBus(`amqp://guest:wrong-password@${RABBIT_HOST}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect(String(error)).toMatch(/refused the login/);
  });

  it("fails at start when the virtual host does not exist", async () => {
    const error = await openBus(`amqp://guest:guest@${RABBIT_HOST}/no-such-vhost-eda`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect(String(error)).toContain("no-such-vhost-eda");
    expect(String(error)).toMatch(/virtual host does not exist/);
  });

  it("opens NATS JetStream for nats:// only when its client packages are installed, naming what to install otherwise", async () => {
    const url = `nats://${NATS_HOST}/eda_test_missing_driver`;
    const hidden = await openInChild(url, true);
    expect(hidden.name).toBe("MissingDriverError");
    expect(hidden.message).toContain("the NATS bus (nats://…) needs @nats-io/transport-node and @nats-io/jetstream");
    expect(hidden.message).toContain("npm install @nats-io/transport-node @nats-io/jetstream");
    // Only nats:// loads them: without them, the memory bus still opens.
    expect(await openInChild("memory:", true)).toEqual({ ok: "memory:" });
  });

  it("fails at start for NATS, naming the URL with its password masked, when nothing listens", async () => {
    const error = await openBus("nats://app:secret@127.0.0.1:1,127.0.0.1:2/ORDERS", { connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect(String(error)).toContain("nats://app:***@127.0.0.1:1,127.0.0.1:2/ORDERS");
    expect(String(error)).toMatch(/is the NATS server running\?/);
    expect(String(error)).not.toContain("secret");
  });

  it("rejects a NATS stream name JetStream cannot take, and a broken address list", async () => {
    await expect(openBus(`nats://${NATS_HOST}/orders.v2`)).rejects.toThrow(/stream name "orders\.v2" may hold only letters, digits/);
    const error = await openBus("nats://u:secret@host1:4222,,host2/S").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUrlError);
    expect(String(error)).toMatch(/an address in the host list is empty/);
    expect(String(error)).not.toContain("secret");
  });
});
