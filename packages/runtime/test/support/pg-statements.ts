/**
 * Records the text of every statement `pg` clients send from the call on, in the array returned
 * (empty it with `length = 0`); `vi.restoreAllMocks()` stops the recording.
 */
import pg from "pg";
import { vi } from "vitest";

export function recordStatements(): string[] {
  const statements: string[] = [];
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const text = args[0];
    statements.push(typeof text === "string" ? text : (text as { text: string }).text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query);
  return statements;
}
