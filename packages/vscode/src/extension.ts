/**
 * The VS Code extension's entry point: starts the eda language server (bundled beside this file,
 * or the `eda` command named by `eda.server.path`) for `.eda` files and the ```eda fences of
 * Markdown, through vscode-languageclient.
 */
import { workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** What the extension returns from `activate`: the running client (tests and other extensions read it). */
export interface EdaExtensionApi {
  readonly client: LanguageClient;
}

/** Starts the language client and its server. */
export async function activate(context: ExtensionContext): Promise<EdaExtensionApi> {
  const config = workspace.getConfiguration("eda");
  const command = config.get<string>("server.path", "").trim();
  const bundled = context.asAbsolutePath("dist/server.cjs");
  const serverOptions: ServerOptions = command
    ? { command, args: ["lsp", "--stdio"], options: { shell: process.platform === "win32" } }
    : { run: { module: bundled, transport: TransportKind.stdio }, debug: { module: bundled, transport: TransportKind.stdio, options: { execArgv: ["--inspect=6009"] } } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "eda" },
      { scheme: "untitled", language: "eda" },
      { scheme: "file", language: "markdown" },
    ],
    synchronize: {
      configurationSection: "eda",
      fileEvents: workspace.createFileSystemWatcher("**/{*.eda,eda.config.json}"),
    },
    initializationOptions: {
      diagnostics: { delay: config.get<number>("diagnostics.delay"), onSaveAbove: config.get<number>("diagnostics.onSaveAbove") },
      storedEvents: config.get<string>("storedEvents"),
    },
  };
  client = new LanguageClient("eda", "eda language server", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return { client };
}

/** Stops the server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
