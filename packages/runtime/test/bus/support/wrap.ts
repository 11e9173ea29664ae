/** A bus that forwards to another, with some methods replaced (for fault injection). */
import type { Bus } from "../../../src/bus/types.js";

/** Forwards every call to `inner` except those in `overrides`. */
export function wrapBus(inner: Bus, overrides: Partial<Bus>): Bus {
  return {
    url: inner.url,
    publish: (messages) => inner.publish(messages),
    subscribe: (consumer, handler, options) => inner.subscribe(consumer, handler, options),
    peekDeadLetters: (consumer, limit) => inner.peekDeadLetters(consumer, limit),
    deadLetterDepth: (consumer) => inner.deadLetterDepth(consumer),
    replayDeadLetters: (consumer, options) => inner.replayDeadLetters(consumer, options),
    discardDeadLetters: (consumer, options) => inner.discardDeadLetters(consumer, options),
    close: () => inner.close(),
    ...overrides,
  };
}
