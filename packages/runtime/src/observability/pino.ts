/**
 * A `Logger` that writes through pino, for applications that already log with it: each record
 * becomes one pino line at its level, the record's fields at the top level (so `event`,
 * `correlationId`, `type` and `version` are queryable as they are in `jsonLogger`'s lines) and
 * a short message. No dependency: any object with pino's `info`/`warn`/`error` methods will do.
 */
import type { LogRecord, Logger } from "./logger.js";

/** The part of a pino logger this adapter calls. */
export interface PinoLike {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A `Logger` writing to `pino` (or a child of it, e.g. `logger.child({ component: "eda" })`). */
export function pinoLogger(pino: PinoLike): Logger {
  return {
    log(record: LogRecord) {
      // pino writes its own `level` and `time`; the record's stay out to keep the line unambiguous.
      const { level, time: _time, ...fields } = record;
      pino[level](fields, messageOf(record));
    },
  };
}

function messageOf(record: LogRecord): string {
  if ("message" in record) return record.message;
  const where = record.consumer ?? record.runner;
  return `${record.event} ${record.type} v${record.version}${where === undefined ? "" : ` (${where})`}`;
}
