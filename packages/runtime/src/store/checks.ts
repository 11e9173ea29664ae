/** Argument and version checks shared by every store. */
import { WrongExpectedVersionError, type ExpectedVersion } from "../types.js";

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
