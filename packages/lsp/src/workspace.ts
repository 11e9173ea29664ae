/**
 * The workspace: which projects exist (found by the host: one per `eda.config.json`, one for the
 * loose `.eda` files of each folder), which file belongs to which, and the editor's open
 * documents laid over the files on disk. Files are keyed by absolute path (`file:` URIs) or by
 * URI (anything else, such as an unsaved buffer).
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
   * the number of folders it had read. Files it did not reach belong to no project.
   */
  readonly stoppedAfter?: number;
}

/** What the server needs from the machine: finding projects and reading files. */
export interface WorkspaceHost {
  /** The projects under a workspace folder, and every config file met on the way. */
  findProjects(folder: string): Promise<FoundProjects>;
  /** A file's text, or undefined when it cannot be read. */
  readFile(path: string): Promise<string | undefined>;
}

interface OpenDocument {
  readonly uri: string;
  version: number;
  text: string;
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
  private projects: Project[] = [];
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
    for (const [key, doc] of this.open) {
      const owner = this.projects.find((p) => p.has(key));
      if (owner) {
        owner.set(key, doc.text, doc.version);
        this.strays.delete(key);
      } else if (!this.strays.has(key)) this.addStray(key, doc);
    }
    for (const key of [...this.strays.keys()]) if (this.projects.some((p) => p.has(key))) this.strays.delete(key);
  }

  private async loadProject(spec: ProjectSpec): Promise<Project> {
    const previous = this.projects.find((p) => p.root === spec.root && p.configFile === spec.configFile);
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

  private addStray(key: string, doc: OpenDocument): void {
    const project = new Project(key, undefined, this.parser);
    project.set(key, doc.text, doc.version);
    this.strays.set(key, project);
  }

  /** Every project, strays included. */
  allProjects(): Project[] {
    return [...this.projects, ...this.strays.values()];
  }

  /** The config files met, with their problems. */
  configReports(): readonly ConfigReport[] {
    return this.configs;
  }

  /** True when a project's baseline was read from this file (its change needs a reload, not a reread). */
  readsBaseline(key: string): boolean {
    return this.baselineFiles.has(key);
  }

  /** The project a file belongs to. */
  projectOf(key: string): Project | undefined {
    return this.projects.find((p) => p.has(key)) ?? this.strays.get(key);
  }

  /** The URI to name a file by: the editor's own while open. */
  uriOf(key: string): string {
    return this.open.get(key)?.uri ?? (key.startsWith("/") || /^[A-Za-z]:[\\/]/.test(key) ? pathToFileURL(key).href : key);
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

  /** A document was closed: its projects go back to the file on disk (a stray is dropped, and none returned). */
  async close(uri: string): Promise<Project[]> {
    const key = keyOf(uri);
    this.open.delete(key);
    if (this.strays.delete(key)) return [];
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

  /** The projects on disk that hold a file. */
  private owners(key: string): Project[] {
    return this.projects.filter((p) => p.has(key));
  }
}
