/**
 * `@eda/runtime/sqlite`: the SQLite event store class, for code that builds one itself. Needs the
 * optional peer dependency `better-sqlite3`; `openStore("sqlite:…")` (and so `createApp`) loads
 * it on its own, and throws `MissingDriverError` when it is not installed.
 */
export { SqliteEventStore } from "../store/sqlite-store.js";
