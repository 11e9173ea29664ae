/**
 * Engine selection by URL. A store URL is `sqlite:<file>` (the default, `sqlite:./eda.db`),
 * `memory:`, or `postgres://…` / `postgresql://…`; `EDA_STORE` supplies it when code does not.
 * The bus side (`EDA_BUS`, `memory:` / `amqp://…`) reuses `readEngineUrl` and `EngineUrlError`.
 */

import { maskCredentials } from "./mask-url.js";

/** Environment variables, as `process.env` holds them (declared here so users need no @types/node). */
export type EngineEnv = Readonly<Record<string, string | undefined>>;

/** The store URL used when neither code nor `EDA_STORE` names one. */
export const DEFAULT_STORE_URL = "sqlite:./eda.db";

/** The store URL schemes `openStore` accepts, for messages. */
export const STORE_SCHEMES = ["sqlite:<file>", "memory:", "postgres://…", "postgresql://…"] as const;

/** A parsed store URL. */
export type StoreLocation =
  | { readonly engine: "memory" }
  | { readonly engine: "sqlite"; readonly file: string }
  | { readonly engine: "postgres"; readonly url: string };

/** Thrown for a URL whose scheme or shape no engine accepts; names the URL and the accepted schemes. */
export class EngineUrlError extends Error {
  override readonly name = "EngineUrlError";
  /** The URL as given, its password masked. */
  readonly url: string;

  constructor(
    readonly kind: "store" | "bus",
    url: string,
    readonly accepted: readonly string[],
    detail?: string,
  ) {
    const shown = maskCredentials(url);
    super(
      `I cannot use ${JSON.stringify(shown)} as the ${kind} URL${detail === undefined ? "" : ` (${detail})`}. ` +
        `Accepted: ${accepted.join(", ")}.`,
    );
    this.url = shown;
  }
}

/**
 * The URL to use: `explicit` when given, else the environment variable `variable` when set
 * and not blank, else `fallback`.
 */
export function readEngineUrl(
  explicit: string | undefined,
  variable: string,
  fallback: string,
  env: EngineEnv = process.env,
): string {
  if (explicit !== undefined) return explicit;
  const fromEnv = env[variable]?.trim();
  return fromEnv === undefined || fromEnv === "" ? fallback : fromEnv;
}

/** Parses a store URL, throwing `EngineUrlError` for anything it does not accept. */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === "memory:" || trimmed === "memory://") return { engine: "memory" };
  if (trimmed.startsWith("sqlite:")) {
    const file = trimmed.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "") throw new EngineUrlError("store", url, STORE_SCHEMES, "no file after sqlite:");
    return { engine: "sqlite", file };
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new EngineUrlError("store", url, STORE_SCHEMES, "not a valid PostgreSQL connection URL");
    }
    return { engine: "postgres", url: trimmed };
  }
  throw new EngineUrlError("store", url, STORE_SCHEMES);
}
