/**
 * The PostgreSQL command path in two round trips: one statement reads a command's record and its
 * stream together (`READ_FOR_COMMAND`), and one call of the server-side function `eda_append`
 * appends — stream lock, version and command checks, positions, events, outbox rows and command
 * record in one implicit transaction, with no BEGIN and COMMIT round trips around it. The NOTIFY
 * that wakes readers is not part of it (postgres-announce.ts says why): the store sends it once
 * the append has committed, without the command waiting for it.
 *
 * `eda_append` returns without writing anything when the expected version does not hold or the
 * command was recorded before; the caller turns that answer into the store's errors.
 *
 * Appends to different streams do not wait for each other: only the short `eda_allocate` is one at
 * a time. It gives the transaction its id and its block of positions together, so that a
 * transaction with a higher id always has higher positions. A reader that reads only events
 * written by transactions below the oldest append still running (postgres-read.ts) thus reads a
 * prefix of the log that no later commit can extend below its end: it never skips an event,
 * though positions can have gaps (a block taken by an append that then failed).
 *
 * Crypto-shredding's keys (`AppendOptions.keys`, key-tables.ts) ride in the same call: after the
 * positions (nothing may be written before `eda_allocate`) and the command record, the key epoch
 * is checked — its row share-locked, so a `forget` waits for the appends under way and an append
 * after it sees the new epoch — and first keys are inserted, before the events. A conflict raises
 * (a duplicate key, 23505, or `KEYS_FORGOTTEN`) and the whole call, events included, rolls back.
 */
import { EVENT_COLUMNS } from "./event-rows.js";

/**
 * Advisory locks, in the two-key space (apart from the one-key locks of leases and checkpoints):
 * the per-stream locks (class, hash of the stream) and, in the appends' class, the shared lock
 * every appending transaction holds from before its id is assigned to its end (0) and the
 * allocation's lock (1).
 */
export const STREAM_LOCK_CLASS = 0x6564_6133;
export const APPENDING_LOCK_CLASS = 0x6564_6134;
const ALLOCATE_LOCK = `${APPENDING_LOCK_CLASS}, 1`;

/** The SQLSTATE `eda_write` raises when a key was forgotten or rotated since the append's keys were read. */
export const KEYS_FORGOTTEN = "EDAK1";

/**
 * Creates (or replaces) the append functions; run with the schema, under its advisory lock.
 *
 * `eda_allocate(n)` must run before the transaction writes anything (it raises otherwise): the id
 * it assigns and the block it takes are one step under a session-level advisory lock, released
 * at once (also on an error), never held until commit. Before it takes an id, the transaction
 * takes the shared "appending" lock, held until it ends: readers find the appends under way there.
 */
