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
  /** The parser's message, without the text it quoted (`parserMessage`). */
  readonly message: string;
}

/** Builds the marker for `column`. */
export function unparsableJson(column: "payload" | "metadata", error: unknown): UnparsableJson {
  return { [MARK]: true, column, message: parserMessage(error) };
}

/**
 * `JSON.parse`'s message without the text it quotes: V8 writes `Unexpected token 'a', "ada@exam"...
 * is not valid JSON`, and a broken payload or message body may hold personal data that must not
 * reach an error, a log or a dead-letter reason. What is left still says what is wrong and, where
 * V8 gives it, at which position.
 */
export function parserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, " (the text is not quoted here)");
}

/** Whether a payload is the marker of a column that did not parse. */
export function isUnparsableJson(value: unknown): value is UnparsableJson {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}
