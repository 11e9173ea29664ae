/**
 * `@eda/runtime/postgres`: the PostgreSQL event store class, for code that builds one itself.
 * Needs the optional peer dependency `pg`; `openStore("postgres://…")` (and so `createApp`) loads
 * it on its own, and throws `MissingDriverError` when it is not installed.
 */
export { PostgresEventStore, type PostgresStoreOptions } from "../store/postgres-store.js";
