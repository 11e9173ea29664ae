/** The SQLite store's tables. `user_version` records the schema version for later migrations. */
export const SQLITE_SCHEMA_VERSION = 2;

/** Creates every table the store uses, if missing. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS eda_events (
  global_position INTEGER PRIMARY KEY,
  stream TEXT NOT NULL,
  position INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  version INTEGER NOT NULL,
  time TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id TEXT,
  metadata TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS eda_events_stream ON eda_events (stream, position);
CREATE TABLE IF NOT EXISTS eda_outbox (id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS eda_snapshots (
  stream TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  state TEXT NOT NULL,
  schema_tag TEXT NOT NULL,
  time TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS eda_commands (
  command_id TEXT PRIMARY KEY,
  stream TEXT NOT NULL,
  result TEXT NOT NULL,
  last_global_position INTEGER,
  time TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS eda_checkpoints (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  last_event_time TEXT
);
CREATE TABLE IF NOT EXISTS eda_rows (
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  row_value TEXT NOT NULL,
  PRIMARY KEY (table_name, row_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS eda_processed (
  consumer TEXT NOT NULL,
  message_id TEXT NOT NULL,
  processed_at TEXT,
  PRIMARY KEY (consumer, message_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS eda_parked (
  runner TEXT NOT NULL,
  global_position INTEGER NOT NULL,
  stream TEXT NOT NULL,
  position INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  version INTEGER NOT NULL,
  reason TEXT NOT NULL,
  path TEXT,
  error TEXT NOT NULL,
  blocking INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  parked_at TEXT NOT NULL,
  PRIMARY KEY (runner, global_position)
) WITHOUT ROWID;
`;

/**
 * Version 2 added `eda_processed.processed_at` (ISO time of the record), for retention; the
 * index on it is made after the column exists (sqlite-connection.ts migrates a version-1 file).
 */
export const SQLITE_PROCESSED_AT_INDEX = "CREATE INDEX IF NOT EXISTS eda_processed_at ON eda_processed (processed_at)";
