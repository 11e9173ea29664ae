/**
 * What a codec table encrypts: for each event type and stored version with `@pii(subject)` fields,
 * its plan (the subject field, and what each sealed field reads as once forgotten).
 */
import type { CodecTable, EncryptPlan } from "../codec/table.js";

/** The plans by event type, then by version. */
export type Plans = ReadonlyMap<string, ReadonlyMap<number, EncryptPlan>>;

/** Whether a codec table encrypts anything (a model with `@pii(subject)` fields, on events or commands). */
export function hasEncryptedFields(table: Pick<CodecTable, "events"> & Partial<Pick<CodecTable, "commands">>): boolean {
  return plansOf(table).size > 0 || Object.values(table.commands ?? {}).some((entry) => entry.encrypt !== undefined);
}

/** Each event type's plans, by stored version. */
export function plansOf(table: Pick<CodecTable, "events">): Plans {
  const plans = new Map<string, Map<number, EncryptPlan>>();
  for (const [type, entry] of Object.entries(table.events)) {
    for (const [version, step] of Object.entries(entry.versions)) {
      if (step.encrypt === undefined) continue;
      const versions = plans.get(type) ?? new Map<number, EncryptPlan>();
      plans.set(type, versions.set(Number(version), step.encrypt));
    }
  }
  return plans;
}
