/**
 * The language server: wires the LSP connection to the workspace, the check scheduler and the
 * features (one module each). Requests that need positions compile first if the model is stale,
 * so they always answer about the text the editor shows.
 */
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type Disposable,
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
import { keyOf, Workspace, type FoundProjects, type WorkspaceHost } from "./workspace.js";
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

/** How long edits and requests wait for a search of the workspace folders before they are served without its result. */
const SEARCH_GRACE_MS = 1000;

/** The promise's value if it settles within `ms`, else undefined (a rejection within `ms` rejects). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
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
  /** A model larger than a document checked on save is checked in steps, and answered from while stale (see `at`). */
  const large = (project: Project): boolean => project.size > settings.checkOnSaveAbove;
  const scheduler = new CheckScheduler({ publish, editsReceived: options.editsReceived, failed, inSteps: large }, DEFAULT_SETTINGS.diagnosticsDelayMs);

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

  /** The workspace changes one task at a time: every request and edit waits for the tasks queued before it. */
  let ready: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void> | void, failure: string): void => {
    // Left rejected, `ready` would fail every request and edit from now on.
    ready = ready.then(task).catch((error: unknown) => connection.console.error(`eda: ${failure}: ${String(error)}`));
  };

  /** Folders whose search stopped before the end: the user is told once. */
  const toldStopped = new Set<string>();
  const tellStopped = (found: ReadonlyMap<string, FoundProjects>): void => {
    for (const [folder, { stoppedAfter }] of found) {
      if (stoppedAfter === undefined || toldStopped.has(folder)) continue;
      toldStopped.add(folder);
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message:
          `eda: stopped looking for .eda files in ${folder} after ${stoppedAfter.toLocaleString("en-US")} folders: it is too large to search whole. ` +
          "The .eda files it did not reach belong to no project it found: one you open is checked in the project of the eda.config.json above it, or on its own, without the files it uses, if there is none. Open the folder of your project instead.",
      });
    }
  };

  /**
   * Looks for the project of open documents in none the search found — that of the config above
   * them (`WorkspaceHost.findProjectOf`) — and loads it in place of their strays. Like the search,
   * the look-up changes nothing and nothing waits for it: the strays are served meanwhile.
   */
  let lookups: Promise<unknown> = Promise.resolve();
  /**
   * The editor's own watchers cover the workspace folders only (VS Code's `.eda` and config files):
   * while a project found above a document is kept, the server asks it to watch that project's
   * folder too, when it can (dynamic registration with relative patterns).
   */
  let canWatch = false;
  const watching = new Map<string, Promise<Disposable | undefined>>();
  const watchAdopted = (): void => {
    if (!canWatch) return;
    const configs = new Set(workspace.adoptedConfigs());
    for (const [config, registration] of watching) {
      if (configs.has(config)) continue;
      watching.delete(config);
      void registration.then((d) => d?.dispose());
    }
    for (const config of configs) {
      if (watching.has(config)) continue;
      const watchers = [{ globPattern: { baseUri: pathToFileURL(dirname(config)).href, pattern: "**/{*.eda,eda.config.json}" } }];
      watching.set(config, connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined));
    }
  };
  const adoptProjects = (keys: readonly string[]): void => {
    if (keys.length === 0 || !options.host.findProjectOf) return;
    // One look-up at a time, in order: a later one sees every change made before it started.
    const lookup = lookups.then(() => workspace.findProjectsOf(keys));
    lookups = lookup.catch(() => undefined);
    lookup.then(
      (found) =>
        enqueue(async () => {
          const changed = await workspace.adopt(found);
          publishConfigs();
          forgetGone();
          watchAdopted();
          for (const p of changed) scheduler.schedule(p);
        }, "cannot load the project of a document"),
      (error: unknown) => connection.console.error(`eda: cannot look for the project of a document: ${String(error)}`),
    );
  };

  let searches: Promise<unknown> = Promise.resolve();
  let started = 0;
  let loaded = 0;
  const load = async (found: ReadonlyMap<string, FoundProjects>, generation: number): Promise<void> => {
    // A later search was loaded first (it ended within the grace, this one did not): it is newer.
    if (loaded > generation) return;
    loaded = generation;
    tellStopped(found);
    await workspace.load(found);
    publishConfigs();
    forgetGone();
    // Projects found above documents are kept; look for them again (their files or config may have changed).
    adoptProjects(workspace.outsideSearch());
    watchAdopted();
    for (const p of workspace.allProjects()) scheduler.schedule(p);
    await scheduler.runNow();
  };
  /**
   * Searches the workspace folders for projects and loads them. The search (seconds in a large
   * folder) changes nothing, so edits and requests wait for it only {@link SEARCH_GRACE_MS} (enough
   * for a project's folder: its documents are not first checked without the files they use);
   * after that they are served from the projects loaded before — an open document of none is
   * checked on its own, or in the project found above it — and the projects found are loaded
   * when the search ends.
   */
  const reload = (): void => {
    const generation = ++started;
    // One search at a time, in order: a later one sees every change made before it started.
    const search = searches.then(() => workspace.find(folders));
    searches = search.catch(() => undefined);
    enqueue(async () => {
      const found = await within(search, SEARCH_GRACE_MS);
      if (found) return load(found, generation);
      if (loaded === 0) connection.console.info(`eda: still looking for .eda files in ${folders.join(", ")}; open documents are checked on their own until then.`);
      search.then(
        (late) => enqueue(() => load(late, generation), "cannot load the workspace"),
        (error: unknown) => connection.console.error(`eda: cannot load the workspace: ${String(error)}`),
      );
    }, "cannot load the workspace");
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => keyOf(f.uri));
    if (folders.length === 0 && params.rootUri) folders = [keyOf(params.rootUri)];
    const watched = params.capabilities.workspace?.didChangeWatchedFiles;
    canWatch = watched?.dynamicRegistration === true && watched.relativePatternSupport === true;
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
    enqueue(() => {
      baselineReloading = false;
      reload();
    }, "cannot read the evolution baseline again");
  };

  connection.onInitialized(() => reload());

  connection.onDidChangeConfiguration((change) => {
    const value = (change.settings as { eda?: unknown } | undefined)?.eda;
    if (value === undefined) return;
    settings = readSettings(value, settings);
    scheduler.delayMs = settings.diagnosticsDelayMs;
  });

  connection.onDidChangeWatchedFiles((change) => {
    enqueue(async () => {
      const structural = change.changes.some((c) => c.type !== FileChangeType.Changed || c.uri.endsWith("eda.config.json") || workspace.readsBaseline(keyOf(c.uri)));
      if (structural) return reload();
      for (const c of change.changes) for (const project of await workspace.reread(keyOf(c.uri))) scheduler.schedule(project);
      forgetGone();
    }, "cannot load the workspace again");
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
    const known = workspace.projectOf(key) !== undefined;
    for (const project of workspace.update(doc.uri, text, doc.version)) scheduler.schedule(project);
    // A document in no project: checked on its own at once, and in the project of the config above it once found.
    if (!known && workspace.isStray(key)) adoptProjects([key]);
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
      // A project found above the document, or an invalid config there, may have gone with it.
      forgetGone();
      watchAdopted();
    });
  });

  /**
   * The project of a document and a compilation of its current text. `local`: the answer holds
   * positions in this document only (hover, completion, symbols, folding, highlights); in a large
   * model such a request is answered from the last compilation while that holds the document's
   * current text (its positions are the editor's), not after a check of seconds — the check runs
   * in steps meanwhile, and later answers come from its result.
   */
  const at = async (uri: string, local = false): Promise<Features | undefined> => {
    await ready;
    const key = keyOf(uri);
    const project = workspace.projectOf(key);
    if (!project) return undefined;
    // A large document edited since its last save: the model holds another text, whose positions are not the editor's.
    if (onSaveOnly.has(key) && project.text(key) !== documents.get(uri)?.getText()) return undefined;
    const snapshot = (local && !project.fresh && large(project) ? answerable(project, key) : undefined) ?? project.compile();
    return { key, project, snapshot, workspace, settings };
  };

  /** An earlier compilation that holds the file's current text: the last one with its index built (the answer then needs no seconds), else the last. */
  const answerable = (project: Project, key: string): Snapshot | undefined => {
    const text = project.text(key);
    for (const s of [project.lastIndexed, project.last]) if (s && s.texts.get(key) === text) return s;
    return undefined;
  };

  connection.onHover(async (p) => hover(await at(p.textDocument.uri, true), p.position));
  connection.onDefinition(async (p) => definition(await at(p.textDocument.uri), p.position));
  connection.onReferences(async (p) => references(await at(p.textDocument.uri), p.position, p.context.includeDeclaration));
  connection.onDocumentHighlight(async (p) => documentHighlights(await at(p.textDocument.uri, true), p.position));
  connection.onPrepareRename(async (p) => prepareRename(await at(p.textDocument.uri), p.position));
  connection.onRenameRequest(async (p) => rename(await at(p.textDocument.uri), p.position, p.newName));
  connection.onCompletion(async (p) => completions(await at(p.textDocument.uri, true), p.position));
  connection.onDocumentSymbol(async (p) => documentSymbols(await at(p.textDocument.uri, true)));
  connection.onWorkspaceSymbol(async (p) => {
    await ready;
    return workspaceSymbols(workspace, p.query);
  });
  connection.onFoldingRanges(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (doc && (doc.languageId === "markdown" || doc.uri.endsWith(".md"))) return fencesOf(doc.getText()).map((f) => ({ startLine: f.startLine, endLine: f.endLine }));
    return foldingRanges(await at(p.textDocument.uri, true));
  });
  connection.onDocumentFormatting(async (p) => formatting(await at(p.textDocument.uri), p.options));
  connection.onCodeAction(async (p) => codeActions(await at(p.textDocument.uri), p.range, p.context));

  documents.listen(connection);
  connection.listen();
}