export const PG_APPEND_FUNCTION = `
DROP FUNCTION IF EXISTS eda_write(text, text, bigint, timestamptz, text[], text[], int[], text[], text[], text[], text[], text, jsonb, bigint);
CREATE OR REPLACE FUNCTION eda_allocate(n int) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  last bigint;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'eda_allocate: the transaction has written before taking its positions';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(${APPENDING_LOCK_CLASS}, 0);
  PERFORM pg_advisory_lock(${ALLOCATE_LOCK});
  BEGIN
    PERFORM pg_current_xact_id();
    last := nextval('eda_position') + n - 1;
    IF n > 1 THEN PERFORM setval('eda_position', last); END IF;
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(${ALLOCATE_LOCK});
    RAISE;
  END;
  PERFORM pg_advisory_unlock(${ALLOCATE_LOCK});
  RETURN last;
END
$fn$;
CREATE OR REPLACE FUNCTION eda_write(
  p_stream text, p_kind text, p_expected bigint, p_time timestamptz,
  p_ids text[], p_types text[], p_versions int[], p_correlations text[], p_causations text[],
  p_metadata text[], p_payloads text[], p_command text, p_result jsonb, p_last bigint,
  p_key_subjects text[], p_key_ids text[], p_key_data text[], p_key_epoch bigint
) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  n int := coalesce(cardinality(p_ids), 0);
  head bigint;
  previous json;
  last bigint := p_last;
  v_epoch bigint;
BEGIN
  -- The caller holds the stream's lock: the reads below see every earlier append to it.
  SELECT max(position) INTO head FROM eda_events WHERE stream = p_stream;
  IF p_command IS NOT NULL THEN
    SELECT row_to_json(c) INTO previous FROM eda_commands c WHERE command_id = p_command;
  END IF;
  IF (p_kind = 'no-stream' AND head IS NOT NULL)
    OR (p_kind = 'exact' AND coalesce(head, -1) <> p_expected)
    OR previous IS NOT NULL THEN
    RETURN jsonb_build_object('written', false, 'head', head, 'command', previous);
  END IF;
  IF n = 0 THEN
    SELECT coalesce(max(global_position), 0) INTO last FROM eda_events;
  ELSIF last IS NULL THEN
    last := eda_allocate(n);
  END IF;
  IF p_command IS NOT NULL THEN
    -- The same command id on another stream, appended meanwhile: this one writes nothing.
    INSERT INTO eda_commands (command_id, stream, result, last_global_position, time)
    VALUES (p_command, p_stream, p_result, CASE WHEN n = 0 THEN NULL ELSE last END, p_time)
    ON CONFLICT (command_id) DO NOTHING;
    IF NOT FOUND THEN
      SELECT row_to_json(c) INTO previous FROM eda_commands c WHERE command_id = p_command;
      RETURN jsonb_build_object('written', false, 'head', head, 'command', previous);
    END IF;
  END IF;
  IF p_key_epoch IS NOT NULL THEN
    SELECT k.epoch INTO v_epoch FROM eda_key_epoch k WHERE k.id = 1 FOR SHARE;
    IF v_epoch IS DISTINCT FROM p_key_epoch THEN
      RAISE EXCEPTION 'a data key was forgotten or rotated since it was read' USING ERRCODE = '${KEYS_FORGOTTEN}';
    END IF;
  END IF;
  IF coalesce(cardinality(p_key_subjects), 0) > 0 THEN
    INSERT INTO eda_subject_keys (subject, key_id, key_data, created_at, seq)
    SELECT k.s, k.i, k.d, to_json(p_time) #>> '{}', 1 FROM unnest(p_key_subjects, p_key_ids, p_key_data) AS k(s, i, d);
  END IF;
  IF n > 0 THEN
    INSERT INTO eda_events (${EVENT_COLUMNS}, tx)
    SELECT last - n + x.i, p_stream, coalesce(head, -1) + x.i, x.m, x.t, x.v, p_time, x.c, x.ca, x.md::json, x.pl::json, pg_current_xact_id()
    FROM unnest(p_ids, p_types, p_versions, p_correlations, p_causations, p_metadata, p_payloads)
      WITH ORDINALITY AS x(m, t, v, c, ca, md, pl, i);
    INSERT INTO eda_outbox (id) SELECT generate_series(last - n + 1, last);
  END IF;
  RETURN jsonb_build_object('written', true, 'head', head, 'last', last);
END
$fn$;
CREATE OR REPLACE FUNCTION eda_append(
  p_stream text, p_kind text, p_expected bigint, p_time timestamptz,
  p_ids text[], p_types text[], p_versions int[], p_correlations text[], p_causations text[],
  p_metadata text[], p_payloads text[], p_command text, p_result jsonb,
  p_key_subjects text[], p_key_ids text[], p_key_data text[], p_key_epoch bigint
) RETURNS jsonb LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream));
  RETURN eda_write(p_stream, p_kind, p_expected, p_time, p_ids, p_types, p_versions, p_correlations,
    p_causations, p_metadata, p_payloads, p_command, p_result, NULL, p_key_subjects, p_key_ids, p_key_data, p_key_epoch);
END
$fn$;
-- The call without keys, as before they rode along (plain appends, scripts).
CREATE OR REPLACE FUNCTION eda_append(
  p_stream text, p_kind text, p_expected bigint, p_time timestamptz,
  p_ids text[], p_types text[], p_versions int[], p_correlations text[], p_causations text[],
  p_metadata text[], p_payloads text[], p_command text, p_result jsonb
) RETURNS jsonb LANGUAGE sql AS $fn$
  SELECT eda_append(p_stream, p_kind, p_expected, p_time, p_ids, p_types, p_versions, p_correlations,
    p_causations, p_metadata, p_payloads, p_command, p_result, NULL::text[], NULL::text[], NULL::text[], NULL::bigint)
$fn$;`;

/** The call of `eda_append`; its parameters are built by `appendParams`. */
export const CALL_APPEND =
  "SELECT eda_append($1, $2, $3, $4, $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12, $13::jsonb, " +
  "$14::text[], $15::text[], $16::text[], $17::bigint) AS r";

/** What `eda_append` answers. `command` is the earlier record when the command id was seen. */
export interface AppendAnswer {
  readonly written: boolean;
  readonly head: number | null;
  readonly last?: number;
  readonly command?: CommandJson | null;
}

/** A command record as `row_to_json` writes it. */
export interface CommandJson {
  readonly command_id: string;
  readonly stream: string;
  readonly result: unknown;
  readonly last_global_position: number | null;
  readonly time: string;
}

/** A snapshot as `row_to_json` writes it. */
export interface SnapshotJson {
  readonly stream: string;
  readonly position: number;
  readonly state: unknown;
  readonly schema_tag: string;
  readonly time: string;
}

/**
 * One statement for a command's first read, from one snapshot of the database: the command record
 * (null when new), the stream's snapshot with tag $3 (on the first row only) and the stream's events
 * after it. A stream with no events gives one row whose event columns are null.
 */
export const READ_FOR_COMMAND =
  "SELECT h.record, CASE WHEN row_number() OVER (ORDER BY e.position) = 1 THEN h.snapshot END AS snapshot, " +
  `${EVENT_COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")} ` +
  "FROM (SELECT (SELECT row_to_json(c) FROM eda_commands c WHERE command_id = $2) AS record, " +
  "(SELECT row_to_json(s) FROM eda_snapshots s WHERE stream = $1 AND schema_tag = $3) AS snapshot) h " +
  "LEFT JOIN eda_events e ON e.stream = $1 AND e.position > coalesce((h.snapshot->>'position')::bigint, -1) " +
  "ORDER BY e.position";
