/**
 * Which store errors are worth trying again: the connection went away (a failover, a restarted
 * server, a terminated backend), the server is not accepting connections yet, or the database
 * was busy. Everything else — a constraint, a bad query, a value the database refuses — fails
 * the same way every time and is reported at once.
 */

/** PostgreSQL SQLSTATEs that mean "the connection or the server, not the request". */
const PG_TRANSIENT = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, in recovery
  "53300", // too_many_connections
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);

const NODE_TRANSIENT = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

const MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
  /terminating connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i,
];

/** Whether `error` (or its cause) is a lost connection or a busy database rather than a bad request. */
export function isTransientStoreError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (code.startsWith("08") && code.length === 5) return true; // connection_exception class
      if (PG_TRANSIENT.has(code) || NODE_TRANSIENT.has(code)) return true;
      if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return true;
    }
    const message = e instanceof Error ? e.message : "";
    if (MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}

/** Whether the server refused the connection or did not answer (nothing listens, wrong host). */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return ["ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"].includes(String(code)) || /timeout exceeded when trying to connect/i.test(message);
}
