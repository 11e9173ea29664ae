/**
 * A stand-in for the `vscode` module, enough for the extension's client to start its server
 * outside VS Code: real `Uri`, `EventEmitter`, `Disposable` and configuration; anything else is
 * an inert object that can be called, constructed and read from (registrations return
 * disposables). It records what the extension registered, for the test to look at.
 */
import { pathToFileURL } from "node:url";

/** What the extension did through the stub. */
export interface StubRecord {
  readonly registered: string[];
  readonly output: string[];
}

type AnyFn = (...args: unknown[]) => unknown;

/** An object every property of which is another inert object; calling or constructing it gives one too. */
function inert(name: string, record: StubRecord): unknown {
  const target = function () {} as unknown as AnyFn;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === "then") return undefined; // not a promise
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === "dispose") return () => undefined;
      return inert(`${name}.${String(prop)}`, record);
    },
    apply() {
      if (/\.register\w*$/.test(name) || /\.on\w*$/.test(name)) record.registered.push(name);
      return { dispose: () => undefined };
    },
    construct() {
      return inert(`new ${name}`, record) as object;
    },
  });
}

class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri("file", path);
  }
  static parse(text: string): Uri {
    const url = new URL(text);
    return new Uri(url.protocol.replace(/:$/, ""), decodeURIComponent(url.pathname));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return this.scheme === "file" ? pathToFileURL(this.path).href : `${this.scheme}:${this.path}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path };
  }
}

/** The stub module, for a workspace folder, with the given `eda.*` settings. */
export function createVscodeStub(folder: string, settings: Record<string, unknown>): { module: unknown; record: StubRecord } {
  const record: StubRecord = { registered: [], output: [] };
  const channel = {
    name: "eda",
    append: (s: string) => record.output.push(s),
    appendLine: (s: string) => record.output.push(s),
    trace: (s: string) => record.output.push(`trace: ${s}`),
    debug: (s: string) => record.output.push(`debug: ${s}`),
    info: (s: string) => record.output.push(`info: ${s}`),
    warn: (s: string) => record.output.push(`warn: ${s}`),
    error: (s: unknown) => record.output.push(`error: ${String(s instanceof Error ? s.stack : s)}`),
    logLevel: 2,
    onDidChangeLogLevel: () => ({ dispose: () => undefined }),
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
  const configuration = (section?: string) => ({
    get: (key: string, fallback?: unknown) => {
      const full = section ? `${section}.${key}` : key;
      return full in settings ? settings[full] : fallback;
    },
    has: (key: string) => (section ? `${section}.${key}` : key) in settings,
    inspect: () => undefined,
    update: async () => undefined,
  });
  const real: Record<string, unknown> = {
    version: "1.91.0",
    Uri,
    Disposable,
    EventEmitter,
    workspace: {
      workspaceFolders: [{ uri: Uri.file(folder), name: "shop", index: 0 }],
      textDocuments: [],
      notebookDocuments: [],
      getConfiguration: configuration,
      getWorkspaceFolder: () => undefined,
      createFileSystemWatcher: () => inert("watcher", record),
    },
    window: {
      createOutputChannel: () => channel,
      visibleTextEditors: [],
      activeTextEditor: undefined,
      tabGroups: { all: [] },
    },
    env: { language: "en", appName: "stub", machineId: "stub", sessionId: "stub", uiKind: 1 },
  };
  const module = new Proxy(real, {
    get(t, prop: string) {
      if (prop in t) {
        const value = t[prop];
        if (value && typeof value === "object" && !Array.isArray(value) && prop !== "env") {
          return new Proxy(value as Record<string, unknown>, { get: (o, p: string) => (p in o ? o[p] : inert(`${prop}.${p}`, record)) });
        }
        return value;
      }
      return inert(prop, record);
    },
  });
  return { module, record };
}
