/**
 * `eda store verify [--store URL] [--config FILE] [--codec FILE] [--upcasts FILE] [--format F]`:
 * reads every event of a store through the current model's `deserialize` and reports each one
 * it cannot read — stream, position, type, version, field, reason. Exit 0 when every event
 * reads, 1 when some do not, 2 for usage and I/O problems (a bad URL, a store that does not
 * answer, a missing codec). Memory stays constant (the log is read in batches and nothing is
 * kept); on a terminal, stderr shows the progress.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { loadModelCodec, type ProjectRuntime } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { printable } from "../printable.js";
import type { VERIFY_FORMATS } from "./store-verify-formats.js";


/** Options of `eda store verify`. */
export interface StoreVerifyOptions {
  readonly store?: string;
  readonly config?: string;
  readonly codec?: string;
  readonly upcasts?: string;
  readonly format: (typeof VERIFY_FORMATS)[number];
  /** Where `EDA_STORE` is read from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** What the runtime reports about an event it cannot read (see `UnreadableEvent`). */
interface Unreadable {
  readonly stream: string;
  readonly position: number;
  readonly globalPosition: number;
  readonly type: string;
  readonly version: number;
  readonly path: string | null;
  readonly reason: string;
  readonly message: string;
}

export async function runStoreVerify(options: StoreVerifyOptions, term: Terminal): Promise<number> {
  const config = await loadConfig(term.cwd, { ...(options.config !== undefined ? { file: options.config } : {}), optional: true });
  const url = storeUrl(options, config?.store);
  const codecFile = options.codec !== undefined ? resolve(term.cwd, options.codec) : config?.out !== undefined ? resolve(config.out, "codec.ts") : undefined;
  if (codecFile === undefined) throw new CliError('no generated codec to read the store with: pass --codec FILE, or set "out" in eda.config.json');
  const { codec, runtime } = await loadModelCodec({
    codec: codecFile,
    cwd: term.cwd,
    ...(options.upcasts !== undefined ? { upcasts: resolve(term.cwd, options.upcasts) } : {}),
    ...(config !== undefined ? { config } : {}),
  });
  const opened = await open(runtime, url);
  // Decrypts the model's `@pii(subject)` fields (forgotten ones read as the placeholder).
  const store = runtime.withEncryption === undefined ? opened : runtime.withEncryption(opened, codec, undefined);
  try {
    const progress = progressLine(term);
    let report: Awaited<ReturnType<ProjectRuntime["verifyStore"]>>;
    try {
      report = await runtime.verifyStore(store, codec, {
        onUnreadable: (e: Unreadable) => {
          progress.clear();
          term.out(options.format === "json" ? `${JSON.stringify(e)}\n` : describe(e));
        },
        onProgress: progress.update,
      });
    } catch (error) {
      progress.clear();
      // A master key that does not fit the stored keys is the process's configuration, not a bug.
      if (error instanceof Error && error.name === "MasterKeyError") throw new CliError(`cannot read the personal data of the store: ${error.message}`);
      throw error;
    }
    progress.clear();
    const summary = { events: report.events, unreadable: report.unreadable };
    if (options.format === "json") term.err(`${JSON.stringify(summary)}\n`);
    else term.out(`verified ${count(report.events, "event")}: ${report.unreadable === 0 ? "every one reads" : `${count(report.unreadable, "event")} cannot be read`}\n`);
    return report.unreadable === 0 ? EXIT.ok : EXIT.problems;
  } finally {
    await store.close();
  }
}

/** `--store`, else `EDA_STORE`, else the config's `store`. */
export function storeUrl(options: { readonly store?: string | undefined; readonly env?: NodeJS.ProcessEnv | undefined }, configured: string | undefined): string {
  const fromEnv = (options.env ?? process.env)["EDA_STORE"]?.trim();
  const url = options.store ?? (fromEnv === undefined || fromEnv === "" ? configured : fromEnv);
  if (url === undefined) throw new CliError('no store to read: pass --store URL, set EDA_STORE, or add "store" to eda.config.json');
  return url;
}

/**
 * Opens the store; a SQLite file that does not exist, or a database without eda's tables, is an
 * error here, not a new empty store: eda's schema is not created in another application's database.
 */
export async function open(runtime: ProjectRuntime, url: string): Promise<{ close(): Promise<void> }> {
  try {
    const location = runtime.parseStoreUrl(url);
    if (location.engine === "sqlite" && location.file !== undefined && location.file !== ":memory:" && !existsSync(location.file)) {
      throw new CliError(`no SQLite store at ${location.file}`);
    }
    return await runtime.openStore(url, { existing: true });
  } catch (error) {
    // The runtime's errors name the URL with its password masked.
    if (error instanceof CliError) throw error;
    if (error instanceof Error && error.name === "NoEventStoreError") {
      throw new CliError(`${error.message}: is it the right store? Check --store, EDA_STORE or the config's "store"`);
    }
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function describe(e: Unreadable): string {
  const field = e.path === null ? "" : ` at ${e.path}`;
  return `${printable(`${e.stream} #${e.position} (global ${e.globalPosition}) ${e.type} v${e.version}: ${e.reason}${field}`)}\n  ${printable(e.message)}\n`;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;
}

/** A progress line on stderr, redrawn at most every 200 ms, only on a terminal. */
function progressLine(term: Terminal): { update: (p: { read: number; head: number; unreadable: number }) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      if (term.errIsTTY !== true || Date.now() - last < 200) return;
      last = Date.now();
      shown = true;
      const share = p.head > 0 ? ` (${Math.min(100, Math.floor((p.read / p.head) * 100))}%)` : "";
      term.err(`\rverifying: ${count(p.read, "event")} of ${p.head.toLocaleString("en")}${share}, ${p.unreadable.toLocaleString("en")} unreadable\u001b[K`);
    },
    clear: () => {
      if (shown) term.err("\r\u001b[K");
      shown = false;
    },
  };
}
