/**
 * A RabbitMQ connection that comes back. The first connect must succeed (a bad URL fails at
 * start); after that, a lost connection — broker restart, `close_all_connections`, network —
 * is re-opened with exponential back-off until `close()`, and the owner's `setup` runs again
 * on each new connection to re-declare topology, re-open channels and re-subscribe.
 *
 * With several addresses (the nodes of a cluster), each attempt tries them in turn, starting
 * after the one last used when a connection was lost (that node may be the one that went
 * away), and in the given order at start.
 */
import { connect, type ChannelModel } from "amqplib";
import { backoffDelay, sleep, type BackoffOptions } from "../backoff.js";
import type { ConnectionEvent } from "../connection-event.js";
import type { TlsOptions } from "../../engine/tls.js";

export type { ConnectionEvent } from "../connection-event.js";

/** Options of a reconnecting connection. */
export interface RabbitConnectionOptions {
  /** Back-off between reconnect attempts (default 100 ms doubling to 5 s). */
  readonly reconnect?: BackoffOptions;
  /** TCP and handshake timeout of one connect attempt (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Shown in the broker's connection list. */
  readonly connectionName?: string;
  /** TLS of `amqps://` addresses: the CA the broker's certificate must chain to; client certificate and key (mutual TLS). */
  readonly tls?: TlsOptions;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

/** Runs on every new connection; a throw makes that connection count as failed. */
export type Setup = (model: ChannelModel) => Promise<void>;

/** Runs once a connection is set up and current (`current` returns it from now on). */
export type OnReady = (model: ChannelModel) => void;

const DEFAULT_RECONNECT: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/** A connection that re-opens itself with back-off after it is lost. */
export class RabbitConnection {
  #model: ChannelModel | null = null;
  /** The index in `urls` of the address to try first. */
  #next = 0;
  #closing = false;
  #reconnecting = false;
  readonly #abort = new AbortController();

  private constructor(
    private readonly urls: readonly string[],
    private readonly setup: Setup,
    private readonly options: RabbitConnectionOptions,
    private readonly onReady: OnReady,
  ) {}

  /** Connects once (trying each address), running `setup`; rejects if that fails (no retry at start). */
  static async open(
    urls: string | readonly string[],
    setup: Setup,
    options: RabbitConnectionOptions = {},
    onReady: OnReady = () => undefined,
  ): Promise<RabbitConnection> {
    const list = typeof urls === "string" ? [urls] : urls;
    if (list.length === 0) throw new Error("no broker address to connect to");
    const connection = new RabbitConnection(list, setup, options, onReady);
    await connection.#connectAny();
    return connection;
  }

  /** The live connection, or null while reconnecting. */
  get current(): ChannelModel | null {
    return this.#model;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Drops the live connection so that the reconnect loop rebuilds everything. */
  async reset(): Promise<void> {
    const model = this.#model;
    if (model !== null) await model.close().catch(() => undefined);
  }

  /** Closes for good: no more reconnects. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#abort.abort();
    const model = this.#model;
    this.#model = null;
    if (model !== null) await model.close().catch(() => undefined);
  }

  /** Tries every address once, from `#next` on; resolves with the index of the one that took. */
  async #connectAny(): Promise<number> {
    const failures: { readonly url: string; readonly error: unknown }[] = [];
    for (let i = 0; i < this.urls.length; i++) {
      const at = (this.#next + i) % this.urls.length;
      const url = this.urls[at] ?? "";
      try {
        await this.#connect(url);
        this.#next = at;
        return at;
      } catch (error) {
        failures.push({ url, error });
        if (this.#closing) break;
      }
    }
    throw failures.length === 1 ? failures[0]?.error : everyAddressFailed(failures);
  }

  async #connect(url: string): Promise<void> {
    const model = await connect(url, {
      timeout: this.options.connectTimeoutMs ?? 5_000,
      clientProperties: { connection_name: this.options.connectionName ?? "eda-runtime" },
      ...this.options.tls,
    });
    let ready = false;
    let closed = false;
    // An 'error' is always followed by 'close'; the listener only keeps it from being thrown.
    model.on("error", () => undefined);
    model.on("close", (error?: Error) => {
      closed = true;
      if (ready) this.#lost(model, error ?? null);
    });
    try {
      await this.setup(model);
      if (closed) throw new Error("the connection closed during setup");
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
    if (this.#closing) {
      await model.close().catch(() => undefined);
      return;
    }
    ready = true;
    this.#model = model;
    this.onReady(model);
  }

  #lost(model: ChannelModel, error: Error | null): void {
    if (this.#model !== model) return;
    this.#model = null;
    if (this.#closing) return;
    this.#next = (this.#next + 1) % this.urls.length;
    this.options.onEvent?.({ kind: "lost", error });
    void this.#reconnectLoop();
  }

  async #reconnectLoop(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    const backoff = this.options.reconnect ?? DEFAULT_RECONNECT;
    try {
      for (let attempt = 1; !this.#closing; attempt++) {
        await sleep(backoffDelay(attempt, backoff), this.#abort.signal);
        if (this.#closing) return;
        try {
          const at = await this.#connectAny();
          const address = this.urls.length > 1 ? addressOf(this.urls[at] ?? "") : undefined;
          this.options.onEvent?.({ kind: "reconnected", attempt, ...(address === undefined ? {} : { address }) });
          return;
        } catch (error) {
          this.options.onEvent?.({ kind: "reconnect-failed", attempt, error });
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }
}

/** `host:port` of a single-address URL (no credentials), for logs. */
function addressOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}

/** One error for a failed attempt on every address; it keeps the first one's code for callers that look at it. */
function everyAddressFailed(failures: readonly { readonly url: string; readonly error: unknown }[]): Error {
  const parts = failures.map(({ url, error }) => `${addressOf(url)}: ${error instanceof Error ? error.message : String(error)}`);
  const error = new Error(`no address answered (${parts.join("; ")})`, { cause: failures[0]?.error });
  const code = (failures[0]?.error as { code?: unknown } | null)?.code;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}
