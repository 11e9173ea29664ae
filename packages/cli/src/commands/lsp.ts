/**
 * `eda lsp`: the language server over stdio, with this package's way of finding models. A
 * workspace folder holds one project per `eda.config.json` (its `model` globs) and one for the
 * `.eda` files no config claims, found by a bounded search (lsp-scan.ts); a file in none of them
 * belongs to the project of the nearest config above it, when that config selects it. Config
 * problems are reported as diagnostics of the config file, with the messages `eda check` prints.
 * Loaded only for this command.
 */
import { runStdioServer, type ConfigProblem, type ConfigReport, type ProjectSpec, type WorkspaceHost } from "@eda/lsp";
import { stat } from "node:fs/promises";
import type { JSONPath as JsonPath, Node as JsonNode } from "jsonc-parser";
import { dirname, relative, resolve } from "node:path";
import { CONFIG_FILE, configuredModelFiles, describeProblem, type EdaConfig } from "../config.js";
import { CliError } from "../errors.js";
import { readRegularFile } from "../io.js";
import { waitForTest } from "../generate/test-pause.js";
import { findConfigAbove, scanFolder } from "./lsp-scan.js";

/** Starts the server; it runs until the client tells it to exit. */
export function runLsp(version: string): void {
  runStdioServer(fileSystemHost, version);
}

const fileSystemHost: WorkspaceHost = {
  async readFile(path) {
    try {
      // Never a named pipe or a device: reading one would hang the server.
      return (await readRegularFile(path)).toString("utf8").replace(/^\uFEFF/, "");
    } catch {
      return undefined;
    }
  },
  async findProjects(folder) {
    const { models, configs, stoppedAfter } = await scanFolder(folder);
    await waitForTest("lsp-scan");
    const projects: ProjectSpec[] = [];
    const reports: ConfigReport[] = [];
    const claimed = new Set<string>();
    for (const file of configs) {
      const { report, files, baseline } = await readConfig(file, folder);
      reports.push(report);
      if (!files) continue;
      for (const f of files) claimed.add(f);
      projects.push({ root: dirname(file), configFile: file, files, ...baseline });
    }
    let loose = models.filter((m) => !claimed.has(m));
    // The folder may be part of a project whose config sits above it (a context's folder opened
    // alone): the files that config selects are checked with the rest of its project.
    const above = loose.length > 0 ? await findConfigAbove(folder) : undefined;
    if (above !== undefined) {
      const { report, files, baseline } = await readConfig(above, folder);
      const selected = new Set(files ?? []);
      if (loose.some((m) => selected.has(m))) {
        reports.push(report);
        projects.push({ root: dirname(above), configFile: above, files: files ?? [], ...baseline });
        loose = loose.filter((m) => !selected.has(m));
      }
    }
    if (loose.length > 0) projects.push({ root: folder, files: loose });
    return { projects, configs: reports, ...(stoppedAfter !== undefined ? { stoppedAfter } : {}) };
  },
  async findProjectOf(file) {
    const config = await findConfigAbove(file);
    if (config === undefined) return undefined;
    const root = dirname(config);
    const { report, files, baseline } = await readConfig(config, root);
    return { projects: files ? [{ root, configFile: config, files, ...baseline }] : [], configs: [report] };
  },
};

/** Reads and validates one config: its problems at their places, and its model files when valid. */
type BaselineSpec = Pick<ProjectSpec, "baseline" | "baselineFiles" | "watchBaseline">;

