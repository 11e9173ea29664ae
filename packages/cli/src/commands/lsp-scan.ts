/**
 * How `eda lsp` finds the `.eda` and `eda.config.json` files of a workspace folder. An editor may
 * open a folder that is no project — a home folder, `/` — and the server loads nothing until the
 * search ends, so the search is bounded: it reads folders breadth first (a project near the top is
 * found before the depths of a cache), never enters folders that hold no models, follows no
 * links, and stops after a number of folders, saying how many it read. For a file the search did
 * not place, {@link findConfigAbove} looks up instead, through its folder's ancestors.
 */
import { readdir, stat } from "node:fs/promises";
import { dirname, join, parse } from "node:path";
import { CONFIG_FILE } from "../config.js";

/**
 * How many folders the search reads before it stops (`EDA_LSP_SCAN_LIMIT` overrides it). Reading
 * 20,000 folders takes one to five seconds on a laptop's disk; a project with that many folders
 * outside `node_modules` and hidden folders is rare, a home folder often has more.
 */
export const SCAN_FOLDER_LIMIT = 20_000;

/** How many names (files and folders) the search reads at most per folder of its limit: a folder of a million files is read once, then the search stops. */
const ENTRIES_PER_FOLDER = 10;

/**
 * Folders of the file system's root that hold no one's models: the kernel's and the running
 * system's pseudo file systems on Linux (`/proc` alone lists every process, `/dev` and `/sys`
 * hold devices), and on macOS the system itself and the mounted disks (other drives, network
 * shares that may not answer).
 */
const SKIPPED_AT_ROOT = new Set(["proc", "sys", "dev", "run", "System", "Volumes"]);

/** What the search found, in path order; `stoppedAfter` is the number of folders read when it stopped before the end. */
export interface ScanResult {
  readonly models: string[];
  readonly configs: string[];
  readonly stoppedAfter?: number;
}

/** The limit in effect: `EDA_LSP_SCAN_LIMIT` when it is a positive integer, else {@link SCAN_FOLDER_LIMIT}. */
export function scanLimit(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.EDA_LSP_SCAN_LIMIT);
  return Number.isInteger(value) && value > 0 ? value : SCAN_FOLDER_LIMIT;
}

/**
 * The `.eda` and `eda.config.json` files below `folder`, not in `node_modules`, hidden folders or
 * {@link SKIPPED_AT_ROOT}, reading at most `limit` folders. A folder that cannot be read (no
 * permission, gone meanwhile) is passed over.
 */
export async function scanFolder(folder: string, limit = scanLimit()): Promise<ScanResult> {
  const models: string[] = [];
  const configs: string[] = [];
  const queue = [folder];
  let folders = 0;
  let entries = 0;
  for (let next = 0; next < queue.length; next++) {
    if (folders >= limit || entries >= limit * ENTRIES_PER_FOLDER) return done(models, configs, folders);
    const dir = queue[next] as string;
    folders++;
    const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries += names.length;
    // Name order within a folder: which files a stopped search found does not depend on the disk.
    for (const e of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, e.name);
      // A link to a folder is not entered (isDirectory is false for it): links can loop, or lead out of the folder.
      if (e.isDirectory()) {
        if (!isSkipped(dir, e.name)) queue.push(path);
      } else if (e.name.endsWith(".eda") && (e.isFile() || e.isSymbolicLink())) models.push(path);
      else if (e.name === CONFIG_FILE && (e.isFile() || e.isSymbolicLink())) configs.push(path);
    }
  }
  return done(models, configs);
}

/** True for the folders the search does not enter: `node_modules`, hidden folders, and {@link SKIPPED_AT_ROOT} in the root. */
export function isSkipped(parent: string, name: string): boolean {
  return name === "node_modules" || name.startsWith(".") || (SKIPPED_AT_ROOT.has(name) && parse(parent).root === parent);
}

function done(models: string[], configs: string[], stoppedAfter?: number): ScanResult {
  return { models: models.sort(), configs: configs.sort(), ...(stoppedAfter !== undefined ? { stoppedAfter } : {}) };
}

/**
 * The nearest `eda.config.json` in the folder of `file` or one of its ancestors, up to the file
 * system's root (a folder of that name is no config), or undefined when there is none.
 */
export async function findConfigAbove(file: string): Promise<string | undefined> {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const config = join(dir, CONFIG_FILE);
    if (await stat(config).then((s) => s.isFile(), () => false)) return config;
    if (dirname(dir) === dir) return undefined;
  }
}
