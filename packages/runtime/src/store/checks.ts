/** Argument and version checks shared by every store. */
import { findNul, formatPath } from "../codec/issues.js";
import { WrongExpectedVersionError, type ExpectedVersion } from "../types.js";

/**
 * A row no store can keep the same way: it holds U+0000, which PostgreSQL's `jsonb` refuses and
 * SQLite would keep. Every engine refuses it alike, so a projection behaves the same on each.
 */
export class UnstorableRowError extends Error {
  override readonly name = "UnstorableRowError";
  constructor(
    readonly table: string,
    readonly key: string,
    readonly path: readonly (string | number)[],
  ) {
    super(`the row ${JSON.stringify(key)} of ${JSON.stringify(table)} holds the character U+0000 at ${formatPath(path)}, which no store keeps the same way`);
  }
}

/**
 * The JSON text of a row to store; throws `UnstorableRowError` for a row (or, with `checkKey`, a
 * key) holding U+0000. The in-memory store's own tables use U+0000 in keys as a separator.
 */
export function rowJson(table: string, key: string, row: unknown, checkKey = true): string {
  const json = JSON.stringify(row);
  // JSON writes U+0000 as \u0000; look for where only when it may be there.
  const nul = checkKey && key.includes("\u0000") ? [] : json.includes("\\u0000") ? findNul(row) : undefined;
  if (nul !== undefined) throw new UnstorableRowError(table, key, nul);
  return json;
}

/**
 * Throws `WrongExpectedVersionError` unless `actual` (null = no stream) satisfies `expected`.
 * `exact` −1 matches a stream with no events, as `lastPosition` −1 reports one.
 */
export function checkExpected(stream: string, expected: ExpectedVersion, actual: number | null): void {
  const ok =
    expected.kind === "any" ||
    (expected.kind === "no-stream" && actual === null) ||
    (expected.kind === "exact" && (actual ?? -1) === expected.position);
  if (!ok) throw new WrongExpectedVersionError(stream, expected, actual);
}

/** Rejects a batch size or limit that is not a positive integer (a bug in the caller). */
export function checkPositive(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/** Rejects an empty stream name (a bug in the caller). */
export function checkStream(stream: string): void {
  if (stream.length === 0) throw new RangeError("stream name must not be empty");
}
