/** Envelopes for bus, relay and consumer tests. */
import { randomUUID } from "node:crypto";
import type { StoredEvent } from "../../../src/types.js";

let global = 0;

/** A stored event of `stream` at `position`, with a fresh message id and a rising global position. */
export function envelope(stream: string, position: number, type = "ThingHappened", payload: unknown = {}): StoredEvent {
  global += 1;
  return {
    messageId: randomUUID(),
    type,
    version: 1,
    stream,
    position,
    globalPosition: global,
    time: new Date().toISOString(),
    correlationId: `corr-${stream}`,
    causationId: null,
    metadata: {},
    payload: { stream, position, ...(payload as object) },
  };
}

/** `count` events of each stream, interleaved: s0#0, s1#0, s0#1, s1#1, … */
export function interleaved(streams: readonly string[], count: number, type?: string): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let position = 0; position < count; position++) {
    for (const stream of streams) out.push(envelope(stream, position, type));
  }
  return out;
}
