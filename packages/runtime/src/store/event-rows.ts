/** Mapping between SQL rows and envelopes, shared by the SQLite and PostgreSQL stores. */
import type { StoredEvent } from "../types.js";

/** The columns of `eda_events` as a driver returns them. */
export interface EventRow {
  readonly global_position: number | string;
  readonly stream: string;
  readonly position: number | string;
  readonly message_id: string;
  readonly type: string;
  readonly version: number;
  readonly time: string | Date;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly metadata: unknown;
  readonly payload: unknown;
}

/** The column list matching `EventRow`, for SELECTs. */
export const EVENT_COLUMNS =
  "global_position, stream, position, message_id, type, version, time, correlation_id, causation_id, metadata, payload";

/** Turns a row into an envelope; `parseJson` when the driver returns JSON columns as text. */
export function eventFromRow(row: EventRow, parseJson: boolean): StoredEvent {
  return {
    messageId: row.message_id,
    type: row.type,
    version: row.version,
    stream: row.stream,
    position: Number(row.position),
    globalPosition: Number(row.global_position),
    time: typeof row.time === "string" ? row.time : row.time.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    metadata: (parseJson ? JSON.parse(row.metadata as string) : row.metadata) as StoredEvent["metadata"],
    payload: parseJson ? (JSON.parse(row.payload as string) as unknown) : row.payload,
  };
}

/** The columns of `EVENT_COLUMNS` as an array (better-sqlite3's raw mode: no per-row object). */
export type RawEventRow = [
  globalPosition: number,
  stream: string,
  position: number,
  messageId: string,
  type: string,
  version: number,
  time: string,
  correlationId: string,
  causationId: string | null,
  metadata: string,
  payload: string,
];

/** Turns a raw SQLite row into an envelope. */
export function eventFromRaw(row: RawEventRow): StoredEvent {
  return {
    messageId: row[3],
    type: row[4],
    version: row[5],
    stream: row[1],
    position: row[2],
    globalPosition: row[0],
    time: row[6],
    correlationId: row[7],
    causationId: row[8],
    metadata: JSON.parse(row[9]) as StoredEvent["metadata"],
    payload: JSON.parse(row[10]) as unknown,
  };
}
