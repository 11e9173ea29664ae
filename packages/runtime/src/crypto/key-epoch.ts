/**
 * Reads and writes of personal data across a forget: an encrypting store's read says which key
 * epoch it decrypted at (`keyEpochOf`), and a transaction that writes that data again pins it
 * (`StoreTransaction.pinKeyEpoch`): sealed after a forget moved the epoch, data decrypted before
 * it would outlive the forget under a new key, so the transaction fails (`KeyEpochMovedError`)
 * and its owner reads again.
 */
import type { StoredEvent } from "../types.js";

/**
 * Thrown by a transaction pinned to a key epoch (`StoreTransaction.pinKeyEpoch`) that would seal
 * personal data after a forget moved the epoch: the data was decrypted before it, and sealed now
 * it could outlive the forget under a new key. Nothing was written; read again.
 */
export class KeyEpochMovedError extends Error {
  override readonly name = "KeyEpochMovedError";
  constructor(readonly readAt: number, readonly now: number) {
    super(`a data subject was forgotten between the read of the data (key epoch ${readAt}) and its write (${now}): read it again before writing it`);
  }
}

/**
 * What a forget adds to the key epoch; a rotation or a rewrap adds 1. The epoch's high part so
 * counts forgets alone (`forgetsIn`): a pin fails on a forget, not on another subject's rotation,
 * after which sealing under the current key is as safe as before. (Over 2^20 rotations between
 * two forgets would carry into it: a batch read again, no more.)
 */
export const FORGET_STEP = 2 ** 20;

/** The forgets an epoch counts. */
export function forgetsIn(epoch: number): number {
  return Math.floor(epoch / FORGET_STEP);
}

/** Where an encrypting store's read marks the key epoch it decrypted at (`keyEpochOf`). */
export const KEY_EPOCH = Symbol("eda.keyEpoch");

/**
 * The key epoch an encrypting store's read (`readAll`, `readStream`) decrypted `events` at;
 * undefined when nothing in them was decrypted (or another store read them).
 */
export function keyEpochOf(events: readonly StoredEvent[]): number | undefined {
  return (events as { [KEY_EPOCH]?: number })[KEY_EPOCH];
}
