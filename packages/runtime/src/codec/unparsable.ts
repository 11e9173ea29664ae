/**
 * A stored column that is not JSON (a row written by hand into a SQLite file). The store keeps
 * reading — one bad row must not stop every reader of the log — and puts this marker where the
 * payload would be, so that `deserialize` refuses that one event with `invalid-json`.
 */

const MARK = Symbol.for("eda.unparsable-json");

/** The marker a store puts in place of a payload it could not parse. */
export interface UnparsableJson {
  readonly [MARK]: true;
  /** Which column failed to parse. */
  readonly column: "payload" | "metadata";
  /** The parser's message. */
  readonly message: string;
}

/** Builds the marker for `column`. */
export function unparsableJson(column: "payload" | "metadata", error: unknown): UnparsableJson {
  return { [MARK]: true, column, message: error instanceof Error ? error.message : String(error) };
}

/** Whether a payload is the marker of a column that did not parse. */
export function isUnparsableJson(value: unknown): value is UnparsableJson {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}
