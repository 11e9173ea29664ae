// Preloaded (node --import) into the packaging process: any attempt to open a network
// connection fails loudly, so `pnpm package:vscode` proves it builds offline.
import net from "node:net";

/** Printed on stderr for every blocked attempt; the build script fails when it sees it. */
export const BLOCKED = "eda-offline-guard: blocked network access";

function block(what) {
  process.stderr.write(`${BLOCKED} (${what})\n`);
  throw new Error(`${BLOCKED} (${what}): packaging must work offline`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // net.connect() passes its normalized arguments as one array.
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  // Local IPC (a path) is not network access; TCP to any host is.
  if (typeof target === "object" && target !== null && typeof target.path === "string") return connect.apply(this, args);
  if (typeof target === "string" && Number.isNaN(Number(target))) return connect.apply(this, args);
  const where = typeof target === "object" && target !== null ? `${target.host ?? "localhost"}:${target.port}` : args.slice(0, 2).join(" ");
  return block(`connect ${where}`);
};
globalThis.fetch = async (input) => block(`fetch ${String(input instanceof Request ? input.url : input)}`);
