/**
 * A project: the `.eda` files that form one model, as the editor sees them (open documents over
 * the files on disk). Each file is parsed once per version of its text; the model is resolved
 * and checked from the cached parse results, once per change of any file, and only on demand.
 */
import { compareModels, compile as compileSources, compileInSteps, createParser, hasErrors, ModelIndex, type CompileResult, type FileParser, type Model, type ParsedFile, type SourceFile } from "@eda/language";
import { LineMap } from "./positions.js";

/** One file of a project. `version` is the editor's version while the file is open, else null. */
interface FileState {
  text: string;
  version: number | null;
  parsed?: ParsedFile;
  lines?: LineMap;
}

/** A compiled state of the project: the model, its diagnostics and index, and the texts it came from. */
export interface Snapshot {
  /** Increases with every change of the project; a snapshot is current while it equals the project's. */
  readonly stamp: number;
  readonly result: CompileResult;
  /** The texts compiled, by file key: spans of this snapshot are offsets into these. */
  readonly texts: ReadonlyMap<string, string>;
  /** Editor versions of the open files when compiled. */
  readonly versions: ReadonlyMap<string, number | null>;
  readonly parsed: ReadonlyMap<string, ParsedFile>;
  /** The baseline the stored events are compared with, and its texts by file name. */
  readonly baseline?: Baseline;
  /** The reference index, built on first use. */
  index(): ModelIndex;
  lines(file: string): LineMap;
}

/** An earlier model (the config's `evolution.against`), compiled. */
export interface Baseline {
  readonly model: Model;
  readonly texts: ReadonlyMap<string, string>;
}

/** The files of one model and their latest compilation. */
export class Project {
  private readonly files = new Map<string, FileState>();
  private stamp = 0;
  private latest: Snapshot | undefined;
  private indexedLatest: Snapshot | undefined;
  private baseline: Baseline | undefined;
  private baselineKey = "";

  /**
   * @param root the folder (or config file) that defines the project, shown in messages
   * @param configFile the `eda.config.json` that selected the files, if any
   * @param parser the parser of every file of the project (the workspace shares one)
   */
  constructor(
    readonly root: string,
    readonly configFile?: string,
    readonly parser: FileParser = createParser(),
  ) {}

