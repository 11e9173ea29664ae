// `pnpm release:pack`: the published packages as the tarballs `pnpm publish` would upload
// (`workspace:*` resolved to versions, only each package's `files`, LICENSE), written to packs/.
// Run after `pnpm install`, which builds them.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The packages a user installs (the CLI bundles language, generator and lsp; they ship for library use). */
export const PUBLISHED = ["language", "generator", "runtime", "cli"];

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "packs");

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
for (const name of PUBLISHED) {
  execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: join(root, "packages", name), stdio: ["ignore", "ignore", "inherit"] });
}
console.log(`packed into packs/: ${readdirSync(out).sort().join(", ")}`);
