/**
 * The commands `eda init` prints after it: the package manager's, and the install of a clone's
 * tarballs when eda runs from a clone (before the packages are on the registry). Shared by the
 * new project and by `--existing`.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CliError } from "../errors.js";
import { PACKAGE_MANAGERS, type PackageManager } from "./choices.js";

/** `--package-manager`, else the one whose `npm_config_user_agent` runs eda (`pnpm/10.1.0 npm/? node/…`), else npm. */
export function choosePackageManager(flag: string | undefined, env: NodeJS.ProcessEnv): PackageManager {
  if (flag !== undefined) return packageManagerNamed(flag);
  return agentPackageManager(env) ?? "npm";
}

/** The package manager called `name`; a CliError for one eda does not know. */
export function packageManagerNamed(name: string): PackageManager {
  const found = PACKAGE_MANAGERS.find((p) => p === name);
  if (found === undefined) throw new CliError(`unknown package manager '${name}'; use one of ${PACKAGE_MANAGERS.join(", ")}`);
  return found;
}

/** The package manager running eda, from `npm_config_user_agent`, if it is one eda knows. */
export function agentPackageManager(env: NodeJS.ProcessEnv): PackageManager | undefined {
  const agent = /^(\w+)\//.exec(env["npm_config_user_agent"] ?? "")?.[1];
  return PACKAGE_MANAGERS.find((p) => p === agent);
}

/** A clone of eda that this eda runs from, and where `pnpm release:pack` puts its tarballs. */
export interface Checkout {
  readonly root: string;
  readonly cli: string;
  readonly runtime: string;
}

/** The clone whose `packages/cli` is `cliFolder`, if it is one (an installed @eda/cli is not). */
export function checkoutOf(cliFolder: string, version: string): Checkout | undefined {
  const root = resolve(cliFolder, "..", "..");
  if (!existsSync(join(root, "pnpm-workspace.yaml")) || !existsSync(join(root, "packages", "runtime", "package.json"))) return undefined;
  return { root, cli: join(root, "packs", `eda-cli-${version}.tgz`), runtime: join(root, "packs", `eda-runtime-${version}.tgz`) };
}

/**
 * The install steps, run from the project's folder `target`: the package manager's plain install,
 * or, from a clone, the repacking of its tarballs (from `cwd`) and their install.
 */
export function installSteps(pm: PackageManager, clone: Checkout | undefined, target: string, cwd: string): { readonly before: string[]; readonly install: string[] } {
  if (clone === undefined) return { before: [], install: [`${pm} install`] };
  // The clone's tarballs are packed anew: ones packed before its last build would miss what the project uses.
  return { before: [`(cd ${quoted(relative(cwd, clone.root) || ".")} && pnpm release:pack)`], install: installFromClone(pm, clone, target) };
}

/** The install of the clone's tarballs, from the project's folder. */
function installFromClone(pm: PackageManager, clone: Checkout, target: string): string[] {
  const [cli, runtime] = [clone.cli, clone.runtime].map((file) => quoted(relative(target, file) || file));
  // npm replaces the manifest's `^version` entries by the tarballs; pnpm, yarn and bun resolve those
  // entries first (not on the registry yet) unless the packages are named with their file.
  if (pm === "npm") return [`npm install ${cli} ${runtime}`];
  return [`${pm} add @eda/runtime@file:${runtime} @eda/cli@file:${cli}`];
}

/** The line that says where the installed packages come from when eda runs from a clone. */
export const CLONE_NOTE = "@eda/cli and @eda/runtime are not on the npm registry yet: these are the tarballs of the eda clone this eda runs from.\n";

/** A path as a shell word. */
export function quoted(path: string): string {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** The command that runs the package's script `script` (npm needs `run` but for test and start). */
export function runCommand(pm: PackageManager, script: string): string {
  if (pm === "npm") return script === "test" || script === "start" ? `npm ${script}` : `npm run ${script}`;
  return `${pm} ${script}`;
}

/** The lock file each package manager writes, in the order they are looked for. */
const LOCK_FILES: readonly (readonly [string, PackageManager])[] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
];

/**
 * The package manager of the project in `dir`, and why: its lock file (in `dir` or a folder above,
 * where a workspace keeps it), else package.json's `packageManager` (`pnpm@10.1.0`).
 */
export function projectPackageManager(dir: string, declared: unknown): { readonly pm: PackageManager; readonly from: string } | undefined {
  for (let folder = dir; ; folder = dirname(folder)) {
    const found = LOCK_FILES.find(([file]) => existsSync(join(folder, file)));
    if (found !== undefined) return { pm: found[1], from: relative(dir, join(folder, found[0])) };
    if (dirname(folder) === folder) break;
  }
  const named = typeof declared === "string" ? PACKAGE_MANAGERS.find((p) => declared.startsWith(`${p}@`)) : undefined;
  return named === undefined ? undefined : { pm: named, from: `package.json's "packageManager"` };
}
