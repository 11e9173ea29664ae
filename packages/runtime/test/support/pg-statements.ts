/**
 * Records the text of every statement `pg` clients send from the call on, in the array returned
 * (empty it with `length = 0`); `vi.restoreAllMocks()` stops the recording. A NOTIFY
 * (postgres-announce.ts) is recorded with the position it announces after its text.
 */
import pg from "pg";
import { vi } from "vitest";

export function recordStatements(): string[] {
  const statements: string[] = [];
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const text = args[0];
    const config = text as { text: string; values?: unknown[] };
    statements.push(typeof text === "string" ? text : config.text.includes("pg_notify") ? `${config.text} ${String(config.values?.[1])}` : config.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query);
  return statements;
}
