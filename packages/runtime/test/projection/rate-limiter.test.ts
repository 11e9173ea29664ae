/** The rate limiter, on a fake clock: which pauses it asks for. */
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/projection/rate-limiter.js";

describe("RateLimiter", () => {
  it("asks for the pauses that keep the rate under the limit", async () => {
    let now = 1_000;
    const pauses: number[] = [];
    const limiter = new RateLimiter(100, () => now, async (ms) => {
      pauses.push(ms);
      now += ms;
    });
    expect(limiter.batchSize(500)).toBe(100);
    await limiter.consume(50);
    now += 100;
    await limiter.consume(50);
    now += 900;
    await limiter.consume(50);
    expect(pauses).toEqual([500, 400]);
  });

  it("does not pause without a limit, and refuses a limit that is not positive", async () => {
    const pauses: number[] = [];
    const limiter = new RateLimiter(undefined, () => 0, async (ms) => void pauses.push(ms));
    await limiter.consume(1_000_000);
    expect(limiter.batchSize(500)).toBe(500);
    expect(pauses).toEqual([]);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
    expect(new RateLimiter(0.5).batchSize(500)).toBe(1);
  });
});
