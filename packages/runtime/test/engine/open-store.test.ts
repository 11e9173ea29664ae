/** Engine selection: store URLs, EDA_STORE, and clear failures at start. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/engine/open-store.js";
import { DEFAULT_STORE_URL, EngineUrlError, parseStoreUrl, readEngineUrl } from "../../src/engine/store-url.js";
import { StoreUnavailableError } from "../../src/store/event-store.js";
import { createPgDatabase, newEvent } from "../store/support.js";

describe("parseStoreUrl", () => {
  it("accepts sqlite, memory and postgres URLs", () => {
    expect(parseStoreUrl("sqlite:./eda.db")).toEqual({ engine: "sqlite", file: "./eda.db" });
    expect(parseStoreUrl("sqlite:/var/lib/app/events.db")).toEqual({ engine: "sqlite", file: "/var/lib/app/events.db" });
    expect(parseStoreUrl("sqlite:///var/lib/app/events.db")).toEqual({ engine: "sqlite", file: "/var/lib/app/events.db" });
    expect(parseStoreUrl("memory:")).toEqual({ engine: "memory" });
    expect(parseStoreUrl("postgres://u:p@db:5432/shop")).toEqual({ engine: "postgres", url: "postgres://u:p@db:5432/shop" });
    expect(parseStoreUrl("postgresql://db/shop")).toEqual({ engine: "postgres", url: "postgresql://db/shop" });
  });

  it("names the URL and the accepted schemes when it refuses one", () => {
    expect(() => parseStoreUrl("mysql://db/shop")).toThrow(EngineUrlError);
    expect(() => parseStoreUrl("mysql://db/shop")).toThrow(
      'I cannot use "mysql://db/shop" as the store URL. Accepted: sqlite:<file>, memory:, postgres://…, postgresql://….',
    );
    expect(() => parseStoreUrl("sqlite:")).toThrow(/"sqlite:" as the store URL \(no file after sqlite:\)/);
    expect(() => parseStoreUrl("postgres://[bad")).toThrow(/not a valid PostgreSQL connection URL/);
    expect(() => parseStoreUrl("./eda.db")).toThrow(/Accepted: sqlite:<file>/);
  });
});

describe("readEngineUrl", () => {
  it("prefers code, then the environment variable, then the default", () => {
    expect(readEngineUrl("memory:", "EDA_STORE", DEFAULT_STORE_URL, { EDA_STORE: "sqlite:x.db" })).toBe("memory:");
    expect(readEngineUrl(undefined, "EDA_STORE", DEFAULT_STORE_URL, { EDA_STORE: " sqlite:x.db " })).toBe("sqlite:x.db");
    expect(readEngineUrl(undefined, "EDA_STORE", DEFAULT_STORE_URL, { EDA_STORE: "  " })).toBe("sqlite:./eda.db");
    expect(readEngineUrl(undefined, "EDA_STORE", DEFAULT_STORE_URL, {})).toBe("sqlite:./eda.db");
  });
});

describe("openStore", () => {
  it("opens a SQLite file named by EDA_STORE, creating its directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eda-engine-"));
    try {
      const store = await openStore(undefined, { env: { EDA_STORE: `sqlite:${join(dir, "nested", "events.db")}` } });
      expect(store.engine).toBe("sqlite");
      await store.append("s", [newEvent("A", {})], { kind: "no-stream" });
      await store.close();
      const again = await openStore(`sqlite:${join(dir, "nested", "events.db")}`);
      expect(await again.headPosition()).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens the in-memory store and PostgreSQL by URL", async () => {
    const memory = await openStore("memory:");
    expect(memory.engine).toBe("memory");
    await memory.close();
    const db = await createPgDatabase();
    try {
      const store = await openStore(undefined, { env: { EDA_STORE: db.url } });
      expect(store.engine).toBe("postgres");
      await store.append("s", [newEvent("A", {})], { kind: "no-stream" });
      expect(await store.headPosition()).toBe(1);
      await store.close();
    } finally {
      await db.drop();
    }
  });

  it("fails at start with a clear error for a bad URL", async () => {
    await expect(openStore("redis://localhost")).rejects.toThrow(EngineUrlError);
    await expect(openStore(undefined, { env: { EDA_STORE: "mongodb://x" } })).rejects.toThrow(/"mongodb:\/\/x" as the store URL/);
  });

  it("fails at start when PostgreSQL does not answer, without showing the password", async () => {
    const opening = openStore("postgres://app:s3cret@127.0.0.1:1/shop", { connectTimeoutMs: 3000 });
    await expect(opening).rejects.toThrow(StoreUnavailableError);
    await expect(opening).rejects.toThrow(/^cannot open the event store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/shop: .*ECONNREFUSED/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it("fails at start when the PostgreSQL database does not exist", async () => {
    const missing = "postgres://postgres@127.0.0.1:5432/eda_no_such_database";
    await expect(openStore(missing)).rejects.toThrow(/cannot open the event store at .*eda_no_such_database: database "eda_no_such_database" does not exist/);
  });

  it("fails at start when the SQLite file cannot be created", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eda-engine-"));
    try {
      // A directory cannot be made below a regular file.
      const blocker = join(dir, "plain-file");
      writeFileSync(blocker, "");
      const url = `sqlite:${join(blocker, "events.db")}`;
      await expect(openStore(url)).rejects.toThrow(StoreUnavailableError);
      await expect(openStore(url)).rejects.toThrow(`cannot open the event store at ${url}: `);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
