export * from "./types.js";
export type { Outbox, OutboxRow } from "./store/outbox.js";
export * from "./store/event-store.js";
export { MemoryEventStore } from "./store/memory-store.js";
export { SqliteEventStore } from "./store/sqlite-store.js";
export { PostgresEventStore, redactUrl, type PostgresStoreOptions } from "./store/postgres-store.js";
export * from "./engine/store-url.js";
export * from "./engine/open-store.js";
