/**
 * Group commit for the appends of one process. Each append is a transaction of its own that
 * waits for its WAL flush; the batcher sends the appends that arrive while others are in flight
 * together, as one call of `eda_append_many`: one transaction, one flush for all of them. Each
 * append keeps its own expected-version and command-id checks and its own answer (one that
 * conflicts writes nothing and does not affect the others). Should the call fail as a whole (not
 * for a lost connection), each append is tried again alone, so that an error belongs to the
 * append that caused it. Up to `maxInFlight` calls run at once: appends to different streams do
 * not wait for each other in the database, and PostgreSQL flushes concurrent commits together.
 *
 * Like PostgreSQL's own `commit_delay` with `commit_siblings`, a batch waits a little only when
 * it is likely to gain company: while other commands of this process have read their stream
 * (`expect`) and not yet appended, the batch lingers until they arrive or `lingerMs` has passed.
 * A lone sender never waits.
 */
import type pg from "pg";
import { CALL_APPEND, STREAM_LOCK_CLASS, type AppendAnswer } from "./postgres-append.js";
import { isTransientStoreError } from "./transient.js";

/**
 * Appends each item in one transaction; answers in item order. The streams' locks are taken in one
 * order (so that two batches cannot deadlock on them), then one block of positions for every item
 * (an item that conflicts leaves its part of the block unused).
 */
export const PG_APPEND_MANY_FUNCTION = `
DROP FUNCTION IF EXISTS eda_append_many(text[], text[], bigint[], timestamptz[], int[], text[], text[], int[], text[], text[], text[], text[], text[], jsonb[]);
CREATE OR REPLACE FUNCTION eda_append_many(
  p_streams text[], p_kinds text[], p_expected bigint[], p_times timestamptz[], p_counts int[],
  p_ids text[], p_types text[], p_versions int[], p_correlations text[], p_causations text[],
  p_metadata text[], p_payloads text[], p_commands text[], p_results jsonb[],
  p_key_counts int[], p_key_subjects text[], p_key_ids text[], p_key_data text[], p_key_epochs bigint[]
) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  answers jsonb := '[]';
  off int := 0;
  koff int := 0;
  kn int;
  total int := coalesce(cardinality(p_ids), 0);
  last bigint;
  n int;
BEGIN
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, k)
    FROM (SELECT DISTINCT hashtext(s) AS k FROM unnest(p_streams) AS s ORDER BY 1) AS keys;
  IF total > 0 THEN last := eda_allocate(total) - total; END IF;
  FOR i IN 1 .. cardinality(p_streams) LOOP
    n := p_counts[i];
    kn := p_key_counts[i];
    answers := answers || jsonb_build_array(eda_write(p_streams[i], p_kinds[i], p_expected[i], p_times[i],
      p_ids[off + 1 : off + n], p_types[off + 1 : off + n], p_versions[off + 1 : off + n],
      p_correlations[off + 1 : off + n], p_causations[off + 1 : off + n],
      p_metadata[off + 1 : off + n], p_payloads[off + 1 : off + n], p_commands[i], p_results[i],
      CASE WHEN n = 0 THEN NULL ELSE last + off + n END,
      p_key_subjects[koff + 1 : koff + kn], p_key_ids[koff + 1 : koff + kn], p_key_data[koff + 1 : koff + kn], p_key_epochs[i]));
    off := off + n;
    koff := koff + kn;
  END LOOP;
  RETURN answers;
END
$fn$;`;

const CALL_APPEND_MANY =
  "SELECT eda_append_many($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::int[], $6::text[], $7::text[], $8::int[], " +
  "$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::int[], $16::text[], $17::text[], $18::text[], $19::bigint[]) AS r";

/** The parameters of one `eda_append` call (see `CALL_APPEND`). */
export type AppendParams = [
  stream: string, kind: string, expected: number | null, time: string,
  ids: string[], types: string[], versions: number[], correlations: string[], causations: (string | null)[],
  metadata: string[], payloads: string[], command: string | null, result: string,
  keySubjects: string[], keyIds: string[], keyData: string[], keyEpoch: number | null,
];

/** How long a command's read is expected to lead to an append (a slow read or decision included). */
const FORGET_MS = 100;

