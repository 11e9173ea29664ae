/**
 * `eda store verify` in the runtime: reads every stored event, in global order and in batches
 * (constant memory), through the model's current `deserialize`, and reports each one it cannot
 * read — where it is, what it is, which field and why — as it goes, never keeping them.
 */
import { isDeserializeError } from "../codec/deserialize-error.js";
import { formatPath } from "../codec/issues.js";
import { TamperedFieldError, type SealedEntryProblem } from "../crypto/field-cipher.js";
import type { EventStore } from "../store/event-store.js";
import type { EventCodec, StoredEvent } from "../types.js";

/** A stored event the current model cannot read. */
export interface UnreadableEvent {
  readonly stream: string;
  readonly position: number;
  readonly globalPosition: number;
  readonly messageId: string;
  readonly type: string;
  readonly version: number;
  /** The field at fault (`lines.0.quantity`), when there is one. */
  readonly path: string | null;
  /**
   * `unknown-type`, `unknown-version`, `invalid-json`, `invalid-payload`, `upcast-failed`,
   * `invalid-upcast`; for its encrypted personal data (`TamperedFieldError`), `tampered` (altered),
   * `unknown-cipher` (sealed by a later version of @eda/runtime) or `damaged-key` (its subject's
   * stored data key cannot be read); or `error` for anything else.
   */
  readonly reason: string;
  /** The message of the error (it never quotes the payload). */
  readonly message: string;
}

/** How far a verification is. */
export interface VerifyProgress {
  readonly read: number;
  /** The store's head when the verification started (events appended since are read too). */
  readonly head: number;
  readonly unreadable: number;
}

/** Options of `verifyStore`. */
export interface VerifyOptions {
  /** Events read per batch (default 1000). */
  readonly batchSize?: number;
  /** Called for each unreadable event, in global order, as it is found. */
  readonly onUnreadable?: (event: UnreadableEvent) => void;
  /** Called after each batch. */
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly signal?: AbortSignal;
}

/** What a verification found. */
export interface VerifyReport {
  readonly events: number;
  readonly unreadable: number;
  /** False when `signal` stopped it before the end of the log. */
  readonly complete: boolean;
}

/** Reads every event of `store` through `codec.deserialize`; resolves with the counts. */
export async function verifyStore(store: EventStore, codec: Pick<EventCodec, "deserialize">, options: VerifyOptions = {}): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 1_000;
  const head = await store.headPosition();
  let read = 0;
  let unreadable = 0;
  // After a batch met an altered encrypted event, the events up to it are read one at a time.
  let narrowUntil = 0;
  for (let from = 1; ; ) {
    if (options.signal?.aborted === true) return { events: read, unreadable, complete: false };
    let batch: readonly StoredEvent[];
    try {
      batch = await store.readAll(from, from <= narrowUntil ? 1 : batchSize);
    } catch (error) {
      // An encrypting store refuses the whole read for one altered event: report it, read on.
      const event = error instanceof TamperedFieldError ? error.event : undefined;
      if (event === undefined || event.globalPosition < from) throw error;
      if (event.globalPosition > from && from > narrowUntil) {
        narrowUntil = event.globalPosition;
        continue;
      }
      unreadable += 1;
      read += 1;
      options.onUnreadable?.(describe(event, error, SEALED_REASONS[(error as TamperedFieldError).problem]));
      from = event.globalPosition + 1;
      options.onProgress?.({ read, head, unreadable });
      continue;
    }
    if (batch.length === 0) return { events: read, unreadable, complete: true };
    for (const stored of batch) {
      const problem = check(codec, stored);
      if (problem === undefined) continue;
      unreadable += 1;
      options.onUnreadable?.(problem);
    }
    read += batch.length;
    from = (batch[batch.length - 1] as StoredEvent).globalPosition + 1;
    options.onProgress?.({ read, head, unreadable });
  }
}

/** The reason reported for each problem of a sealed entry. */
const SEALED_REASONS: Readonly<Record<SealedEntryProblem, string>> = { altered: "tampered", "unknown-cipher": "unknown-cipher", "damaged-key": "damaged-key" };

function check(codec: Pick<EventCodec, "deserialize">, stored: StoredEvent): UnreadableEvent | undefined {
  try {
    codec.deserialize(stored);
    return undefined;
  } catch (error) {
    const deserialize = isDeserializeError(error) ? error : undefined;
    const first = deserialize?.issues[0];
    return describe(stored, error, deserialize?.reason ?? "error", first !== undefined && first.path.length > 0 ? formatPath(first.path) : null);
  }
}

function describe(stored: NonNullable<TamperedFieldError["event"]>, error: unknown, reason: string, path: string | null = null): UnreadableEvent {
  return {
    stream: stored.stream,
    position: stored.position,
    globalPosition: stored.globalPosition,
    messageId: stored.messageId,
    type: stored.type,
    version: stored.version,
    path,
    reason,
    message: error instanceof Error ? error.message : String(error),
  };
}
