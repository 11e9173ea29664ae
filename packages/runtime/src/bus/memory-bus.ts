/**
 * The in-memory bus: the embedded default and the bus of most tests. It follows the RabbitMQ
 * bus's semantics closely — a queue per consumer created by its first subscription, bindings
 * by event type, prefetch, requeue at the original place, a dead-letter list per consumer —
 * so that code tested here behaves the same on a broker. Messages live as long as the bus.
 */
import type { StoredEvent } from "../types.js";
import { reasonHeaders, withoutReason } from "./envelope-wire.js";
import {
  PublishError,
  type Bus,
  type BusMessage,
  type DeadLetter,
  type FailureReason,
  type Headers,
  type MessageHandler,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from "./types.js";

const DEFAULT_PREFETCH = 32;

interface Queued {
  readonly seq: number;
  readonly envelope: StoredEvent;
  readonly headers: Headers;
  deliveries: number;
}

interface Active {
  readonly handler: MessageHandler;
  readonly prefetch: number;
  closed: boolean;
}

class MemoryQueue {
  readonly types = new Set<string>();
  all = false;
  readonly pending: Queued[] = [];
  readonly inFlight = new Map<number, Queued>();
  readonly dead: DeadLetter[] = [];
  active: Active | null = null;
  scheduled = false;

  constructor(readonly consumer: string) {}

  bind(types: readonly string[] | "all"): void {
    if (types === "all") this.all = true;
    else for (const type of types) this.types.add(type);
  }

  matches(type: string): boolean {
    return this.all || this.types.has(type);
  }

  /** Puts a message back in `seq` order, as a broker requeues at the original place. */
  requeue(message: Queued): void {
    const at = this.pending.findIndex((m) => m.seq > message.seq);
    if (at === -1) this.pending.push(message);
    else this.pending.splice(at, 0, message);
  }
}

/** Creates an in-memory bus. */
export function createMemoryBus(): Bus {
  return new MemoryBus();
}

class MemoryBus implements Bus {
  readonly url = "memory:";
  readonly #queues = new Map<string, MemoryQueue>();
  #seq = 0;
  #closed = false;

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new PublishError(`the bus ${this.url} is closed`, 0);
    for (const message of messages) {
      // A JSON round trip gives consumers what a broker would: a copy, with JSON's types.
      const envelope = JSON.parse(JSON.stringify(message.envelope)) as StoredEvent;
      const headers = { ...message.headers };
      for (const queue of this.#queues.values()) {
        if (!queue.matches(envelope.type)) continue;
        queue.pending.push({ seq: this.#seq++, envelope, headers, deliveries: 0 });
        this.#schedule(queue);
      }
    }
  }

  async subscribe(consumer: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw new Error(`the bus ${this.url} is closed`);
    const queue = this.#queue(consumer);
    if (queue.active !== null) throw new Error(`consumer "${consumer}" already has an active subscription`);
    queue.bind(options.types ?? "all");
    const active: Active = { handler, prefetch: options.prefetch ?? DEFAULT_PREFETCH, closed: false };
    queue.active = active;
    this.#schedule(queue);
    return { consumer, close: async () => this.#unsubscribe(queue, active) };
  }

  async peekDeadLetters(consumer: string, limit = Number.POSITIVE_INFINITY): Promise<DeadLetter[]> {
    return (this.#queues.get(consumer)?.dead ?? []).slice(0, limit);
  }

  async deadLetterDepth(consumer: string): Promise<number> {
    return this.#queues.get(consumer)?.dead.length ?? 0;
  }

  async replayDeadLetters(consumer: string, options: { readonly limit?: number } = {}): Promise<number> {
    const queue = this.#queues.get(consumer);
    if (queue === undefined) return 0;
    const taken = queue.dead.splice(0, options.limit ?? queue.dead.length);
    taken.sort((a, b) => a.envelope.globalPosition - b.envelope.globalPosition);
    for (const letter of taken) {
      queue.pending.push({ seq: this.#seq++, envelope: letter.envelope, headers: withoutReason(letter.headers), deliveries: 0 });
    }
    this.#schedule(queue);
    return taken.length;
  }

  async discardDeadLetters(consumer: string, options: { readonly messageId?: string } = {}): Promise<number> {
    const queue = this.#queues.get(consumer);
    if (queue === undefined) return 0;
    const kept = queue.dead.filter((letter) => options.messageId !== undefined && letter.envelope.messageId !== options.messageId);
    const dropped = queue.dead.length - kept.length;
    queue.dead.splice(0, queue.dead.length, ...kept);
    return dropped;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      if (queue.active !== null) this.#unsubscribe(queue, queue.active);
    }
  }

  #queue(consumer: string): MemoryQueue {
    let queue = this.#queues.get(consumer);
    if (queue === undefined) {
      queue = new MemoryQueue(consumer);
      this.#queues.set(consumer, queue);
    }
    return queue;
  }

  #unsubscribe(queue: MemoryQueue, active: Active): void {
    if (active.closed) return;
    active.closed = true;
    if (queue.active === active) queue.active = null;
    for (const message of queue.inFlight.values()) queue.requeue(message);
    queue.inFlight.clear();
  }

  /** Delivers on a later turn of the event loop, so a publisher never runs handlers inline. */
  #schedule(queue: MemoryQueue): void {
    if (queue.scheduled) return;
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      this.#deliver(queue);
    });
  }

  #deliver(queue: MemoryQueue): void {
    const active = queue.active;
    if (active === null) return;
    while (queue.inFlight.size < active.prefetch) {
      const next = queue.pending.shift();
      if (next === undefined) return;
      queue.inFlight.set(next.seq, next);
      const message = this.#message(queue, active, next);
      next.deliveries += 1;
      // A handler that throws without settling returns the message, as a dying consumer would.
      Promise.resolve()
        .then(() => active.handler(message))
        .catch(() => message.nack());
    }
  }

  #message(queue: MemoryQueue, active: Active, queued: Queued): BusMessage {
    let settled = false;
    const settle = (requeue: boolean): boolean => {
      if (settled || active.closed) return false;
      settled = true;
      queue.inFlight.delete(queued.seq);
      if (requeue) queue.requeue(queued);
      this.#schedule(queue);
      return true;
    };
    return {
      envelope: queued.envelope,
      headers: queued.headers,
      redelivered: queued.deliveries > 0,
      get stale() {
        return active.closed;
      },
      ack: async () => void settle(false),
      nack: async () => void settle(true),
      deadLetter: async (reason: FailureReason) => {
        if (settled || active.closed) throw new Error("this delivery was settled or returned to the queue already");
        // The reason travels in headers too, as on a broker's dead-letter queue.
        const headers = reasonHeaders(queue.consumer, queued.headers, reason);
        queue.dead.push({ consumer: queue.consumer, envelope: queued.envelope, headers, reason });
        settle(false);
      },
    };
  }
}
