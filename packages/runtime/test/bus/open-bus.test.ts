import { describe, expect, it } from "vitest";
import { openBus } from "../../src/bus/open-bus.js";
import { BusUnavailableError } from "../../src/bus/types.js";
import { EngineUrlError } from "../../src/engine/store-url.js";
import { RABBIT_HOST } from "./support/rabbit.js";

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
    expect(String(error)).toMatch(/redis:\/\/127\.0\.0\.1:6379.*memory:, amqp:\/\/…, amqps:\/\/…/);
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
});
