/**
 * The NOTIFY that wakes readers, sent after an append rather than inside it. PostgreSQL
 * serialises the commits of transactions that NOTIFY with one lock for the whole server (taken
 * before the commit and held through its WAL flush), so appends that notified inside their
 * transaction flushed one at a time: four connections appending side by side reached about 220
 * appends/s so, 380–460 without (eight: 240 vs 590–770). A statement that only notifies writes no
 * WAL, and holds that lock for a moment.
 *
 * Announcements are coalesced: at most one NOTIFY of this store is under way, and the appends that
 * end meanwhile are announced together by the next one, with the highest position. Losing one (an
 * error, or the process dies between the commit and the NOTIFY) costs a wake-up, never an event:
 * readers poll as a fallback, and any notification makes them read up to the final head.
 */
import type pg from "pg";
import { PG_CHANNEL } from "./postgres-schema.js";

/** Sends `pg_notify` for the appends of one store, one statement at a time. */
export class HeadAnnouncer {
  /** The highest position appended, and the highest announced (or being announced). */
  private appended = 0;
  private announced = 0;
  private sending: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** An append that ended wrote up to `lastGlobalPosition`: readers are told soon, not awaited. */
  announce(lastGlobalPosition: number): void {
    this.appended = Math.max(this.appended, lastGlobalPosition);
    // Only with something to send: `send` then awaits before it clears `sending`, never earlier.
    if (this.sending === undefined && this.appended > this.announced) this.sending = this.send();
  }

  private async send(): Promise<void> {
    while (this.appended > this.announced) {
      this.announced = this.appended;
      const values = [PG_CHANNEL, String(this.announced)];
      // A lost notification is a later wake-up (readers poll too): nothing to report.
      await this.pool.query({ name: "eda_notify", text: "SELECT pg_notify($1, $2)", values }).catch(() => undefined);
    }
    this.sending = undefined;
  }

  /** Resolves once the announcement under way, if any, has been sent. */
  async settled(): Promise<void> {
    await this.sending;
  }
}
