/**
 * The PostgreSQL store's tables. Global positions come from the sequence `eda_position`, handed
 * out in blocks by `eda_allocate` (postgres-append.ts) in the order of the appending transactions'
 * ids, and every event row keeps the id of the transaction that wrote it (`tx`). Appends do not
 * wait for each other (but for appends to the same stream); positions may have gaps (an append
 * that failed after taking its block) and commit out of order. Readers therefore read only below
 * the oldest append still running: what they see is final, and no later commit can add a
 * position below it (postgres-read.ts).
 *
 * Stores made by earlier versions serialized appends on a counter row, `eda_global`; opening one
 * adds the `tx` column (its old rows keep null: final) and starts the sequence after the counter.
 */
export const PG_SCHEMA = `
CREATE TABLE IF NOT EXISTS eda_events (
  global_position bigint PRIMARY KEY,
  stream text NOT NULL,
  position bigint NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  version int NOT NULL,
  time timestamptz NOT NULL,
  correlation_id text NOT NULL,
  causation_id text,
  metadata json NOT NULL,
  payload json NOT NULL,
  UNIQUE (stream, position)
);
-- Both steps run only when needed, like the migration of eda_processed below.
DO $$ DECLARE counter bigint := 0; head bigint; BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'eda_events' AND column_name = 'tx') THEN
    ALTER TABLE eda_events ADD COLUMN tx xid8;
  END IF;
  IF to_regclass('eda_position') IS NULL THEN
    IF to_regclass('eda_global') IS NOT NULL THEN
      EXECUTE 'SELECT coalesce(max(position), 0) FROM eda_global' INTO counter;
    END IF;
    SELECT greatest(counter, coalesce(max(global_position), 0)) INTO head FROM eda_events;
    CREATE SEQUENCE eda_position AS bigint;
    PERFORM setval('eda_position', greatest(head, 1), head > 0);
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS eda_outbox (id bigint PRIMARY KEY);
CREATE TABLE IF NOT EXISTS eda_snapshots (
  stream text PRIMARY KEY,
  position bigint NOT NULL,
  state jsonb NOT NULL,
  schema_tag text NOT NULL,
  time timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS eda_commands (
  command_id text PRIMARY KEY,
  stream text NOT NULL,
  result jsonb NOT NULL,
  last_global_position bigint,
  time timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS eda_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  last_event_time text
);
CREATE TABLE IF NOT EXISTS eda_rows (
  table_name text NOT NULL,
  row_key text NOT NULL,
  row_value jsonb NOT NULL,
  PRIMARY KEY (table_name, row_key)
);
CREATE TABLE IF NOT EXISTS eda_processed (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
-- A store made before retention gains the column; its rows are stamped with the migration time.
-- Both statements run only when needed: even with IF NOT EXISTS they would lock the table, and
-- every process opening the store would queue behind the consumers writing to it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'eda_processed' AND column_name = 'processed_at') THEN
    ALTER TABLE eda_processed ADD COLUMN processed_at timestamptz NOT NULL DEFAULT now();
  END IF;
  IF to_regclass('eda_processed_at') IS NULL THEN
    CREATE INDEX eda_processed_at ON eda_processed (processed_at);
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS eda_parked (
  runner text NOT NULL,
  global_position bigint NOT NULL,
  stream text NOT NULL,
  position bigint NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  version int NOT NULL,
  reason text NOT NULL,
  path text,
  error text NOT NULL,
  blocking boolean NOT NULL,
  attempts int NOT NULL,
  parked_at text NOT NULL,
  PRIMARY KEY (runner, global_position)
);
`;

/** Key of the advisory lock that keeps two processes from creating the schema at once. */
export const PG_SCHEMA_LOCK = 0x6564_6131;

/** The LISTEN/NOTIFY channel on which appends announce the new head position. */
export const PG_CHANNEL = "eda_events";
