/**
 * A language client for the protocol tests: starts `eda lsp --stdio` (the real bin) in a folder,
 * talks JSON-RPC to it over its stdin and stdout, and records what it publishes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-languageserver-protocol/node";
import type { Diagnostic, InitializeResult, Position, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol";
import { BIN, ensureBundle, ROOT } from "../cli/helpers.js";

/** A diagnostic's message as text: the server sends plain text, never the protocol's markup form. */
export function messageText(d: Diagnostic): string {
  if (typeof d.message !== "string") throw new Error(`a diagnostic with a markup message: ${JSON.stringify(d.message)}`);
  return d.message;
}

/** A running server and a client connected to it. */
export interface TestClient {
  readonly folder: string;
  readonly connection: MessageConnection;
  readonly initialized: InitializeResult;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[];
  /** The text of every window/showMessage received, in order. */
  readonly messages: string[];
  /** The `file:` URI of a file of the folder. */
  uri(file: string): string;
  /** Opens a document with the given text (default: the file's text on disk). */
  open(file: string, text?: string): Promise<void>;
  /** Replaces a document's whole text (a new version). */
  change(file: string, text: string): Promise<number>;
  /** Applies incremental changes (a new version). */
  edit(file: string, changes: TextDocumentContentChangeEvent[]): Promise<number>;
  /** Tells the server the document was saved. */
  save(file: string): Promise<void>;
  /** Waits for a publish for `file` that satisfies `test` (default: any), published after `since` (an index into `published`). */
  diagnostics(file: string, test?: (p: PublishDiagnosticsParams) => boolean, since?: number): Promise<Diagnostic[]>;
  request<R>(method: string, file: string, position?: Position, extra?: Record<string, unknown>): Promise<R>;
  /** Shuts the server down and removes the folder. */
  close(): Promise<void>;
}

/** The shop example, copied to a fresh folder, with `files` (path → text) written over it. */
export function shopCopy(overrides: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "eda-lsp-"));
  cpSync(join(ROOT, "examples/shop"), dir, { recursive: true, filter: (src) => !/node_modules|generated|handlers|\.ts$|package\.json$/.test(src.slice(join(ROOT, "examples/shop").length)) });
  for (const [path, text] of Object.entries(overrides)) writeFileSync(join(dir, path), text);
  return dir;
}

/** How the client presents itself: its workspace folders and capabilities. */
export interface ClientOptions {
  /** Folders of the test's folder given as the workspace's (default: the folder itself; none: the editor opened files without a folder). */
  readonly workspaceFolders?: readonly string[];
  /** The client's capabilities (default: none). */
  readonly capabilities?: Record<string, unknown>;
}

/** Starts `eda lsp` in `folder` and initializes it; `settings` are the client's `eda` settings, `env` variables added to the server's environment. */
export async function startClient(folder: string, settings: Record<string, unknown> = {}, env: Record<string, string> = {}, { workspaceFolders = ["."], capabilities = {} }: ClientOptions = {}): Promise<TestClient> {
  ensureBundle();
  const child: ChildProcess = spawn(process.execPath, [BIN, "lsp", "--stdio"], { cwd: folder, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout as NodeJS.ReadableStream), new StreamMessageWriter(child.stdin as NodeJS.WritableStream));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  connection.onNotification("window/logMessage", () => undefined);
  const messages: string[] = [];
  connection.onNotification("window/showMessage", (p: { message: string }) => void messages.push(p.message));
  connection.listen();
  const roots = workspaceFolders.map((f) => pathToFileURL(join(folder, f)).href);
  const initialized = await connection.sendRequest<InitializeResult>("initialize", {
    processId: process.pid,
    rootUri: roots[0] ?? null,
    workspaceFolders: roots.length > 0 ? roots.map((uri, i) => ({ uri, name: `test${i}` })) : null,
    capabilities,
    initializationOptions: settings,
  });
  await connection.sendNotification("initialized", {});
  const versions = new Map<string, number>();
  const uri = (file: string) => pathToFileURL(join(folder, file)).href;
  const client: TestClient = {
    folder,
    connection,
    initialized,
    published,
    messages,
    uri,
    async open(file, text) {
      versions.set(file, 1);
      await connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(file), languageId: file.endsWith(".md") ? "markdown" : "eda", version: 1, text: text ?? readFileSync(join(folder, file), "utf8") } });
    },
    async change(file, text) {
      return client.edit(file, [{ text }]);
    },
    async edit(file, changes) {
      const version = (versions.get(file) ?? 1) + 1;
      versions.set(file, version);
      await connection.sendNotification("textDocument/didChange", { textDocument: { uri: uri(file), version }, contentChanges: changes });
      return version;
    },
    async save(file) {
      await connection.sendNotification("textDocument/didSave", { textDocument: { uri: uri(file) } });
    },
    async diagnostics(file, test = () => true, since = 0) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = published.slice(since).reverse().find((p) => p.uri === uri(file) && test(p));
        if (found) return found.diagnostics;
        if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${file}; stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    request(method, file, position, extra = {}) {
      return connection.sendRequest(method, { textDocument: { uri: uri(file) }, ...(position ? { position } : {}), ...extra });
    },
    async close() {
      await connection.sendRequest("shutdown").catch(() => undefined);
      await connection.sendNotification("exit").catch(() => undefined);
      await new Promise((resolve) => {
        if (child.exitCode !== null) resolve(undefined);
        child.on("exit", resolve);
        setTimeout(() => {
          child.kill();
          resolve(undefined);
        }, 3000);
      });
      connection.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return client;
}

/** The position of the `nth` (0-based) occurrence of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`\`${needle}\` (#${nth}) is not in the text`);
  }
  const before = text.slice(0, at + offset);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}
