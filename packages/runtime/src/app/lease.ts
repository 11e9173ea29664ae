/**
 * A lease: which of several app instances on one store does a piece of background work (a
 * projection, an orchestrator, the relay) now. The lease is a row of the store's own row tables
 * (`eda:leases`, key = the work's name): `{ holder, expiresAt }`. An instance takes it when it is
 * free, expired or already its own, and renews it every third of its time to live; an instance
 * that dies stops renewing, and another takes the work over within one time to live and one
 * retry interval. A graceful stop releases it at once.
 *
 * The lease keeps the work in one place; it is not what keeps it correct. A holder that stalls
 * past its lease (a long pause) may overlap with its successor for one batch: the projection's
 * checkpoint lock, the workflow tables' transactions and the relay's at-least-once delivery with
 * deduplicating consumers make that overlap harmless.
 */
import { randomUUID } from "node:crypto";
import type { EventStore, StoreTransaction } from "../store/event-store.js";

/** The row table holding every lease. */
export const LEASE_TABLE = "eda:leases";

/** Options of the leases of one app instance. */
export interface LeaseOptions {
  /** How long a lease lasts without renewal, in ms (default 10 000): the bound on a takeover. */
  readonly ttlMs?: number;
  /** This instance's name in the lease rows (default a random UUID per app). */
  readonly holder?: string;
  /** For tests: the time, in ms since the epoch. */
  readonly now?: () => number;
}

interface LeaseRow {
  readonly holder: string;
  readonly expiresAt: number;
}

/** One lease, held or sought by one instance. */
export class Lease {
  readonly holder: string;
  readonly ttlMs: number;
  /** The clock of the lease, in ms since the epoch. */
  readonly now: () => number;
  /** When this instance last took or renewed the lease (0: it does not hold it). */
  private renewedAt = 0;

  constructor(
    private readonly store: EventStore,
    readonly name: string,
    options: LeaseOptions = {},
  ) {
    this.holder = options.holder ?? randomUUID();
    this.ttlMs = options.ttlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** How often the holder renews, and how often the others try to take it over. */
  get renewMs(): number {
    return Math.max(1, Math.floor(this.ttlMs / 3));
  }

  /** Whether this instance held the lease at its last renewal, less than a renewal interval ago. */
  get held(): boolean {
    return this.renewedAt > 0 && this.now() - this.renewedAt < this.renewMs;
  }

  /**
   * True when this instance holds the lease: at once while the last renewal is recent, else after
   * taking or renewing it in the store (false when another instance holds an unexpired one).
   */
  async ensure(): Promise<boolean> {
    if (this.held) return true;
    const at = this.now();
    const taken = await this.store.transaction(async (tx) => {
      await lockLease(tx, this.name);
      const current = (await tx.getRows(LEASE_TABLE, [this.name])).get(this.name) as LeaseRow | undefined;
      if (current !== undefined && current.holder !== this.holder && current.expiresAt > at) return false;
      await tx.putRow(LEASE_TABLE, this.name, { holder: this.holder, expiresAt: at + this.ttlMs } satisfies LeaseRow);
      return true;
    });
    this.renewedAt = taken ? at : 0;
    return taken;
  }

  /** Gives the lease up if this instance holds it, so that another takes the work over at once. */
  async release(): Promise<void> {
    if (this.renewedAt === 0) return;
    this.renewedAt = 0;
    await this.store.transaction(async (tx) => {
      await lockLease(tx, this.name);
      const current = (await tx.getRows(LEASE_TABLE, [this.name])).get(this.name) as LeaseRow | undefined;
      if (current?.holder === this.holder) await tx.deleteRow(LEASE_TABLE, this.name);
    });
  }

  /** The current holder and expiry, as stored (null: nobody holds it). */
  async current(): Promise<LeaseRow | null> {
    const row = await this.store.transaction(async (tx) => (await tx.getRows(LEASE_TABLE, [this.name])).get(this.name));
    return (row as LeaseRow | undefined) ?? null;
  }
}

/** PostgreSQL runs transactions side by side: one lease's row is read and written under a lock. */
async function lockLease(tx: StoreTransaction, name: string): Promise<void> {
  if (tx.sql?.dialect === "postgres") await tx.sql.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`eda_lease:${name}`]);
}

/** Makes the leases of one app instance, all with the same holder name. */
export function leaseFactory(store: EventStore, options: LeaseOptions): (name: string) => Lease {
  const holder = options.holder ?? randomUUID();
  return (name) => new Lease(store, name, { ...options, holder });
}

/** A signal that aborts with `signal` or after `ms`. */
export function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  return signal === undefined ? AbortSignal.timeout(ms) : AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
