/**
 * Opens the event store a URL names; see store-url.ts for the accepted URLs. The drivers are
 * optional peer dependencies, imported only for the scheme that needs them: an application on
 * PostgreSQL never loads (or installs) better-sqlite3, one on SQLite never loads pg.
 */
import { NoEventStoreError, StoreUnavailableError, type EventStore } from "../store/event-store.js";
import { MemoryEventStore } from "../store/memory-store.js";
import type { PostgresStoreOptions } from "../store/postgres-store.js";
import { importDrivers, nativeImport, type ModuleImporter } from "./missing-driver.js";
import { DEFAULT_STORE_URL, parseStoreUrl, readEngineUrl, type EngineEnv } from "./store-url.js";

/** Options for `openStore`; PostgreSQL-only options are ignored by the other engines. */
export type OpenStoreOptions = PostgresStoreOptions & {
  /** Where to read `EDA_STORE` from (default `process.env`). */
  readonly env?: EngineEnv;
  /** Loads the driver packages (tests hide one with it); default Node's `import()`. */
  readonly importer?: ModuleImporter;
  /**
   * Open an event store that is there already: a database without `eda_events` is refused with
   * `NoEventStoreError`, and nothing is created in it (the operator commands open stores so). A
   * store made by an earlier version still gets the tables it lacks.
   */
  readonly existing?: boolean;
};

/** The driver package each store engine needs, as users install it. */
export const STORE_DRIVERS = { sqlite: "better-sqlite3", postgres: "pg" } as const;

/**
 * Opens an event store by URL: `url`, else `EDA_STORE`, else `sqlite:./eda.db`. Fails at once
 * with `EngineUrlError` for a bad URL, `MissingDriverError` when the engine's driver package is
 * not installed, and `StoreUnavailableError` for a server that does not answer (PostgreSQL is
 * connected eagerly, with a short timeout) or a file that cannot be opened.
 */
export async function openStore(url?: string, options: OpenStoreOptions = {}): Promise<EventStore> {
  const chosen = readEngineUrl(url, "EDA_STORE", DEFAULT_STORE_URL, options.env);
  const location = parseStoreUrl(chosen);
  const { env: _env, importer = nativeImport, existing = false, ...storeOptions } = options;
  switch (location.engine) {
    case "memory":
      return new MemoryEventStore(storeOptions);
    case "sqlite": {
      await importDrivers(`the SQLite store (${chosen.startsWith("sqlite:") ? "sqlite:…" : chosen})`, [STORE_DRIVERS.sqlite], importer);
      const { SqliteEventStore, holdsEventStore } = await import("../store/sqlite-store.js");
      if (existing && location.file !== ":memory:" && !holdsEventStore(location.file)) throw new NoEventStoreError(chosen);
      try {
        return new SqliteEventStore(location.file, storeOptions);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreUnavailableError(chosen, reason, { cause: error });
      }
    }
    case "postgres": {
      await importDrivers("the PostgreSQL store (postgres://…)", [STORE_DRIVERS.postgres], importer);
      const { PostgresEventStore } = await import("../store/postgres-store.js");
      return PostgresEventStore.open(location.url, { ...storeOptions, existing });
    }
  }
}
