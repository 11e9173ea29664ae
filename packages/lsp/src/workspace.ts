/**
 * The workspace: which projects exist (found by the host: one per `eda.config.json`, one for the
 * loose `.eda` files of each folder; and, for an open document in none of them, the project of
 * the config above it), which file belongs to which, and the editor's open documents laid over
 * the files on disk. Files are keyed by absolute path (`file:` URIs) or by URI (anything else,
 * such as an unsaved buffer).
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { Project } from "./project.js";
import { createParser, type SourceFile } from "@eda/language";

/** A problem of a config file, at a range of its text. */
export interface ConfigProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** A project as the host found it on disk. */
export interface ProjectSpec {
  /** The folder of the project (the config's folder, or the workspace folder). */
  readonly root: string;
  /** The config file that lists the files, if any. */
  readonly configFile?: string;
  /** Absolute paths of its `.eda` files. */
  readonly files: readonly string[];
  /** The model its stored events are compared with (the config's `evolution.against`), if any. */
  readonly baseline?: readonly SourceFile[];
  /** Absolute paths of the files on disk the baseline was read from (none for a git revision): a change to one reloads it. */
  readonly baselineFiles?: readonly string[];
  /**
   * For a baseline read from a git revision: starts watching the revision, calling `moved` when it
   * names another commit (the workspace then reloads); returns the function that stops watching.
   */
  readonly watchBaseline?: (moved: () => void) => () => void;
}

/** A config file found on disk, with its problems (none when valid). */
export interface ConfigReport {
  readonly file: string;
  readonly text: string;
  readonly problems: readonly ConfigProblem[];
}

/** What the host found under one workspace folder. */
export interface FoundProjects {
  readonly projects: ProjectSpec[];
  /** Every config file met on the way. */
  readonly configs: ConfigReport[];
  /**
   * Set when the host stopped looking before the end (the folder is too large to search whole):
   * the number of folders it had read. Files it did not reach belong to no project found here.
   */
  readonly stoppedAfter?: number;
}

/** What the server needs from the machine: finding projects and reading files. */
export interface WorkspaceHost {
  /** The projects under a workspace folder, and every config file met on the way. */
  findProjects(folder: string): Promise<FoundProjects>;
  /**
   * For a file in no project found under the workspace folders (no folder was opened, or it lies
   * outside them or beyond the search): the nearest config in its folder or above — its report,
   * and its project when valid — or undefined when there is none.
   */
  findProjectOf?(file: string): Promise<FoundProjects | undefined>;
  /** A file's text, or undefined when it cannot be read. */
  readFile(path: string): Promise<string | undefined>;
}

/** A config found above open documents in no searched project (`findProjectOf`), kept while one of them is open. */
interface Adopted {
  readonly report: ConfigReport;
  /** Its project; none when the config is invalid (its documents are then strays). */
  readonly project?: Project;
  readonly baselineFiles: readonly string[];
  readonly stopWatch?: () => void;
  /** The open documents whose look-up found this config and that it concerns (it selects them, or it is invalid). */
  readonly askedBy: Set<string>;
}

interface OpenDocument {
  readonly uri: string;
  version: number;
  text: string;
}

/** True when a key is a path (not the URI of a document with no file). */
function isPath(key: string): boolean {
  return key.startsWith("/") || /^[A-Za-z]:[\\/]/.test(key);
}

