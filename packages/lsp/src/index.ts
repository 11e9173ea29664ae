/**
 * @eda/lsp — the eda language server. `runStdioServer(host)` serves one client over standard input
 * and output (what `eda lsp` runs); `startServer` serves any connection.
 */
import { createConnection, StreamMessageReader, StreamMessageWriter, type DataCallback, type MessageReader } from "vscode-languageserver/node";
import { startServer } from "./server.js";
import type { WorkspaceHost } from "./workspace.js";

export { startServer, type ServerOptions } from "./server.js";
export type { ConfigProblem, ConfigReport, FoundProjects, ProjectSpec, WorkspaceHost } from "./workspace.js";

/** Edits change the model: counted as they are read, so a check can tell that its result is stale (a save applies a large document's edits). */
const EDITS = new Set(["textDocument/didChange", "textDocument/didOpen", "textDocument/didClose", "textDocument/didSave", "workspace/didChangeWatchedFiles"]);

/** A reader that counts edit notifications as soon as they are read, before they are handled. */
export function countingReader(inner: MessageReader): { reader: MessageReader; edits: () => number } {
  let edits = 0;
  const reader: MessageReader = {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    listen(callback: DataCallback) {
      return inner.listen((message) => {
        if ("method" in message && EDITS.has((message as { method: string }).method)) edits++;
        callback(message);
      });
    },
    dispose: () => inner.dispose(),
  };
  return { reader, edits: () => edits };
}

/** Serves one client over stdin/stdout until it asks the server to exit. */
export function runStdioServer(host: WorkspaceHost, version: string): void {
  const { reader, edits } = countingReader(new StreamMessageReader(process.stdin));
  const connection = createConnection(reader, new StreamMessageWriter(process.stdout));
  // Nothing else may write to stdout: it carries the protocol.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(" "));
  // A client that goes away without `exit` (its end of the pipe closed) ends the server too.
  reader.onClose(() => process.exit(0));
  startServer(connection, { host, editsReceived: edits, version });
}