  /** The keys of the project's files, in name order (the order `eda check` compiles them in). */
  keys(): string[] {
    return [...this.files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  has(key: string): boolean {
    return this.files.has(key);
  }

  text(key: string): string | undefined {
    return this.files.get(key)?.text;
  }

  /** Sets a file's text; returns false when nothing changed. */
  set(key: string, text: string, version: number | null): boolean {
    const f = this.files.get(key);
    if (f && f.text === text) {
      f.version = version;
      return false;
    }
    this.files.set(key, { text, version });
    this.stamp++;
    return true;
  }

  /** Sets the baseline's files (none: no comparison); a baseline with errors is not compared with. */
  setBaseline(files: readonly SourceFile[] | undefined): void {
    const key = files === undefined ? "" : JSON.stringify(files.map((f) => [f.path, f.text]));
    if (key === this.baselineKey) return;
    this.baselineKey = key;
    this.stamp++;
    const compiled = files === undefined ? undefined : compileSources([...files], { parser: this.parser });
    this.baseline = compiled === undefined || hasErrors(compiled.diagnostics) ? undefined : { model: compiled.model, texts: new Map((files ?? []).map((f) => [f.path, f.text])) };
  }

  /** Removes a file (deleted on disk, or no longer matched by the config). */
  delete(key: string): boolean {
    if (!this.files.delete(key)) return false;
    this.stamp++;
    return true;
  }

  /** The current parse of one file (parsed now if its text changed). */
  parsed(key: string): ParsedFile | undefined {
    const f = this.files.get(key);
    if (!f) return undefined;
    f.parsed ??= this.parser.parse({ path: key, text: f.text });
    return f.parsed;
  }

  /** True when the last compilation is of the current texts. */
  get fresh(): boolean {
    return this.latest?.stamp === this.stamp;
  }

  /** The last compilation, current or not. */
  get last(): Snapshot | undefined {
    return this.latest;
  }

  /** The last compilation whose reference index was built (for a request), current or not. */
  get lastIndexed(): Snapshot | undefined {
    return this.indexedLatest;
  }

  /** The number of characters of the project's files. */
  get size(): number {
    let size = 0;
    for (const f of this.files.values()) size += f.text.length;
    return size;
  }

  /** A compilation of the current texts: the cached one when nothing changed since. */
  compile(): Snapshot {
    if (this.latest && this.latest.stamp === this.stamp) return this.latest;
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * {@link compile}, awaiting `pause()` between its stages (each file parsed, resolving, checking,
   * the evolution gate) once they have run `sliceMs` since the last pause, so that the server
   * answers other messages meanwhile. Undefined when the project changed during a pause: the
   * compilation is abandoned, superseded by one of the newer texts.
   */
  async compileInSteps(pause: () => Promise<void>, sliceMs = 20): Promise<Snapshot | undefined> {
    // A check whose result was not published (an edit elsewhere arrived during it) runs again:
    // its compilation is still current, which the first pause found out only after resolving again.
    if (this.fresh) return this.latest;
    const stamp = this.stamp;
    const steps = this.steps();
    let since = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - since < sliceMs) continue;
      await pause();
      if (this.stamp !== stamp) return undefined;
      if (this.latest?.stamp === stamp) return this.latest; // compiled meanwhile, for a request
      since = performance.now();
    }
  }

  /** The compilation, pausing (yielding) between its stages; the texts must not change until it returns. */
  private *steps(): Generator<void, Snapshot, void> {
    const keys = this.keys();
    const parsed = new Map<string, ParsedFile>();
    const texts = new Map<string, string>();
    const versions = new Map<string, number | null>();
    const lineMaps = new Map<string, LineMap>();
    for (const key of keys) {
      const f = this.files.get(key) as FileState;
      const cached = f.parsed !== undefined;
      parsed.set(key, this.parsed(key) as ParsedFile);
      texts.set(key, f.text);
      versions.set(key, f.version);
      if (!cached) yield;
    }
    const compiled = yield* compileInSteps([...parsed.values()]);
    const baseline = this.baseline;
    if (baseline !== undefined) yield;
    // The evolution gate's diagnostics of this project's files; their notes into the baseline are dropped.
    const changes = baseline === undefined ? [] : compareModels(baseline.model, compiled.model).filter((d) => texts.has(d.span.file));
    const result: CompileResult = changes.length === 0 ? compiled : { ...compiled, diagnostics: [...compiled.diagnostics, ...changes.map((d) => ({ ...d, labels: (d.labels ?? []).filter((l) => texts.has(l.span.file)) }))] };
    let index: ModelIndex | undefined;
    const files = this.files;
    const snapshot: Snapshot = {
      stamp: this.stamp,
      result,
      texts,
      versions,
      parsed,
      ...(baseline !== undefined ? { baseline } : {}),
      index: () => {
        if (index) return index;
        index = new ModelIndex(result.model, [...parsed.values()].map((p) => p.ast));
        if (this.indexedLatest === undefined || this.indexedLatest.stamp < snapshot.stamp) this.indexedLatest = snapshot;
        return index;
      },
      lines(file: string): LineMap {
        let map = lineMaps.get(file);
        if (!map) {
          // Share the file's line map while its text is the one compiled.
          const state = files.get(file);
          map = state && state.text === texts.get(file) ? (state.lines ??= new LineMap(state.text)) : new LineMap(texts.get(file) ?? "");
          lineMaps.set(file, map);
        }
        return map;
      },
    };
    this.latest = snapshot;
    return snapshot;
  }
}
