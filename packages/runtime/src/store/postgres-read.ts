/**
 * The PostgreSQL log's readers. Appends commit out of position order (postgres-append.ts), so a
 * reader reads only the events of transactions whose ids are below the horizon: the id of the
 * oldest append still running, or, with none, the next id to be assigned. Every append below the
 * horizon has ended, and every append at or above it has higher positions than any event below
 * it: what a reader gets is a prefix of the log that no later commit can extend below its end.
 *
 * `eda_horizon` finds the appends under way by the shared advisory lock each holds from before
 * its id is assigned until it ends, and their ids in `pg_locks`. It reads the snapshot first and
 * the locks after: an append that ended in between is below the horizon but committed, and the
 * events are read by a later statement (`eda_read_all`, a new snapshot in READ COMMITTED), which
 * sees it. Transactions that do not append (other databases', a projection's batch) never hold
 * the readers back. Rows of stores made before the `tx` column (null) are final.
 */
import { APPENDING_LOCK_CLASS } from "./postgres-append.js";

/** Creates (or replaces) the readers' functions; run with the schema, under its advisory lock. */
export const PG_READ_FUNCTIONS = `
CREATE OR REPLACE FUNCTION eda_horizon() RETURNS xid8 LANGUAGE sql VOLATILE AS $fn$
  SELECT coalesce((
    SELECT min(x) FROM pg_snapshot_xip(s) AS x
    WHERE (x::text::bigint % 4294967296) IN (
      SELECT t.transactionid::text::bigint
      FROM pg_locks a JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction AND t.locktype = 'transactionid'
      WHERE a.locktype = 'advisory' AND a.classid = ${APPENDING_LOCK_CLASS} AND a.objid = 0 AND a.objsubid = 2
        AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
  ), pg_snapshot_xmax(s))
  FROM (SELECT pg_current_snapshot() AS s) AS snapshot
$fn$;
CREATE OR REPLACE FUNCTION eda_read_all(p_from bigint, p_limit int) RETURNS SETOF eda_events LANGUAGE plpgsql AS $fn$
DECLARE
  h xid8 := eda_horizon();
BEGIN
  RETURN QUERY SELECT * FROM eda_events
    WHERE global_position >= p_from AND coalesce(tx, '0') < h ORDER BY global_position LIMIT p_limit;
END
$fn$;
CREATE OR REPLACE FUNCTION eda_head() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  h xid8 := eda_horizon();
BEGIN
  RETURN (SELECT coalesce(max(global_position), 0) FROM eda_events WHERE coalesce(tx, '0') < h);
END
$fn$;
CREATE OR REPLACE FUNCTION eda_unsent(p_limit int) RETURNS SETOF eda_events LANGUAGE plpgsql AS $fn$
DECLARE
  h xid8 := eda_horizon();
BEGIN
  RETURN QUERY SELECT e.* FROM eda_outbox o JOIN eda_events e ON e.global_position = o.id
    WHERE coalesce(e.tx, '0') < h ORDER BY o.id LIMIT p_limit;
END
$fn$;`;
