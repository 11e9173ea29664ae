/**
 * `eda init --existing [dir]`: adds eda to a Node/TypeScript project that exists already. It adds
 * eda's own files (never overwriting one), edits package.json (eda's scripts and the packages it
 * lacks, keeping the file's layout), adds the generated code to .gitignore, and warns of
 * tsconfig.json settings the generated code does not compile with, never editing that file.
 * Everything that makes it refuse is found before anything is written.
 */
import { lstat, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError, describeFsError, EXIT } from "../errors.js";
import { findExisting } from "../init/existing.js";
import { codeDirFor, existingProjectFiles } from "../init/existing-files.js";
import { edaIgnores, missingIgnores, withIgnores, type Ignore } from "../init/gitignore.js";
import { planManifest, type ManifestPlan } from "../init/manifest.js";
import { agentPackageManager, checkoutOf, CLONE_NOTE, installSteps, packageManagerNamed, projectPackageManager, quoted, runCommand } from "../init/next-steps.js";
import type { PackageManager } from "../init/choices.js";
import type { ProjectFile } from "../init/project-file.js";
import { checkTsconfig } from "../init/tsconfig-check.js";
import { isReadOnly, writeFileAtomic } from "../io.js";
import type { Terminal } from "../terminal.js";
import { chooseTemplate, type InitOptions } from "./init.js";

/** What the command found in the project before writing anything. */
interface Plan {
  readonly target: string;
  readonly shown: string;
  readonly codeDir: string;
  readonly manifestText: string;
  readonly manifest: ManifestPlan;
  readonly files: readonly { readonly file: ProjectFile; readonly flag: string }[];
  readonly gitignore: { readonly text: string; readonly missing: readonly Ignore[] } | undefined;
}

/** Runs `eda init --existing`; returns the exit code, problems throw a CliError. */
export async function runInitExisting(dir: string | undefined, options: InitOptions, term: Terminal, version: string, env: NodeJS.ProcessEnv, cliFolder?: URL): Promise<number> {
  const plan = await makePlan(resolve(term.cwd, dir ?? "."), term.cwd, options, version);
  await writeFiles(plan);
  await writeEdits(plan);
  const esm = (JSON.parse(plan.manifestText.replace(/^\uFEFF/, "")) as { type?: unknown }).type === "module";
  const warnings = [...plan.manifest.warnings, ...(await tsconfigWarnings(plan, esm))];
  term.out(describeChanges(plan));
  for (const warning of warnings) term.err(`warning: ${warning}\n`);
  const declared = (JSON.parse(plan.manifestText.replace(/^\uFEFF/, "")) as { packageManager?: unknown }).packageManager;
  const found = options.packageManager !== undefined ? { pm: packageManagerNamed(options.packageManager), from: "--package-manager" } : projectPackageManager(plan.target, declared);
  const pm = found?.pm ?? agentPackageManager(env) ?? "npm";
  const clone = cliFolder === undefined ? undefined : checkoutOf(fileURLToPath(cliFolder), version);
  term.out(nextSteps(plan, pm, found?.from, clone, term.cwd));
  return EXIT.ok;
}

/** Reads the project and decides every write; refuses (a CliError) before any is made. */
async function makePlan(target: string, cwd: string, options: InitOptions, version: string): Promise<Plan> {
  const shown = relative(cwd, target) || ".";
  const manifestName = shown === "." ? "package.json" : join(shown, "package.json");
  const manifestText = await readOwnFile(join(target, "package.json"), manifestName);
  if (manifestText === undefined) throw new CliError(`'${shown}' has no package.json; eda init --existing adds eda to a Node project there (for a new project, run eda init without --existing)`);
  const manifest = planManifest(manifestText, version, manifestName);
  if (manifest.clashes.length > 0) throw new CliError(`${manifestName} already has the script ${manifest.clashes.join(" and ")}; eda init --existing never replaces a script: rename yours, then run it again`);
  const codeDir = codeDirFor(await isFolder(join(target, "src")));
  const files = existingProjectFiles(version, chooseTemplate(options.template), codeDir);
  const existing = await findExisting(target, files, []);
  // `eda generate` replaces its output folder whole: one there already that is not eda's (no config of eda's) is refused.
  const out = `${codeDir}/generated`;
  const outTaken = !existing.same.includes("eda.config.json") && (await exists(join(target, out)));
  const clashes = [...existing.clashes, ...(outTaken ? [`${out}/`] : [])];
  if (clashes.length > 0) throw new CliError(`'${shown}' already has ${clashes.join(", ")}; eda init --existing never overwrites a file`);
  const toWrite = [...existing.missing.map((file) => ({ file, flag: "wx" })), ...existing.empty.map((file) => ({ file, flag: "w" }))];
  const gitignoreText = await readOwnFile(join(target, ".gitignore"), join(shown, ".gitignore"));
  const gitignore = gitignoreText === undefined ? undefined : { text: gitignoreText, missing: missingIgnores(gitignoreText, edaIgnores(out)) };
  // An atomic rename would replace a read-only file all the same: its owner made it so, so ask.
  const edited = [...(manifest.text !== manifestText ? ["package.json"] : []), ...(gitignore !== undefined && gitignore.missing.length > 0 ? [".gitignore"] : [])];
  const readOnly = (await Promise.all(edited.map(async (name) => ((await isReadOnly(join(target, name))) ? name : undefined)))).filter((name) => name !== undefined);
  if (readOnly.length > 0) throw new CliError(`'${shown}' has ${readOnly.join(" and ")} read-only; eda init --existing edits ${readOnly.length === 1 ? "it" : "them"}: make ${readOnly.length === 1 ? "it" : "them"} writable, then run it again`);
  return { target, shown, codeDir, manifestText, manifest, files: toWrite, gitignore };
}