async function readConfig(file: string, folder: string): Promise<{ report: ConfigReport; files?: string[]; baseline?: BaselineSpec }> {
  const text = (await readRegularFile(file).then((bytes) => bytes.toString("utf8"), () => "")).replace(/^\uFEFF/, "");
  const name = relative(folder, file) || CONFIG_FILE;
  const { parseTree, findNodeAtLocation: findNode, printParseErrorCode } = await import("jsonc-parser");
  const errors: { error: number; offset: number; length: number }[] = [];
  let tree: JsonNode | undefined;
  let tooDeep = false;
  try {
    tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  } catch (error) {
    // jsonc-parser recurses once per level, so a value nested some thousands deep overflows the
    // stack; JSON.parse does not, and reads it as `eda check` does (its problems then have no place).
    if (!(error instanceof RangeError)) throw error;
    tooDeep = true;
  }
  if (errors.length > 0 || (!tree && !tooDeep)) {
    const problems = errors.map((e) => ({ message: `invalid JSON: ${describeJsonError(printParseErrorCode(e.error as never))}`, start: e.offset, end: e.offset + Math.max(1, e.length) }));
    return { report: { file, text, problems } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { report: { file, text, problems: [{ message: `invalid JSON: ${(error as Error).message}`, start: 0, end: 1 }] } };
  }
  const findNodeAtLocation = (root: JsonNode | undefined, path: JsonPath) => (root ? findNode(root, path) : undefined);
  const { validateConfig, CONFIG_KEYS } = await import("../config-schema.js");
  const result = validateConfig(value);
  if (!result.ok) {
    const problems: ConfigProblem[] = result.problems.flatMap((p) => {
      const message = describeProblem(p, value, CONFIG_KEYS, name);
      const keys = p.unknownKeys ?? [];
      const nodes = keys.length > 0 ? keys.map((k) => findNodeAtLocation(tree, [...p.path, k])?.parent?.children?.[0]) : [findNodeAtLocation(tree, [...p.path])];
      return nodes.map((n, i) => ({ message: keys.length > 1 ? (message.split("\n")[i] ?? message).replace(/^[^:]*: /, "") : message, start: n?.offset ?? 0, end: (n?.offset ?? 0) + (n?.length ?? 1) }));
    });
    return { report: { file, text, problems } };
  }
  const { model, evolution } = result.config;
  const config: EdaConfig = { dir: dirname(file), file: name, model: typeof model === "string" ? [model] : model, ...(evolution !== undefined ? { evolution } : {}) };
  try {
    const files = await configuredModelFiles(config);
    const baseline = await baselineOf(config);
    return { report: { file, text, problems: [] }, files, ...(baseline !== undefined ? { baseline } : {}) };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const node = findNodeAtLocation(tree, ["model"]);
    return { report: { file, text, problems: [{ message: error.message.replace(/^[^:]*: /, ""), start: node?.offset ?? 0, end: (node?.offset ?? 0) + (node?.length ?? 1) }] } };
  }
}

/**
 * The model of the config's `evolution.against`, read as `eda check` reads it (a git revision, a
 * folder or a file; a manifest holds no declarations to restore, so it gives none), with what
 * makes the server read it again: the absolute paths of the files it was read from when they are
 * on disk (a folder or a file: the server reloads when one changes), or, for a git revision, a
 * watch that tells when the revision names another commit (a commit, a checkout, a reset). A
 * baseline that cannot be read gives none: the editor then shows no evolution diagnostics.
 */
async function baselineOf(config: EdaConfig): Promise<BaselineSpec | undefined> {
  const against = config.evolution?.against;
  if (against === undefined) return undefined;
  const { loadBaseline } = await import("../evolution/baseline.js");
  try {
    const baseline = await loadBaseline(against, { cwd: config.dir, paths: [], config });
    if (baseline.kind !== "model") return undefined;
    const { commit } = baseline;
    if (commit !== undefined) {
      const { watchRevision } = await import("../evolution/watch-revision.js");
      return { baseline: baseline.files, watchBaseline: (moved) => watchRevision(against, commit, config.dir, moved) };
    }
    // loadBaseline reads a path that exists before trying git, and names its files relative to the config's folder.
    const onDisk = await stat(resolve(config.dir, against)).then(() => true, () => false);
    return { baseline: baseline.files, baselineFiles: onDisk ? baseline.files.map((f) => resolve(config.dir, f.path)) : [] };
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
