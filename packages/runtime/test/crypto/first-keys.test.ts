/**
 * An append gives a subject its cache lacks a first key outright (no read: new subjects are the
 * common case). When the subject had a key after all — a restarted process appending for known
 * customers — the append conflicts and runs again; after one such conflict the appends read the
 * subjects they lack first, so a restarted process pays one conflict, not one per append.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { FirstKeyPolicy } from "../../src/crypto/key-cache.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { DataKeyConflictError } from "../../src/store/key-tables.js";
import type { EventStore } from "../../src/store/event-store.js";
import { createHarness, type StoreHarness } from "../store/support.js";
import { table, registered, emails } from "./registered.js";

let harness: StoreHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** `inner` with its appends' key conflicts counted. */
function countingConflicts(inner: EventStore): { store: EventStore; conflicts: () => number } {
  let conflicts = 0;
  const store = new Proxy(inner, {
    get: (target, prop) => {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop !== "append") return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      return async (...args: Parameters<EventStore["append"]>) => {
        try {
          return await target.append(...args);
        } catch (error) {
          if (error instanceof DataKeyConflictError) conflicts++;
          throw error;
        }
      };
    },
  });
  return { store, conflicts: () => conflicts };
}

describe.each(["sqlite", "postgres"] as const)("first keys on %s", (engine) => {
  it("a restarted process appending for subjects that have keys conflicts once, not on every append", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const before = encryptedStore(inner, table, sqlKeyStore(inner));
    const customers = Array.from({ length: 30 }, (_, i) => `c-${i}`);
    for (const c of customers) await before.append(`customer-${c}`, [registered(c, `${c}@example.org`)], { kind: "no-stream" });
    // The restart: a new store, its cache empty; its first append reads the epoch (and c-new's keys).
    const counted = countingConflicts(inner);
    const after = encryptedStore(counted.store, table, sqlKeyStore(counted.store));
    await after.append("customer-c-new", [registered("c-new", "c-new@example.org")], { kind: "no-stream" });
    for (const c of customers) await after.append(`customer-${c}`, [registered(c, `${c}-again@example.org`)], { kind: "any" });
    expect(counted.conflicts()).toBe(1);
    // Every event reads back under the one key its subject has.
    for (const c of customers) expect(await emails(after, `customer-${c}`)).toEqual([`${c}@example.org`, `${c}-again@example.org`]);
  });
});

describe("FirstKeyPolicy", () => {
  it("reads first after a conflict, until a window of reads finds no stored key", () => {
    const policy = new FirstKeyPolicy(3);
    expect(policy.readFirst).toBe(false);
    policy.conflicted();
    policy.read(false);
    policy.read(true); // a stored key again: the window starts over
    policy.read(false);
    policy.read(false);
    expect(policy.readFirst).toBe(true);
    policy.read(false);
    expect(policy.readFirst).toBe(false);
  });
});
