/**
 * What the generated given/when/then helpers need of Node: its assertion error and deep
 * equality, and a deep copy. Declared here with types of their own, so that a project compiles
 * the generated code without @types/node.
 */
import { AssertionError as NodeAssertionError, deepStrictEqual as nodeDeepStrictEqual } from "node:assert/strict";

/** How an {@link AssertionError} is made (a subset of node:assert's options). */
export interface AssertionErrorOptions {
  readonly message?: string;
  readonly actual?: unknown;
  readonly expected?: unknown;
  readonly operator?: string;
}

/** node:assert's `AssertionError`: test runners show its `actual` and `expected` as a diff. */
export interface AssertionError extends Error {
  readonly actual: unknown;
  readonly expected: unknown;
  readonly operator: string;
  readonly code: "ERR_ASSERTION";
}

/** node:assert's `AssertionError` class. */
export const AssertionError: new (options: AssertionErrorOptions) => AssertionError = NodeAssertionError;

/** node:assert/strict's `deepStrictEqual`: throws an {@link AssertionError} when the values differ. */
export const deepStrictEqual: (actual: unknown, expected: unknown, message?: string) => void = nodeDeepStrictEqual;

/** A deep copy (`structuredClone`). */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
