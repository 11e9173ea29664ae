/**
 * A TCP proxy between a client and a shared server, for cutting connections in fault tests
 * without touching the server or its other clients: `sever()` destroys every connection that
 * passed through the proxy (both sides), as a network failure would; `close()` also stops
 * listening, so the address becomes unreachable.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

/** A running proxy. */
export interface TcpProxy {
  /** `127.0.0.1:<port>` of the proxy. */
  readonly address: string;
  /** Connections that went through so far. */
  readonly accepted: number;
  /** Client connections open right now. */
  readonly open: number;
  /** Destroys every open connection; new ones are still accepted. */
  sever(): void;
  /** Severs and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to `target` (`host:port`). */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host = "127.0.0.1", port = "0"] = target.split(":");
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    clients.add(client);
    client.on("close", () => clients.delete(client));
    const upstream = connect(Number(port), host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: own } = server.address() as { port: number };
  const sever = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    address: `127.0.0.1:${own}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return clients.size;
    },
    sever,
    close: async () => {
      sever();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
