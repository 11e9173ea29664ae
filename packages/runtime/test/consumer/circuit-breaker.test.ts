import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError, type CircuitState } from "../../src/consumer/circuit-breaker.js";

function setup(options: { failureThreshold?: number; cooldownMs?: number; isFailure?: (e: unknown) => boolean } = {}) {
  const clock = { now: 1_000 };
  const states: CircuitState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: options.failureThreshold ?? 3,
    cooldownMs: options.cooldownMs ?? 500,
    clock: () => clock.now,
    name: "mail",
    onStateChange: (s) => void states.push(s),
    ...(options.isFailure === undefined ? {} : { isFailure: options.isFailure }),
  });
  let calls = 0;
  const fail = () => breaker.execute(async () => { calls += 1; throw new Error("down"); });
  const succeed = () => breaker.execute(async () => { calls += 1; return "ok"; });
  return { breaker, clock, states, fail, succeed, calls: () => calls };
}

describe("circuit breaker", () => {
  it("opens after N consecutive failures and then rejects fast without calling", async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await expect(t.fail()).rejects.toThrow("down");
    expect(t.breaker.state).toBe("open");
    const error = await t.succeed().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).retryAt).toBe(1_500);
    expect(String(error)).toMatch(/circuit "mail" is open/);
    expect(t.calls()).toBe(3);
  });

  it("counts consecutive failures only: a success in between resets the count", async () => {
    const t = setup();
    await expect(t.fail()).rejects.toThrow();
    await expect(t.fail()).rejects.toThrow();
    await t.succeed();
    await expect(t.fail()).rejects.toThrow();
    await expect(t.fail()).rejects.toThrow();
    expect(t.breaker.state).toBe("closed");
  });

  it("half-opens after the cool-down, lets exactly one probe through, and closes on its success", async () => {
    const t = setup({ failureThreshold: 1 });
    await expect(t.fail()).rejects.toThrow();
    t.clock.now = 1_499;
    expect(t.breaker.state).toBe("open");
    t.clock.now = 1_500;
    expect(t.breaker.state).toBe("half-open");
    let release!: () => void;
    const probe = t.breaker.execute(() => new Promise<string>((resolve) => (release = () => resolve("probed"))));
    // While the probe is out, other calls are still rejected.
    await expect(t.succeed()).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    expect(await probe).toBe("probed");
    expect(t.breaker.state).toBe("closed");
    expect(await t.succeed()).toBe("ok");
    expect(t.states).toEqual(["open", "half-open", "closed"]);
  });

  it("re-opens for another cool-down when the probe fails", async () => {
    const t = setup({ failureThreshold: 2 });
    await expect(t.fail()).rejects.toThrow();
    await expect(t.fail()).rejects.toThrow();
    t.clock.now = 1_600;
    await expect(t.fail()).rejects.toThrow("down");
    expect(t.breaker.state).toBe("open");
    const error = (await t.succeed().catch((e: unknown) => e)) as CircuitOpenError;
    expect(error.retryAt).toBe(2_100);
    expect(t.states).toEqual(["open", "half-open", "open"]);
  });

  it("ignores errors that isFailure says are not the downstream's fault", async () => {
    const t = setup({ failureThreshold: 1, isFailure: (e) => !(e instanceof RangeError) });
    await expect(t.breaker.execute(async () => { throw new RangeError("bad input"); })).rejects.toThrow("bad input");
    expect(t.breaker.state).toBe("closed");
  });

  it("rejects nonsense options", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, cooldownMs: 1 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ failureThreshold: 1, cooldownMs: -1 })).toThrow(RangeError);
  });
});
