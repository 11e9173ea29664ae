/**
 * A consumer's parked messages on the dead-letter stream, one subject per consumer. Peeking
 * reads them by subject without a consumer (nothing is taken); replaying republishes them to
 * their event subjects, marked for this consumer only, in global-position order with publish
 * acknowledgements, and only then deletes them: a crash in between leaves duplicates (harmless
 * for an idempotent consumer, and deduplicated by the server within its window), never a loss.
 * Discarding deletes the parked messages it drops by their stream sequences. Each count says
 * what this call removed: a message another replay or discard removed first is not counted.
 */
import type { JetStreamClient, JetStreamManager, MsgRequest, StoredMsg } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { decodeEnvelope, malformedEnvelope, readReason, replayOrder, withoutReason } from "../envelope-wire.js";
import { PublishError, type DeadLetter } from "../types.js";
import type { StoredEvent } from "../../types.js";
import { API, apiCode } from "./setup.js";
import type { BusNames } from "./names.js";
import { ORIGINAL_SUBJECT, readHeaders, REPLAY_FOR, writeHeaders } from "./nats-wire.js";

/** What reading and replaying needs. */
export interface DeadLetterAccess {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: BusNames;
  readonly newHeaders: () => MsgHdrs;
  readonly publishTimeoutMs: number;
}

/** How many messages are parked for `consumer`. */
export async function deadLetterDepth(access: DeadLetterAccess, consumer: string): Promise<number> {
  const subject = access.names.deadLetterSubject(consumer);
  const info = await access.jsm.streams.info(access.names.deadLetterStream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

/** Up to `limit` parked messages, oldest first, with their stream sequences. */
async function readParked(access: DeadLetterAccess, consumer: string, limit: number): Promise<StoredMsg[]> {
  const subject = access.names.deadLetterSubject(consumer);
  const found: StoredMsg[] = [];
  let next = 1;
  while (found.length < limit) {
    const stored = await getNext(access, subject, next);
    if (stored === null) break;
    found.push(stored);
    next = stored.seq + 1;
  }
  return found;
}

async function getNext(access: DeadLetterAccess, subject: string, seq: number): Promise<StoredMsg | null> {
  try {
    // STREAM.MSG.GET takes `next_by_subj` (servers ≥ 2.9); the client's type names only `seq`.
    const query = { seq, next_by_subj: subject } as unknown as MsgRequest;
    return await access.jsm.streams.getMessage(access.names.deadLetterStream, query);
  } catch (error) {
    if (apiCode(error) === API.noMessageFound) return null;
    throw error;
  }
}

/** Up to `limit` parked messages of `consumer`, oldest first, without removing them. */
export async function peekDeadLetters(access: DeadLetterAccess, consumer: string, limit: number): Promise<DeadLetter[]> {
  const parked = await readParked(access, consumer, limit);
  return parked.map((stored) => toDeadLetter(consumer, stored));
}

/** Moves up to `limit` parked messages back to `consumer`, in original order; returns the count. */
export async function replayDeadLetters(access: DeadLetterAccess, consumer: string, limit: number): Promise<number> {
  const depth = await deadLetterDepth(access, consumer);
  const parked = await readParked(access, consumer, Math.min(limit, depth));
  const ordered = parked
    .map((stored) => ({ stored, envelope: tryDecode(stored.data) }))
    .sort((a, b) => replayOrder(a.envelope) - replayOrder(b.envelope));
  const acks = ordered.map(({ stored, envelope }) => {
    const { [ORIGINAL_SUBJECT]: _subject, ...kept } = withoutReason(readHeaders(stored.header));
    const headers = { ...kept, [REPLAY_FOR]: consumer };
    const subject = envelope === null ? (readHeaders(stored.header)[ORIGINAL_SUBJECT] ?? stored.subject) : access.names.eventSubject(envelope.type);
    return access.js.publish(subject, stored.data, {
      // The same parked message replayed twice within the window (a crash, a retry) is stored once.
      msgID: `replay:${access.names.deadLetterStream}:${stored.seq}`,
      headers: writeHeaders(access.newHeaders(), headers),
      timeout: access.publishTimeoutMs,
    });
  });
  const settled = await Promise.allSettled(acks);
  const failed = settled.findIndex((s) => s.status === "rejected");
  if (failed !== -1) {
    const cause = (settled[failed] as PromiseRejectedResult).reason as unknown;
    throw new PublishError(`replaying the dead letters of ${consumer} failed; nothing was removed: ${String((cause as Error)?.message ?? cause)}`, failed, { cause });
  }
  let removed = 0;
  for (const { stored } of ordered) if (await removeParked(access, stored.seq)) removed += 1;
  return removed;
}

/** Drops the parked messages of `consumer` with `messageId` (all parked ones without it); returns the count. */
export async function discardDeadLetters(access: DeadLetterAccess, consumer: string, messageId: string | undefined): Promise<number> {
  const parked = await readParked(access, consumer, await deadLetterDepth(access, consumer));
  const dropped = parked.filter((stored) => messageId === undefined || toDeadLetter(consumer, stored).envelope.messageId === messageId);
  let removed = 0;
  for (const stored of dropped) if (await removeParked(access, stored.seq)) removed += 1;
  return removed;
}

/** Deletes a parked message; false when it is already gone (another replay or discard took it). */
async function removeParked(access: DeadLetterAccess, seq: number): Promise<boolean> {
  try {
    return await access.jsm.streams.deleteMessage(access.names.deadLetterStream, seq, false);
  } catch (error) {
    // The server reports a message that is gone as a failed delete (10057) saying so.
    if (apiCode(error) === API.messageDeleteFailed && /no message found/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

function toDeadLetter(consumer: string, stored: StoredMsg): DeadLetter {
  const headers = readHeaders(stored.header);
  const time = stored.time.toISOString();
  return {
    consumer,
    envelope: tryDecode(stored.data) ?? malformedEnvelope(stored.data, {}, time),
    headers,
    reason: readReason(headers, time),
  };
}

function tryDecode(data: Uint8Array): StoredEvent | null {
  try {
    return decodeEnvelope(data);
  } catch {
    return null;
  }
}
