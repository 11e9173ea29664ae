/**
 * The language server: wires the LSP connection to the workspace, the check scheduler and the
 * features (one module each). Requests that need positions compile first if the model is stale,
 * so they always answer about the text the editor shows.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver";
import { codeActions } from "./code-actions.js";
import { completions } from "./completion.js";
import { CheckScheduler, toLspDiagnostic } from "./diagnostics.js";
import { hover } from "./hover.js";
import { fencesOf, markdownDiagnostics } from "./markdown.js";
import { definition, documentHighlights, prepareRename, references, rename } from "./navigation.js";
import { LineMap } from "./positions.js";
import type { Project, Snapshot } from "./project.js";
import { formatting } from "./formatting.js";
import { DEFAULT_SETTINGS, readSettings, type Settings } from "./settings.js";
import { documentSymbols, foldingRanges, workspaceSymbols } from "./symbols.js";
import { keyOf, Workspace, type WorkspaceHost } from "./workspace.js";
import type { Features } from "./features.js";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Finds projects and reads files. */
  readonly host: WorkspaceHost;
  /** How many edits the connection has received so far (counted by its message reader). */
  readonly editsReceived: () => number;
  /** The name and version reported to the client. */
  readonly version: string;
}

/** Serves one client on `connection` until it exits. */
export function startServer(connection: Connection, options: ServerOptions): void {
  const workspace = new Workspace(options.host);
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = DEFAULT_SETTINGS;
  let folders: string[] = [];
  const published = new Map<string, string>();
  const publishedVersion = new Map<string, number | undefined>();

  const publish = (project: Project, snapshot: Snapshot): void => {
    const byFile = new Map<string, ReturnType<typeof toLspDiagnostic>[]>();
    // A file in several projects (selected by two configs) shows the diagnostics of the one its features answer from.
    for (const key of snapshot.texts.keys()) if (workspace.projectOf(key) === project) byFile.set(key, []);
    const lines = (file: string) => snapshot.lines(file);
    for (const d of snapshot.result.diagnostics) byFile.get(d.span.file)?.push(toLspDiagnostic(d, lines, (f) => workspace.uriOf(f)));
    for (const [key, diagnostics] of byFile) {
      const text = JSON.stringify(diagnostics);
      // The editor's version now: a document opened with the text on disk leaves the model (and so the snapshot) as it was.
      const version = project.text(key) === snapshot.texts.get(key) ? workspace.versionOf(key) : (snapshot.versions.get(key) ?? undefined);
      // Unchanged diagnostics are not sent again, except for an open file at a new version.
      if (published.get(key) === text && (version === undefined || publishedVersion.get(key) === version)) continue;
      published.set(key, text);
      publishedVersion.set(key, version);
      void connection.sendDiagnostics({ uri: workspace.uriOf(key), ...(version !== undefined ? { version } : {}), diagnostics });
    }
  };
  const failed = (_project: Project, error: unknown): void => connection.console.error(`eda: checking the model failed (a bug in eda; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const scheduler = new CheckScheduler({ publish, editsReceived: options.editsReceived, failed }, DEFAULT_SETTINGS.diagnosticsDelayMs);

  const publishConfigs = (): void => {
    for (const c of workspace.configReports()) {
      const lines = new LineMap(c.text);
      const diagnostics = c.problems.map((p) => ({ range: lines.range(p.start, p.end), severity: 1 as const, source: "eda", message: p.message }));
      const text = JSON.stringify(diagnostics);
      if (published.get(c.file) === text) continue;
      published.set(c.file, text);
      void connection.sendDiagnostics({ uri: workspace.uriOf(c.file), diagnostics });
    }
  };

  /** Clears the diagnostics of files that left every project (deleted, or no longer selected) and of config files gone. */
  const forgetGone = (): void => {
    const live = new Set(workspace.allProjects().flatMap((p) => p.keys()));
    for (const c of workspace.configReports()) live.add(c.file);
    for (const key of [...published.keys()]) {
      if (live.has(key)) continue;
      published.delete(key);
      publishedVersion.delete(key);
      void connection.sendDiagnostics({ uri: workspace.uriOf(key), diagnostics: [] });
    }
  };

  let ready: Promise<void> = Promise.resolve();
  const reload = async (): Promise<void> => {
    await workspace.load(folders);
    publishConfigs();
    forgetGone();
    for (const p of workspace.allProjects()) scheduler.schedule(p);
    await scheduler.runNow();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => keyOf(f.uri));
    if (folders.length === 0 && params.rootUri) folders = [keyOf(params.rootUri)];
    settings = readSettings(params.initializationOptions, settings);
    scheduler.delayMs = settings.diagnosticsDelayMs;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: ["@", ".", ":"] },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: "eda", version: options.version },
    };
  });

  // A baseline read from a git revision that now names another commit is read again (one reload for a burst).
  let baselineReloading = false;
  workspace.onBaselineMoved = () => {
    if (baselineReloading) return;
    baselineReloading = true;
    ready = ready
      .then(() => {
        baselineReloading = false;
        return reload();
      })
      .catch((error: unknown) => connection.console.error(`eda: cannot read the evolution baseline again: ${String(error)}`));
  };

  connection.onInitialized(() => {
    ready = reload().catch((error: unknown) => connection.console.error(`eda: cannot load the workspace: ${String(error)}`));
  });

  connection.onDidChangeConfiguration((change) => {
    const value = (change.settings as { eda?: unknown } | undefined)?.eda;
    if (value === undefined) return;
    settings = readSettings(value, settings);
    scheduler.delayMs = settings.diagnosticsDelayMs;
  });

  connection.onDidChangeWatchedFiles((change) => {
    ready = ready
      .then(async () => {
        const structural = change.changes.some((c) => c.type !== FileChangeType.Changed || c.uri.endsWith("eda.config.json") || workspace.readsBaseline(keyOf(c.uri)));
        if (structural) return reload();
        for (const c of change.changes) for (const project of await workspace.reread(keyOf(c.uri))) scheduler.schedule(project);
        forgetGone();
      })
      // Every request and edit waits for `ready`: left rejected, it would fail them all from now on.
      .catch((error: unknown) => connection.console.error(`eda: cannot load the workspace again: ${String(error)}`));
  });

  /**
   * Open documents longer than `checkOnSaveAbove`: their edits reach the model when saved (the
   * model keeps the text last saved or read), so typing in them costs no check and the server
   * stays free to answer; the user is told once per opening.
   */
  const onSaveOnly = new Set<string>();
  const onDocument = (doc: TextDocument, saved = false): void => {
    if (doc.languageId === "markdown" || doc.uri.endsWith(".md")) {
      const key = keyOf(doc.uri);
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: markdownDiagnostics(key, doc.getText(), workspace.parser) });
      return;
    }
    const key = keyOf(doc.uri);
    const text = doc.getText();
    if (text.length > settings.checkOnSaveAbove) {
      if (!onSaveOnly.has(key)) {
        onSaveOnly.add(key);
        const size = text.length >= 1e6 ? `${(text.length / 1e6).toFixed(1)} million` : `${Math.round(text.length / 1e3)} thousand`;
        // A notification (window/showMessage): a client need not answer it.
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message: `eda: ${key.split(/[\\/]/).pop() ?? key} holds ${size} characters, more than eda.diagnostics.onSaveAbove (${settings.checkOnSaveAbove}): it is checked when you save it, not as you type.`,
        });
      }
      if (!saved) return;
    } else onSaveOnly.delete(key);
    for (const project of workspace.update(doc.uri, text, doc.version)) scheduler.schedule(project);
  };
  documents.onDidOpen((e) => void ready.then(() => onDocument(e.document)));
  documents.onDidChangeContent((e) => void ready.then(() => onDocument(e.document)));
  documents.onDidSave((e) => void ready.then(() => onDocument(e.document, true)));
  documents.onDidClose((e) => {
    onSaveOnly.delete(keyOf(e.document.uri));
    void ready.then(async () => {
      if (e.document.languageId === "markdown" || e.document.uri.endsWith(".md")) {
        void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
        return;
      }
      const key = keyOf(e.document.uri);
      const projects = await workspace.close(e.document.uri);
      // Opened again while the file was read: that open has taken over.
      if (workspace.isOpen(key)) return;
      for (const project of projects) scheduler.schedule(project);
      if (projects.length === 0) {
        published.delete(key);
        void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      }
    });
  });

  /** The project of a document and a compilation of its current text. */
  const at = async (uri: string): Promise<Features | undefined> => {
    await ready;
    const key = keyOf(uri);
    const project = workspace.projectOf(key);
    if (!project) return undefined;
    // A large document edited since its last save: the model holds another text, whose positions are not the editor's.
    if (onSaveOnly.has(key) && project.text(key) !== documents.get(uri)?.getText()) return undefined;
    const snapshot = project.compile();
    return { key, project, snapshot, workspace, settings };
  };

  connection.onHover(async (p) => hover(await at(p.textDocument.uri), p.position));
  connection.onDefinition(async (p) => definition(await at(p.textDocument.uri), p.position));
  connection.onReferences(async (p) => references(await at(p.textDocument.uri), p.position, p.context.includeDeclaration));
  connection.onDocumentHighlight(async (p) => documentHighlights(await at(p.textDocument.uri), p.position));
  connection.onPrepareRename(async (p) => prepareRename(await at(p.textDocument.uri), p.position));
  connection.onRenameRequest(async (p) => rename(await at(p.textDocument.uri), p.position, p.newName));
  connection.onCompletion(async (p) => completions(await at(p.textDocument.uri), p.position));
  connection.onDocumentSymbol(async (p) => documentSymbols(await at(p.textDocument.uri)));
  connection.onWorkspaceSymbol(async (p) => {
    await ready;
    return workspaceSymbols(workspace, p.query);
  });
  connection.onFoldingRanges(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (doc && (doc.languageId === "markdown" || doc.uri.endsWith(".md"))) return fencesOf(doc.getText()).map((f) => ({ startLine: f.startLine, endLine: f.endLine }));
    return foldingRanges(await at(p.textDocument.uri));
  });
  connection.onDocumentFormatting(async (p) => formatting(await at(p.textDocument.uri), p.options));
  connection.onCodeAction(async (p) => codeActions(await at(p.textDocument.uri), p.range, p.context));

  documents.listen(connection);
  connection.listen();
}
