/**
 * The sealer of a transaction's workflow rows (`sealed-messages.ts`): the encrypted store's own
 * sealing and key lookups, run on the transaction's SQL, one at a time, with the first keys the
 * transaction makes kept to itself and the key epoch it decrypted at pinned (`key-epoch.ts`).
 */
import type { CodecTable, EncryptPlan } from "../codec/table.js";
import type { SqlExecutor } from "../store/event-store.js";
import { Mutex } from "../store/mutex.js";
import { FORGOTTEN } from "./field-cipher.js";
import type { CachedKeys } from "./key-cache.js";
import { forgetsIn, KeyEpochMovedError } from "./key-epoch.js";
import { openPayload, type Keyring } from "./open-payloads.js";
import type { Plans } from "./plans.js";
import type { MessageSealer } from "./sealed-messages.js";

/** A lookup's keys and the key epoch they were read at (undefined: a key store without epochs). */
export interface Lookup {
  readonly ring: Keyring;
  readonly epoch: number | undefined;
}

/** What the sealer takes from the encrypted store. */
export interface SealerParts {
  readonly table: Pick<CodecTable, "events"> & Partial<Pick<CodecTable, "commands">>;
  readonly plans: Plans;
  /** Seals the plan's fields under the subject's current key in `ring`. */
  seal(plan: EncryptPlan, data: Record<string, unknown>, type: string, ring: Keyring): Record<string, unknown>;
  /** The subject id of `data` (throws when it holds none, or an ill-formed one). */
  subjectFor(plan: EncryptPlan, data: Record<string, unknown>, type: string): string;
  /** The subjects' keys, each with a current one (first keys made in `within` go into `own`). */
  ensure(subjects: Iterable<string>, within?: SqlExecutor, checkedAt?: number, own?: Map<string, CachedKeys>): Promise<Lookup>;
  /** The keys of each subject by id. */
  prefetch(needed: ReadonlyMap<string, readonly string[]>, within?: SqlExecutor, checkedAt?: number): Promise<Lookup>;
  /** Adds the subject and key id of `data`'s sealed entry to `needed`. */
  needs(plan: EncryptPlan, data: Record<string, unknown>, needed: Map<string, string[]>): void;
}

/** `(within, pinned) => MessageSealer`: a sealer per transaction; `pinned.epoch` is the epoch it decrypted at. */
export function workflowSealers(parts: SealerParts): (within: SqlExecutor, pinned: { epoch?: number }) => MessageSealer {
  const { table, plans, seal, subjectFor, ensure, prefetch, needs } = parts;
  const sealedCommands = Object.entries(table.commands ?? {}).filter(([, entry]) => entry.encrypt !== undefined).map(([type]) => type);
  // `{ "type": T, "data": … }`, or `T: {…}` (a run's awaited events, by type).
  const planned = [...plans.keys(), ...sealedCommands].flatMap((type) => [`"type":${JSON.stringify(type)}`, `${JSON.stringify(type)}:{`]);
  return (within, pinned) => {
    // One key lookup at a time on the transaction's connection (a workflow row's messages are
    // walked concurrently), and the epoch read once per transaction (again when the cache moved).
    const lock = new Mutex();
    let checkedAt: number | undefined;
    // First keys this transaction made: its own until it commits (it may yet roll back).
    const own = new Map<string, CachedKeys>();
    return {
      mayNeedSealing: (text) => planned.some((p) => text.includes(p)),
      plan: (type) => {
        const entry = Object.hasOwn(table.events, type) ? table.events[type] : undefined;
        if (entry !== undefined) return plans.get(type)?.get(entry.current);
        // A workflow's queued command (`eda_workflow_commands`).
        return table.commands !== undefined && Object.hasOwn(table.commands, type) ? table.commands[type]?.encrypt : undefined;
      },
      seal: (plan, data) =>
        lock.run(async () => {
          // Fields a forget emptied (the placeholder, or absent) need no key: none is made again for the subject.
          if (Object.keys(plan.fields).every((f) => data[f] === undefined || data[f] === FORGOTTEN)) return data;
          const subject = subjectFor(plan, data, "a workflow's message");
          if (own.has(subject)) return seal(plan, data, "a workflow's message", own);
          const lookup = await ensure([subject], within, checkedAt, own);
          checkedAt = lookup.epoch;
          // Decrypted before a forget, the data must not be sealed again (under a key made now).
          if (pinned.epoch !== undefined && lookup.epoch !== undefined && forgetsIn(lookup.epoch) !== forgetsIn(pinned.epoch)) throw new KeyEpochMovedError(pinned.epoch, lookup.epoch);
          return seal(plan, data, "a workflow's message", lookup.ring);
        }),
      open: (plan, data) =>
        lock.run(async () => {
          const needed = new Map<string, string[]>();
          needs(plan, data, needed);
          const subject = [...needed.keys()][0];
          // No sealed entry to open (or a malformed one: `openPayload` says so).
          if (subject === undefined) return openPayload(plan, data, new Map());
          if (own.has(subject)) return openPayload(plan, data, own);
          const lookup = await prefetch(needed, within, checkedAt);
          checkedAt = lookup.epoch;
          // What this transaction decrypts it may write back (a run loaded, then saved): pinned too.
          if (lookup.epoch !== undefined) pinned.epoch ??= lookup.epoch;
          return openPayload(plan, data, lookup.ring);
        }),
    };
  };
}
