/** Projections in tests: events folded into rows in memory, as the projection runner would. */
import type { Projection } from "../projection/projection.js";
import type { StoredEvent } from "../types.js";
import { frozen } from "./frozen.js";
import type { Message } from "./scenarios.js";

/**
 * Folds events into the rows of a projection in memory, as the projection runner would, and
 * returns the rows by key. Envelopes are synthetic: position `i`, time `at` (default the epoch).
 */
export function projectRows<E extends Message, Row>(projection: Projection<E, Row>, events: readonly E[], at = "1970-01-01T00:00:00.000Z"): Map<string, Row> {
  const rows = new Map<string, Row>();
  events.forEach((event, i) => {
    const key = projection.keyOf(frozen(event));
    if (key === undefined) return;
    const row = rows.get(key) ?? projection.initialRow(key);
    const next = projection.apply(frozen(row), frozen(event), envelope(event, i, at));
    if (next === null) rows.delete(key);
    else rows.set(key, next);
  });
  return rows;
}

function envelope(event: Message, i: number, time: string): StoredEvent {
  return {
    messageId: `test-${i + 1}`,
    type: event.type,
    version: 1,
    stream: "test",
    position: i,
    globalPosition: i + 1,
    time,
    correlationId: "test",
    causationId: null,
    metadata: {},
    payload: event.data,
  };
}