interface Pending {
  readonly params: AppendParams;
  resolve(answer: AppendAnswer): void;
  reject(error: unknown): void;
}

/** Sends one process's appends: alone when nothing else waits, else together. */
export class AppendBatcher {
  private queue: Pending[] = [];
  private running = false;
  /** Streams read for a command and not yet appended to, with the time of the read (ms). */
  private readonly expected = new Map<string, number>();
  private arrived: (() => void) | undefined;
  /** Calls under way, and the wake-up of a drain waiting for one of them to end. */
  private inFlight = 0;
  private freed: (() => void) | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxBatch = 64,
    private readonly lingerMs = 2,
    private readonly maxInFlight = 4,
  ) {}

  /** A command read `stream` and is likely to append to it soon. */
  expect(stream: string): void {
    if (this.lingerMs > 0) this.expected.set(stream, performance.now());
  }

  append(params: AppendParams): Promise<AppendAnswer> {
    return new Promise((resolve, reject) => {
      this.expected.delete(params[0]);
      this.queue.push({ params, resolve, reject });
      this.arrived?.();
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        if (this.inFlight >= this.maxInFlight) {
          await new Promise<void>((resolve) => (this.freed = resolve));
          continue;
        }
        await this.linger();
        const batch = this.queue.splice(0, this.maxBatch);
        this.inFlight += 1;
        void (batch.length === 1 ? this.one(batch[0]!) : this.many(batch)).finally(() => {
          this.inFlight -= 1;
          this.freed?.();
          this.freed = undefined;
        });
      }
    } finally {
      this.running = false;
    }
  }

  /** Waits up to `lingerMs` while commands that read their stream lately have yet to append. */
  private async linger(): Promise<void> {
    if (this.lingerMs <= 0) return;
    // Senders whose appends just returned start their next command first, and register its read.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const start = performance.now();
    const until = start + this.lingerMs;
    // A read older than this is taken for a command that ended without appending (a rejection).
    const since = start - FORGET_MS;
    while (this.queue.length < this.maxBatch && this.siblings(since) > 0) {
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.arrived = done;
      });
      this.arrived = undefined;
    }
  }

  /** How many expected appends were read since `since`; older ones are forgotten. */
  private siblings(since: number): number {
    let count = 0;
    for (const [stream, at] of this.expected) {
      if (at >= since) count += 1;
      else this.expected.delete(stream);
    }
    return count;
  }

  private async one(item: Pending): Promise<void> {
    try {
      // Named statements are parsed and planned once per connection.
      const { rows } = await this.pool.query<{ r: AppendAnswer }>({ name: "eda_append", text: CALL_APPEND, values: item.params });
      const answer = rows[0]?.r;
      if (answer === undefined) throw new Error("eda_append returned no row");
      item.resolve(answer);
    } catch (error) {
      item.reject(error);
    }
  }

  private async many(batch: readonly Pending[]): Promise<void> {
    const column = <T>(i: number): T[] => batch.map((b) => b.params[i] as T);
    const flat = <T>(i: number): T[] => batch.flatMap((b) => b.params[i] as T[]);
    let answers: AppendAnswer[];
    try {
      const { rows } = await this.pool.query<{ r: AppendAnswer[] }>({
        name: "eda_append_many",
        text: CALL_APPEND_MANY,
        values: [
          column(0), column(1), column(2), column(3), batch.map((b) => b.params[4].length),
          flat(4), flat(5), flat(6), flat(7), flat(8), flat(9), flat(10), column(11), column(12),
          batch.map((b) => b.params[13].length), flat(13), flat(14), flat(15), column(16),
        ],
      });
      answers = rows[0]?.r ?? [];
      if (answers.length !== batch.length) throw new Error("eda_append_many returned the wrong number of answers");
    } catch (error) {
      // A lost connection may have lost the answer of a commit: each caller decides, as for one
      // append (the command path retries, finding its command record if the batch committed).
      if (isTransientStoreError(error)) {
        for (const item of batch) item.reject(error);
        return;
      }
      // Otherwise the batch wrote nothing: alone, each append meets its own error or succeeds.
      for (const item of batch) await this.one(item);
      return;
    }
    batch.forEach((item, i) => item.resolve(answers[i]!));
  }
}