async function writeFiles(plan: Plan): Promise<void> {
  for (const { file, flag } of plan.files) {
    const path = join(plan.target, file.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text, { flag });
    } catch (error) {
      throw new CliError(`cannot write '${join(plan.shown, file.path)}': ${describeFsError(error)}`);
    }
  }
}

/** package.json and .gitignore, each replaced whole (atomically) and only if no one changed it since it was read. */
async function writeEdits(plan: Plan): Promise<void> {
  const edits: [string, string, string][] = [];
  if (plan.manifest.text !== plan.manifestText) edits.push(["package.json", plan.manifestText, plan.manifest.text]);
  if (plan.gitignore !== undefined && plan.gitignore.missing.length > 0) edits.push([".gitignore", plan.gitignore.text, withIgnores(plan.gitignore.text, plan.gitignore.missing)]);
  for (const [name, before, after] of edits) {
    const shown = join(plan.shown, name);
    let written: boolean;
    try {
      written = await writeFileAtomic(join(plan.target, name), after, { ifStill: before });
    } catch (error) {
      throw new CliError(`cannot write '${shown}': ${describeFsError(error)}`);
    }
    if (!written) throw new CliError(`'${shown}' changed while eda init ran; run it again`);
  }
}

async function tsconfigWarnings(plan: Plan, esm: boolean): Promise<string[]> {
  const probe = `${plan.codeDir}/implementation.ts`;
  return checkTsconfig({ dir: plan.target, codeDir: plan.codeDir, probe, esm });
}

/** What was added, one line per file or edit. */
function describeChanges(plan: Plan): string {
  const lines = plan.files.map(({ file }) => file.path);
  const m = plan.manifest;
  const edits = [
    m.scripts.length > 0 ? `scripts ${m.scripts.join(", ")}` : "",
    ...(["dependencies", "devDependencies"] as const).map((field) => {
      const names = m.added.filter((a) => a.field === field).map((a) => a.name);
      return names.length > 0 ? `${field} ${names.join(", ")}` : "";
    }),
  ].filter((e) => e !== "");
  const kept = m.kept.length > 0 ? ` (kept as listed: ${m.kept.join(", ")})` : "";
  if (edits.length > 0) lines.push(`package.json: ${edits.join("; ")}${kept}`);
  if (plan.gitignore !== undefined && plan.gitignore.missing.length > 0) lines.push(`.gitignore: ${plan.gitignore.missing.map((i) => i.line).join(", ")}`);
  if (lines.length === 0) return `Nothing to add: eda is set up in ${plan.shown} already.\n`;
  return `Added eda to the project in ${plan.shown}:\n${lines.map((l) => `  ${l}\n`).join("")}`;
}

/** The commands to run next, for the project's package manager, and what to do after. */
function nextSteps(plan: Plan, pm: PackageManager, from: string | undefined, clone: ReturnType<typeof checkoutOf>, cwd: string): string {
  const { before, install } = installSteps(pm, clone, plan.target, cwd);
  const steps = [...before, ...(plan.shown === "." ? [] : [`cd ${quoted(plan.shown)}`]), ...install, runCommand(pm, "eda:check"), runCommand(pm, "eda:generate")];
  const why = from === undefined ? "" : ` (${pm}, from ${from})`;
  let text = `\nNext${why}:\n${steps.map((s) => `  ${s}\n`).join("")}\n`;
  if (clone !== undefined) text += CLONE_NOTE;
  // pnpm and bun run no dependency's install script unless the project allows it: without its
  // binding, better-sqlite3 cannot open the default store.
  if (pm === "pnpm") text += "pnpm runs better-sqlite3's install script (the binding of the default store, sqlite:./eda.db) only once allowed: `pnpm approve-builds`.\n";
  if (pm === "bun") text += "bun runs better-sqlite3's install script (the binding of the default store, sqlite:./eda.db) only once trusted: `bun pm trust better-sqlite3`.\n";
  const code = plan.codeDir;
  text += `Then make the app where yours starts: createApp from ${code}/generated/app.js, given the handlers of ${code}/implementation.js (\`eda init <new-folder>\` writes a src/main.ts that shows how). Run eda:generate before your build compiles, and edit the model in ${code}/model/.\n`;
  return text;
}

/** The file's text; undefined when there is none; a CliError when it cannot be read. */
async function readOwnFile(path: string, shown: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read '${shown}': ${describeFsError(error)}`);
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isDirectory() === true;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
