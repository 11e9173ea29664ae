/**
 * Mapping between SQL rows and envelopes, shared by the SQLite and PostgreSQL stores. A stored
 * column that is not JSON (a row edited by hand) does not stop the reader: the envelope carries
 * a marker instead of its payload, and `deserialize` refuses that one event (`invalid-json`).
 */
import { unparsableJson } from "../codec/unparsable.js";
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
    ...(parseJson ? columns(row.metadata as string, row.payload as string) : { metadata: row.metadata as StoredEvent["metadata"], payload: row.payload }),
  };
}

/** Parses the metadata and payload columns; a column that is not JSON becomes the marker. */
function columns(metadata: string, payload: string): Pick<StoredEvent, "metadata" | "payload"> {
  let parsedMetadata: StoredEvent["metadata"];
  try {
    parsedMetadata = JSON.parse(metadata) as StoredEvent["metadata"];
  } catch (error) {
    return { metadata: {}, payload: unparsableJson("metadata", error) };
  }
  try {
    return { metadata: parsedMetadata, payload: JSON.parse(payload) as unknown };
  } catch (error) {
    return { metadata: parsedMetadata, payload: unparsableJson("payload", error) };
  }
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
    ...columns(row[9], row[10]),
  };
}
