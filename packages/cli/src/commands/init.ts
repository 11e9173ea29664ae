import { mkdir, readdir, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError, describeFsError, EXIT } from "../errors.js";
import { findExisting } from "../init/existing.js";
import { TEMPLATES, type Template } from "../init/choices.js";
import { checkoutOf, choosePackageManager, CLONE_NOTE, installSteps, quoted, runCommand } from "../init/next-steps.js";
import { projectFiles } from "../init/project.js";
import type { Terminal } from "../terminal.js";

/** Options of `eda init`. */
export interface InitOptions {
  readonly template?: string;
  /** Write into a folder that already holds files (never overwriting one of them). */
  readonly force?: boolean;
  /** Add eda to the project in the folder (commands/init-existing.ts). */
  readonly existing?: boolean;
  readonly yes?: boolean;
  /** The package manager whose commands to print; default: the one that runs eda, else npm. */
  readonly packageManager?: string;
}

/**
 * `eda init [dir] [--template minimal] [--force] [--package-manager npm|pnpm|yarn|bun]`: makes a
 * project that checks, generates, tests and starts at once, and prints the next commands. Never
 * asks anything, so it runs the same in a script. Refuses a folder that holds files unless
 * `--force`, and even then never overwrites one; a folder holding only files it writes (an init
 * stopped part-way) it completes; one holding a package.json it sends to `--existing`
 * (commands/init-existing.ts). Returns the exit code; problems throw a CliError.
 */
export async function runInit(
  dir: string | undefined,
  options: InitOptions,
  term: Terminal,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
  cliFolder?: URL,
): Promise<number> {
  const template = chooseTemplate(options.template);
  const target = resolve(term.cwd, dir ?? ".");
  const shown = relative(term.cwd, target) || ".";
  const entries = await listFolder(target, shown);
  const files = projectFiles(packageName(target), version, template);
  // Checked before writing anything, so a refused init leaves the folder as it was.
  const existing = await findExisting(target, files, entries);
  if (entries.length > 0 && !options.force && !existing.onlyOurs) {
    throw new CliError(`'${shown}' is not empty (${describeSome(entries)}); ${entries.includes("package.json") ? ADD_TO_PROJECT : "choose an empty folder, or pass --force to add the project's files beside them"}`);
  }
  if (existing.clashes.length > 0) {
    const hint = existing.clashes.includes("package.json") ? ` (${ADD_TO_PROJECT})` : "";
    throw new CliError(`'${shown}' already has ${existing.clashes.join(", ")}; eda init never overwrites a file${hint}`);
  }
  const toWrite = [...existing.missing.map((file) => ({ file, flag: "wx" })), ...existing.empty.map((file) => ({ file, flag: "w" }))];
  for (const { file, flag } of toWrite) {
    const path = join(target, file.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text, { flag });
    } catch (error) {
      throw new CliError(`cannot write '${join(shown, file.path)}': ${describeFsError(error)}`);
    }
  }
  const pm = choosePackageManager(options.packageManager, env);
  const clone = cliFolder === undefined ? undefined : checkoutOf(fileURLToPath(cliFolder), version);
  const written = toWrite.length === files.length ? `Created a ${template} eda project in ${shown} (${files.length} files)` : `Completed the ${template} eda project in ${shown} (${toWrite.length} of its ${files.length} files written, the others already there)`;
  term.out(`${written}.\n\nNext:\n`);
  const { before, install } = installSteps(pm, clone, target, term.cwd);
  const steps = [...before, ...(shown === "." ? [] : [`cd ${quoted(shown)}`]), ...install, runCommand(pm, "test"), runCommand(pm, "start")];
  term.out(`${steps.map((s) => `  ${s}`).join("\n")}\n\n`);
  if (clone !== undefined) term.out(CLONE_NOTE);
  term.out(`Then edit model/ordering.eda and run \`${runCommand(pm, "check")}\` and \`${runCommand(pm, "generate")}\`.\n`);
  return EXIT.ok;
}

/** The template called `name` (default: minimal); a CliError for one there is not. */
export function chooseTemplate(name: string | undefined): Template {
  if (name === undefined) return "minimal";
  const found = TEMPLATES.find((t) => t === name);
  if (found === undefined) throw new CliError(`there is no template '${name}'; the templates are ${TEMPLATES.join(", ")}`);
  return found;
}

/** The entries of the folder; none when it does not exist yet. */
export async function listFolder(target: string, shown: string): Promise<string[]> {
  try {
    return (await readdir(target)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new CliError(`cannot use '${shown}' for the project: ${describeFsError(error)}`);
  }
}

/** What to do in a folder that holds a Node project already. */
const ADD_TO_PROJECT = "to add eda to the project there, pass --existing; for a new project, choose an empty folder";

function describeSome(names: readonly string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

/** Names npm refuses for a package besides a Node core module's (validate-npm-package-name's list). */
const REFUSED_NAMES = new Set(["node_modules", "favicon.ico"]);

/**
 * An npm package name from the folder's name: lower case, accents dropped (`Café` is `cafe`),
 * only the characters npm allows, and `-app` after a name npm refuses (`http`, `node_modules`).
 */
function packageName(folder: string): string {
  const name = basename(folder)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "")
    .slice(0, 210);
  if (name === "") return "eda-app";
  return REFUSED_NAMES.has(name) || builtinModules.includes(name) ? `${name}-app` : name;
}
