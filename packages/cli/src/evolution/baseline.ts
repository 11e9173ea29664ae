/**
 * The baseline of `eda check --against <ref>`: a folder (or `.eda` file) holding an earlier model,
 * a registry manifest written by `eda generate`, or a git revision read without a checkout. The baseline's
 * files are named `<ref>:<path>`, so that notes pointing into them cannot be taken for the
 * current files.
 */
import { readRegistry, type RegistryRecord, type SourceFile } from "@eda/language";
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { EdaConfig } from "../config.js";
import { CliError, describeFsError } from "../errors.js";
import { collectFiles, describeInvalidUtf8, displayPath, readInputs } from "../sources.js";
import { explainMissingRevision, listFiles, readBlobs, resolveCommit, topLevel } from "./git.js";

export type Baseline =
  /** An earlier model; `commit` when it was read from a git revision (the commit the revision named). */
  | { readonly kind: "model"; readonly files: readonly SourceFile[]; readonly commit?: string }
  /** A registry manifest: its records, and its text for the notes that point into it. */
  | { readonly kind: "manifest"; readonly file: SourceFile; readonly records: readonly RegistryRecord[] };

/** Where `eda generate` writes the manifest, below its output folder. */
const MANIFEST_IN_OUT = "json-schema/registry.json";

/** What the current model is made of: the paths given, else the config's globs. */
export interface ModelScope {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly config?: EdaConfig | undefined;
}

export async function loadBaseline(ref: string, scope: ModelScope): Promise<Baseline> {
  if (ref === "") throw new CliError("--against needs a git revision, a folder or a manifest file");
  const local = resolve(scope.cwd, ref);
  const kind = await stat(local).then(
    (s) => (s.isDirectory() ? "folder" : "file"),
    () => undefined,
  );
  if (kind === "file" && !ref.endsWith(".eda")) return readManifest(local, ref);
  if (kind === "file") return { kind: "model", files: (await readInputs([ref], scope.cwd)).map((input) => input.source) };
  if (kind === "folder") {
    // A folder holding an earlier model, or else the output folder of a deployed build.
    for (const manifest of [join(local, MANIFEST_IN_OUT), join(local, "registry.json")]) {
      if ((await stat(manifest).catch(() => undefined))?.isFile() && !(await holdsModel(local))) return readManifest(manifest, displayPath(manifest, scope.cwd));
    }
    return { kind: "model", files: (await readInputs([ref], scope.cwd)).map((input) => input.source) };
  }
  const commit = await resolveCommit(ref, scope.cwd);
  if (!commit) throw new CliError(await explainMissingRevision(ref, scope.cwd));
  return { kind: "model", files: await readAtCommit(ref, commit, scope), commit };
}

/** True when a folder holds a `.eda` file (`collectFiles` refuses a folder without one). */
async function holdsModel(folder: string): Promise<boolean> {
  try {
    return (await collectFiles([folder], folder)).length > 0;
  } catch {
    return false;
  }
}

async function readManifest(path: string, shown: string): Promise<Baseline> {
  let text: string;
  try {
    text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  } catch (error) {
    throw new CliError(`cannot read '${shown}': ${describeFsError(error)}`);
  }
  const file = { path: shown, text };
  const read = readRegistry(file);
  if ("error" in read) throw new CliError(`--against '${shown}': ${read.error}`);
  return { kind: "manifest", file, records: read.records };
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The model files at a commit: below the paths given, or matching the config's globs. */
async function readAtCommit(ref: string, commit: string, scope: ModelScope): Promise<SourceFile[]> {
  const top = await topLevel(scope.cwd);
  const fromTop = (absolute: string): string => {
    const rel = relative(top, absolute);
    return sep === "/" ? rel : rel.split(sep).join("/");
  };
  let paths: string[] = [];
  if (scope.paths.length > 0) {
    const wanted = scope.paths.map((p) => fromTop(resolve(scope.cwd, p)) || ".");
    paths = (await listFiles(commit, wanted, top)).filter((p) => wanted.includes(p) || (p.endsWith(".eda") && !hiddenOrModules(p)));
  } else if (!scope.config) throw new CliError("--against needs the model's paths or an eda.config.json");
  // Nothing below the paths there: the model may have moved since, and the config then said where.
  if (paths.length === 0 && scope.config) {
    const config = scope.config;
    const base = fromTop(config.dir);
    const globs = (await modelGlobsAt(commit, fromTop(resolve(scope.cwd, config.file)), top)) ?? config.model;
    const { default: picomatch } = await import("picomatch");
    const matches = picomatch([...globs]);
    const listed = await listFiles(commit, [base || "."], top);
    paths = listed.filter((p) => {
      const own = base === "" ? p : p.slice(base.length + 1);
      return p.endsWith(".eda") && !/(^|\/)node_modules\//.test(own) && matches(own);
    });
  }
  const blobs = await readBlobs(commit, paths, top);
  const files: SourceFile[] = [];
  paths.forEach((p, i) => {
    const blob = blobs[i];
    if (!blob) return;
    const name = `${ref}:${displayPath(join(top, p), scope.cwd)}`;
    let text: string;
    try {
      text = utf8.decode(blob);
    } catch {
      throw new CliError(`cannot read '${name}': ${describeInvalidUtf8(blob)}`);
    }
    files.push({ path: name, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The `model` globs of the config as it was at `commit` (the model may have moved since, and the
 * config with it), or undefined when it was not there or names no model.
 */
async function modelGlobsAt(commit: string, configPath: string, top: string): Promise<readonly string[] | undefined> {
  const [blob] = await readBlobs(commit, [configPath], top);
  if (!blob) return undefined;
  try {
    const model: unknown = (JSON.parse(blob.toString("utf8").replace(/^\uFEFF/, "")) as { model?: unknown }).model;
    if (typeof model === "string") return [model];
    if (Array.isArray(model) && model.length > 0 && model.every((g) => typeof g === "string")) return model as string[];
  } catch {
    // A config that was broken then: the current globs are the best guess.
  }
  return undefined;
}

/** Below a hidden folder or node_modules: skipped, as when a folder is read from disk. */
function hiddenOrModules(path: string): boolean {
  return path.split("/").slice(0, -1).some((part) => part === "node_modules" || part.startsWith("."));
}
