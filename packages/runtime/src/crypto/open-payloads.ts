/**
 * Reading sealed entries back (the encrypted store's `readAll`, `readStream` and the rest): a
 * payload's entry opened into its fields, or its fields as they read once the subject is forgotten.
 * A page of events is opened together (`openPayloads`); an event that is not as it should be is
 * then opened alone (`openPayload`), which says what is wrong.
 */
import type { EncryptPlan } from "../codec/table.js";
import type { StoredEvent } from "../types.js";
import { ENCRYPTED_MARK, FORGOTTEN, isSealed, openFields, openFieldsMany, TamperedFieldError, type DataKey, type SealedFields } from "./field-cipher.js";
import type { CachedKeys } from "./key-cache.js";

/** Subjects' keys as one call found them (oldest first; empty: none). */
export type Keyring = ReadonlyMap<string, CachedKeys>;

/**
 * Opens the sealed entry with the keys in `ring`, or forgets its fields. A payload
 * without the entry was written before encryption was on; one whose entry is not a sealed entry,
 * or that names no subject, was altered: read as it is, its personal fields would be missing.
 */
export function openPayload(plan: EncryptPlan, data: Record<string, unknown>, ring: Keyring): Record<string, unknown> {
  if (!Object.hasOwn(data, ENCRYPTED_MARK)) return data;
  const sealed = data[ENCRYPTED_MARK];
  const subject = subjectOf(data, plan);
  if (!isSealed(sealed)) throw new TamperedFieldError(subject ?? "", { reason: `the encrypted personal data of an event is not a sealed entry ({ "k", "v" } strings): the stored value was altered` });
  if (subject === undefined) throw new TamperedFieldError("", { reason: `an event holds encrypted personal data, but its subject field "${plan.subject}" holds no id: the stored value was altered` });
  const payload = withoutEntry(data);
  const key = keyOf(ring.get(subject), sealed.k);
  if (key?.damaged !== undefined) throw new TamperedFieldError(subject, { reason: `the data key ${key.id} of the event's subject cannot be read: ${key.damaged}`, problem: "damaged-key" });
  return key === undefined ? forgottenInto(plan, payload) : Object.assign(payload, openFields(key.key, subject, sealed));
}
/**
 * The payloads of `events[marked[m]]` (plans `plans[m]`) opened together (`openFieldsMany`: one
 * string and one `JSON.parse` for the page's plaintexts); undefined when one of them is not as
 * it should be — `openPayload`, event by event, then says which and why.
 */
export function openPayloads(events: readonly StoredEvent[], marked: readonly number[], plans: readonly EncryptPlan[], ring: Keyring): Record<string, unknown>[] | undefined {
  const payloads: Record<string, unknown>[] = [];
  const opened: Record<string, unknown>[] = [];
  const keys: Buffer[] = [];
  const subjects: string[] = [];
  const entries: SealedFields[] = [];
  for (let m = 0; m < marked.length; m++) {
    const data = events[marked[m]!]!.payload as Record<string, unknown>;
    const sealed = data[ENCRYPTED_MARK];
    const subject = subjectOf(data, plans[m]!);
    if (!isSealed(sealed) || subject === undefined) return undefined;
    const payload = withoutEntry(data);
    payloads.push(payload);
    const key = keyOf(ring.get(subject), sealed.k);
    if (key === undefined) {
      forgottenInto(plans[m]!, payload);
      continue;
    }
    if (key.damaged !== undefined) return undefined;
    opened.push(payload);
    keys.push(key.key);
    subjects.push(subject);
    entries.push(sealed);
  }
  const fields = openFieldsMany(keys, subjects, entries);
  if (fields === undefined) return undefined;
  for (let j = 0; j < opened.length; j++) Object.assign(opened[j]!, fields[j]);
  return payloads;
}

/** A copy of a payload without its sealed entry. */
function withoutEntry(data: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field in data) if (field !== ENCRYPTED_MARK) payload[field] = data[field];
  return payload;
}

/** `payload` with the plan's fields as they read once forgotten: the placeholder, or absent. */
function forgottenInto(plan: EncryptPlan, payload: Record<string, unknown>): Record<string, unknown> {
  for (const field in plan.fields) if (plan.fields[field] === "placeholder") payload[field] = FORGOTTEN;
  return payload;
}

/** The key of `id` among a subject's keys. */
function keyOf(keys: CachedKeys | undefined, id: string): DataKey | undefined {
  if (keys !== undefined) for (const key of keys) if (key.id === id) return key;
  return undefined;
}

/** `e` with another payload (its fields written out: a spread of an envelope costs more). */
export function withPayload(e: StoredEvent, payload: unknown): StoredEvent {
  return {
    messageId: e.messageId,
    type: e.type,
    version: e.version,
    stream: e.stream,
    position: e.position,
    globalPosition: e.globalPosition,
    time: e.time,
    correlationId: e.correlationId,
    causationId: e.causationId,
    metadata: e.metadata,
    payload,
  };
}

/** The subject id a payload names (its plan's subject field), as text. */
export function subjectOf(payload: Record<string, unknown>, plan: EncryptPlan): string | undefined {
  const value = payload[plan.subject];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}