/** The key of a document URI: its path for `file:` URIs, else the URI itself. */
export function keyOf(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export class Workspace {
  /** The projects found by searching the workspace folders. */
  private projects: Project[] = [];
  /** Configs found above open documents in no searched project, by config file. */
  private readonly adopted = new Map<string, Adopted>();
  /** Projects of open documents that belong to no project on disk. */
  private readonly strays = new Map<string, Project>();
  private readonly open = new Map<string, OpenDocument>();
  private configs: ConfigReport[] = [];
  private baselineFiles = new Set<string>();
  private stopWatches: (() => void)[] = [];
  /** Called when a baseline read from a git revision is out of date (the revision moved). */
  onBaselineMoved: () => void = () => undefined;

  /** The one parser of every project in the workspace. */
  readonly parser = createParser();

  constructor(private readonly host: WorkspaceHost) {}

  /**
   * Asks the host for the projects of each folder. Changes nothing here, so documents can be
   * served while it runs (a large folder takes seconds); {@link load} then loads what it found.
   */
  async find(folders: readonly string[]): Promise<Map<string, FoundProjects>> {
    const found = new Map<string, FoundProjects>();
    for (const folder of folders) found.set(folder, await this.host.findProjects(folder));
    return found;
  }

  /** Loads the projects found by {@link find} in place of the current ones (open documents win over disk). */
  async load(found: ReadonlyMap<string, FoundProjects>): Promise<void> {
    const projects: Project[] = [];
    const configs: ConfigReport[] = [];
    const baselineFiles = new Set<string>();
    const watched: ((moved: () => void) => () => void)[] = [];
    for (const folder of found.values()) {
      configs.push(...folder.configs);
      for (const spec of folder.projects) {
        projects.push(await this.loadProject(spec));
        for (const file of spec.baselineFiles ?? []) baselineFiles.add(file);
        if (spec.watchBaseline) watched.push(spec.watchBaseline);
      }
    }
    for (const stop of this.stopWatches.splice(0)) stop();
    this.stopWatches = watched.map((watch) => watch(() => this.onBaselineMoved()));
    this.projects = projects;
    this.configs = configs;
    this.baselineFiles = baselineFiles;
    this.settle();
  }

  /** Open documents in no project found by the search: strays, and those of projects found above them. */
  outsideSearch(): string[] {
    return [...this.open.keys()].filter((key) => isPath(key) && !this.projects.some((p) => p.has(key)));
  }

  /**
   * Asks the host for the project above each file (see {@link WorkspaceHost.findProjectOf}), one at
   * a time, skipping files a project found before selects. Changes nothing: {@link adopt} loads it.
   */
  async findProjectsOf(keys: readonly string[]): Promise<Map<string, FoundProjects | undefined>> {
    const found = new Map<string, FoundProjects | undefined>();
    const covered = new Set<string>();
    for (const key of keys) {
      if (!this.host.findProjectOf || covered.has(key) || !isPath(key)) continue;
      const above = await this.host.findProjectOf(key);
      found.set(key, above);
      for (const file of above?.projects.flatMap((p) => p.files) ?? []) covered.add(file);
    }
    return found;
  }

  /**
   * Loads what {@link findProjectsOf} found: a config that selects its document becomes that
   * document's project (and an adopted one is updated); an invalid one is kept for its problems.
   * A config the search found is left to it. Returns the projects to check.
   */
  async adopt(found: ReadonlyMap<string, FoundProjects | undefined>): Promise<Project[]> {
    const changed = new Set<Project>();
    for (const [key, above] of found) {
      const report = above?.configs[0];
      if (!report || this.configs.some((c) => c.file === report.file)) continue;
      const spec = above?.projects.find((p) => p.configFile === report.file);
      const concerns = spec === undefined || spec.files.includes(key);
      if (!concerns && !this.adopted.has(report.file)) continue;
      const entry = await this.adoptConfig(report, spec);
      // A config that no longer selects the document (edited since) is no longer kept for it.
      if (concerns && this.open.has(key)) entry.askedBy.add(key);
      else entry.askedBy.delete(key);
      if (entry.project) changed.add(entry.project);
    }
    const strays = this.settle();
    return [...[...changed].filter((p) => this.adoptedProjects().includes(p)), ...strays];
  }

  /** Sets an adopted config's report and project (reusing the project it had), and starts watching its baseline. */
  private async adoptConfig(report: ConfigReport, spec: ProjectSpec | undefined): Promise<Adopted> {
    const previous = this.adopted.get(report.file);
    previous?.stopWatch?.();
    const project = spec ? await this.loadProject(spec, previous?.project) : undefined;
    const stopWatch = spec?.watchBaseline?.(() => this.onBaselineMoved());
    const entry: Adopted = { report, baselineFiles: spec?.baselineFiles ?? [], askedBy: previous?.askedBy ?? new Set(), ...(project ? { project } : {}), ...(stopWatch ? { stopWatch } : {}) };
    this.adopted.set(report.file, entry);
    return entry;
  }

  /**
   * Drops the adopted configs that the search found or that no open document outside the search
   * needs, then puts every open document in a project: one on disk, else a stray of its own.
   * Returns the strays made.
   */
  private settle(): Project[] {
    const outside = this.outsideSearch();
    for (const [file, entry] of this.adopted) {
      const needed = outside.some((key) => entry.askedBy.has(key) || entry.project?.has(key));
      if (needed && !this.configs.some((c) => c.file === file)) continue;
      entry.stopWatch?.();
      this.adopted.delete(file);
    }
    const made: Project[] = [];
    for (const [key, doc] of this.open) {
      if (this.owners(key).length > 0) this.strays.delete(key);
      else if (!this.strays.has(key)) made.push(this.addStray(key, doc));
    }
    return made;
  }

  private adoptedProjects(): Project[] {
    return [...this.adopted.values()].flatMap((a) => (a.project ? [a.project] : []));
  }

  private async loadProject(spec: ProjectSpec, previous?: Project): Promise<Project> {
    // The same config as before, or as one adopted (the search now finds it): the same project.
    previous ??= this.projects.find((p) => p.root === spec.root && p.configFile === spec.configFile) ?? (spec.configFile === undefined ? undefined : this.adopted.get(spec.configFile)?.project);
    const project = previous ?? new Project(spec.root, spec.configFile, this.parser);
    project.setBaseline(spec.baseline);
    const wanted = new Set(spec.files);
    for (const key of project.keys()) if (!wanted.has(key)) project.delete(key);
    for (const file of spec.files) {
      const doc = this.open.get(file);
      if (doc) project.set(file, doc.text, doc.version);
      else project.set(file, (await this.host.readFile(file)) ?? "", null);
    }
    return project;
  }

  private addStray(key: string, doc: OpenDocument): Project {
    const project = new Project(key, undefined, this.parser);
    project.set(key, doc.text, doc.version);
    this.strays.set(key, project);
    return project;
  }

  /** The config files found above open documents and kept for them (valid or not). */
  adoptedConfigs(): string[] {
    return [...this.adopted.keys()];
  }

  /** Every project, strays included. */
  allProjects(): Project[] {
    return [...this.projects, ...this.adoptedProjects(), ...this.strays.values()];
  }

  /** The config files met, with their problems. */
  configReports(): readonly ConfigReport[] {
    return [...this.configs, ...[...this.adopted.values()].map((a) => a.report)];
  }

  /** True when a project's baseline was read from this file (its change needs a reload, not a reread). */
  readsBaseline(key: string): boolean {
    return this.baselineFiles.has(key) || [...this.adopted.values()].some((a) => a.baselineFiles.includes(key));
  }

  /** The project a file belongs to: one on disk (searched first, then adopted), else its stray. */
  projectOf(key: string): Project | undefined {
    return this.owners(key)[0] ?? this.strays.get(key);
  }

  /** True when an open document belongs to no project on disk (it is checked on its own). */
  isStray(key: string): boolean {
    return this.strays.has(key);
  }

  /** The URI to name a file by: the editor's own while open. */
  uriOf(key: string): string {
    return this.open.get(key)?.uri ?? (isPath(key) ? pathToFileURL(key).href : key);
  }

  /** The editor's version of an open file. */
  versionOf(key: string): number | undefined {
    return this.open.get(key)?.version;
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** A document was opened or changed in the editor. Returns the projects that hold it (a file two configs select is in both). */
  update(uri: string, text: string, version: number): Project[] {
    const key = keyOf(uri);
    const doc = this.open.get(key);
    if (doc) {
      doc.text = text;
      doc.version = version;
    } else this.open.set(key, { uri, text, version });
    const owners = this.owners(key);
    if (owners.length > 0) {
      for (const owner of owners) owner.set(key, text, version);
      return owners;
    }
    const stray = this.strays.get(key);
    if (stray) {
      stray.set(key, text, version);
      return [stray];
    }
    this.addStray(key, { uri, text, version });
    return [this.strays.get(key) as Project];
  }

  /**
   * A document was closed: its projects go back to the file on disk (a stray is dropped, and none
   * returned; so is an adopted project with no open document left).
   */
  async close(uri: string): Promise<Project[]> {
    const key = keyOf(uri);
    this.open.delete(key);
    for (const entry of this.adopted.values()) entry.askedBy.delete(key);
    const stray = this.strays.delete(key);
    this.settle();
    if (stray) return [];
    if (this.owners(key).length === 0) return [];
    const text = await this.host.readFile(key);
    // Reopened while the file was read: the editor's text wins over the disk's.
    if (this.open.has(key)) return [];
    const owners = this.owners(key);
    for (const owner of owners) owner.set(key, text ?? owner.text(key) ?? "", null);
    return owners;
  }

  /** A file changed on disk: reread it unless the editor has it open. Returns the projects that hold it. */
  async reread(key: string): Promise<Project[]> {
    if (this.open.has(key) || this.owners(key).length === 0) return [];
    const text = await this.host.readFile(key);
    const owners = this.owners(key);
    for (const owner of owners) {
      if (text === undefined) owner.delete(key);
      else owner.set(key, text, null);
    }
    return owners;
  }

  /** The projects on disk that hold a file: searched, then adopted. */
  private owners(key: string): Project[] {
    return [...this.projects, ...this.adoptedProjects()].filter((p) => p.has(key));
  }
}
