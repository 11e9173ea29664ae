// `pnpm release:check`: packs the published packages (scripts/pack.mjs) and lints each tarball
// with publint (--strict: warnings fail too) and @arethetypeswrong/cli (ESM-only packages: the
// node16 and bundler resolutions must find types and code). Then `vitest run test/release`
// installs the tarballs with npm in a temp project and runs the README's first ten minutes.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);

await run(process.execPath, [join(root, "scripts", "pack.mjs")], { cwd: root });
const packs = join(root, "packs");
const tarballs = readdirSync(packs).filter((f) => f.endsWith(".tgz")).sort();
const checks = tarballs.flatMap((t) => [
  ["publint", [bin("publint"), "run", "--strict", join(packs, t)]],
  ["attw", [bin("attw"), join(packs, t), "--profile", "esm-only", "--no-color"]],
]);
const failures = [];
await Promise.all(
  checks.map(async ([tool, [command, ...args]]) => {
    try {
      await run(command, args, { cwd: root, maxBuffer: 16 << 20 });
    } catch (error) {
      failures.push(`${tool} ${args.at(tool === "attw" ? 0 : -1)}:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    }
  }),
);
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`publint and attw: ${tarballs.length} packages clean (${tarballs.join(", ")})`);
