/** Opens the event store a URL names; see store-url.ts for the accepted URLs. */
import { StoreUnavailableError, type EventStore } from "../store/event-store.js";
import { MemoryEventStore } from "../store/memory-store.js";
import { PostgresEventStore, type PostgresStoreOptions } from "../store/postgres-store.js";
import { SqliteEventStore } from "../store/sqlite-store.js";
import { DEFAULT_STORE_URL, parseStoreUrl, readEngineUrl } from "./store-url.js";

/** Options for `openStore`; PostgreSQL-only options are ignored by the other engines. */
export type OpenStoreOptions = PostgresStoreOptions & {
  /** Where to read `EDA_STORE` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
};

/**
 * Opens an event store by URL: `url`, else `EDA_STORE`, else `sqlite:./eda.db`. Fails at once
 * with `EngineUrlError` for a bad URL and `StoreUnavailableError` for a server that does not
 * answer (PostgreSQL is connected eagerly, with a short timeout) or a file that cannot be opened.
 */
export async function openStore(url?: string, options: OpenStoreOptions = {}): Promise<EventStore> {
  const chosen = readEngineUrl(url, "EDA_STORE", DEFAULT_STORE_URL, options.env);
  const location = parseStoreUrl(chosen);
  const { env: _env, ...storeOptions } = options;
  switch (location.engine) {
    case "memory":
      return new MemoryEventStore(storeOptions);
    case "sqlite":
      try {
        return new SqliteEventStore(location.file, storeOptions);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreUnavailableError(chosen, reason, { cause: error });
      }
    case "postgres":
      return PostgresEventStore.open(location.url, storeOptions);
  }
}
