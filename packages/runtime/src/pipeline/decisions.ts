/** What deciders and services return — events or a rejection — and the helpers over it. */
import type { Rejection } from "../types.js";

/** A rejection, as deciders and services return it. */
export function reject<R>(reason: R): Rejection<R> {
  return { rejected: true, reason };
}

/** Whether a decision is a rejection rather than a list of events. */
export function isRejection<E, R>(decision: readonly E[] | Rejection<R>): decision is Rejection<R> {
  return !Array.isArray(decision) && (decision as Rejection<R>).rejected === true;
}

/**
 * Thrown when a message reaches a handler that does not handle its type (a routing bug): the
 * generated `define…` functions call it for a type their handler maps lack.
 */
export function unhandled(owner: string, message: { readonly type: string }): never {
  throw new Error(`${owner} does not handle ${message.type}`);
}
