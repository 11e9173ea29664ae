/**
 * A circuit breaker around a downstream call (a mail service, a payment provider). After
 * `failureThreshold` consecutive failures it opens and rejects calls at once with
 * `CircuitOpenError`, so a failing service is not hammered and callers do not pile up behind
 * its timeouts. After `cooldownMs` it half-opens and lets one probe call through: success
 * closes it, failure opens it for another cool-down. A consumer that meets `CircuitOpenError`
 * waits for `retryAt` without spending a retry (see consumer.ts).
 */

/** The breaker's state. */
export type CircuitState = "closed" | "open" | "half-open";

/** Options of a circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (at least 1). */
  readonly failureThreshold: number;
  /** How long the circuit stays open before a probe, in ms. */
  readonly cooldownMs: number;
  /** Milliseconds since the epoch; injectable for tests (default `Date.now`). */
  readonly clock?: () => number;
  /** Names the downstream in errors. */
  readonly name?: string;
  /** Which errors count as failures (default: all). Others pass through and count as success. */
  readonly isFailure?: (error: unknown) => boolean;
  readonly onStateChange?: (state: CircuitState) => void;
}

/** Thrown instead of calling the downstream while the circuit is open. */
export class CircuitOpenError extends Error {
  override readonly name = "CircuitOpenError";
  constructor(
    readonly breaker: string,
    /** When (ms since the epoch) a call may go through again. */
    readonly retryAt: number,
  ) {
    super(`the circuit "${breaker}" is open: calls are rejected until ${new Date(retryAt).toISOString()}`);
  }
}

/** A circuit breaker; one per downstream, shared by every caller of it. */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | null = null;
  #probing = false;
  #reported: CircuitState = "closed";
  readonly #clock: () => number;
  readonly #name: string;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError("failureThreshold must be at least 1");
    if (!(options.cooldownMs >= 0)) throw new RangeError("cooldownMs must not be negative");
    this.#clock = options.clock ?? Date.now;
    this.#name = options.name ?? "downstream";
  }

  /** The state now (an open circuit whose cool-down has passed reads as half-open). */
  get state(): CircuitState {
    if (this.#openedAt === null) return "closed";
    if (this.#probing || this.#clock() >= this.#retryAt()) return "half-open";
    return "open";
  }

  /** Calls `fn` unless the circuit is open; records the outcome. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const probe = this.#admit();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (probe) this.#probing = false;
      if (this.options.isFailure?.(error) === false) this.#succeeded();
      else this.#failed();
      throw error;
    }
    if (probe) this.#probing = false;
    this.#succeeded();
    return result;
  }

  /** Lets a call through or throws; returns true when the call is the half-open probe. */
  #admit(): boolean {
    if (this.#openedAt === null) return false;
    if (this.#probing) throw new CircuitOpenError(this.#name, this.#clock());
    if (this.#clock() < this.#retryAt()) throw new CircuitOpenError(this.#name, this.#retryAt());
    this.#probing = true;
    this.#report();
    return true;
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#report();
  }

  #failed(): void {
    this.#failures += 1;
    if (this.#openedAt !== null || this.#failures >= this.options.failureThreshold) {
      this.#openedAt = this.#clock();
    }
    this.#report();
  }

  #retryAt(): number {
    return (this.#openedAt ?? 0) + this.options.cooldownMs;
  }

  #report(): void {
    const state = this.#probing ? "half-open" : this.#openedAt === null ? "closed" : "open";
    if (state === this.#reported) return;
    this.#reported = state;
    this.options.onStateChange?.(state);
  }
}
