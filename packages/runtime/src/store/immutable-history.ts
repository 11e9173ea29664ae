/**
 * Stored events are history: the SQL stores refuse to change or remove them, whoever asks — the
 * runtime, a migration or a careless script. Triggers on `eda_events` raise on UPDATE and DELETE
 * (PostgreSQL also on TRUNCATE); INSERT goes through. Forgetting a data subject's key
 * (crypto-shredding, `forget`) is the sanctioned way to make personal data unreadable.
 *
 * A deliberate repair by an operator (a row written by hand that no build can read) unlocks the
 * history for one transaction only:
 * - PostgreSQL: `SET LOCAL eda.rewrite_history = 'on'` inside the transaction (it ends with it);
 * - SQLite: `INSERT INTO eda_history_unlock VALUES (1)` before the change and
 *   `DELETE FROM eda_history_unlock` before the commit, in the same transaction
 *   (`HISTORY_UNLOCK_SQL` gives both statements per engine).
 */

/** The message both engines raise, so that an operator sees the same refusal everywhere. */
export const IMMUTABLE_HISTORY_MESSAGE = "eda_events is append-only: stored events cannot be updated or deleted";

/** Created with the PostgreSQL schema (idempotent). */
export const PG_IMMUTABLE_HISTORY = `
CREATE OR REPLACE FUNCTION eda_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('eda.rewrite_history', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '${IMMUTABLE_HISTORY_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER eda_events_immutable BEFORE UPDATE OR DELETE ON eda_events
  FOR EACH ROW EXECUTE FUNCTION eda_refuse_history_change();
CREATE OR REPLACE TRIGGER eda_events_no_truncate BEFORE TRUNCATE ON eda_events
  FOR EACH STATEMENT EXECUTE FUNCTION eda_refuse_history_change();
`;

/** Created with the SQLite schema (idempotent). */
export const SQLITE_IMMUTABLE_HISTORY = `
CREATE TABLE IF NOT EXISTS eda_history_unlock (id INTEGER PRIMARY KEY CHECK (id = 1));
CREATE TRIGGER IF NOT EXISTS eda_events_no_update BEFORE UPDATE ON eda_events
  WHEN NOT EXISTS (SELECT 1 FROM eda_history_unlock)
  BEGIN SELECT RAISE(ABORT, '${IMMUTABLE_HISTORY_MESSAGE} (UPDATE refused)'); END;
CREATE TRIGGER IF NOT EXISTS eda_events_no_delete BEFORE DELETE ON eda_events
  WHEN NOT EXISTS (SELECT 1 FROM eda_history_unlock)
  BEGIN SELECT RAISE(ABORT, '${IMMUTABLE_HISTORY_MESSAGE} (DELETE refused)'); END;
`;

/** The statements that open and close a repair's unlocked window, per engine. */
export const HISTORY_UNLOCK_SQL = {
  postgres: { unlock: "SET LOCAL eda.rewrite_history = 'on'", relock: "SET LOCAL eda.rewrite_history = 'off'" },
  sqlite: { unlock: "INSERT OR IGNORE INTO eda_history_unlock (id) VALUES (1)", relock: "DELETE FROM eda_history_unlock" },
} as const;
