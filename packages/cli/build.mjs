// Bundles the CLI into dist/eda.mjs (run after `tsc -b`, which type-checks and builds
// @eda/language's dist). One file starts far faster than Node resolving and loading each module
// of the dependency graph (chevrotain alone is ~230 ms unbundled, ~14 ms bundled). Modules the
// commands load with import() — Zod for the config, tinyglobby for its globs — become chunks,
// which keeps them off the start-up path of `eda check <paths>`.
import { build } from "esbuild";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
await rm(`${here}dist/chunks`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { eda: "src/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  // CommonJS dependencies (commander, picocolors) call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __edaCreateRequire } from "node:module"; const require = __edaCreateRequire(import.meta.url);' },
  metafile: true,
  logLevel: "warning",
});
if (process.argv.includes("--analyze")) {
  const { analyzeMetafile } = await import("esbuild");
  console.log(await analyzeMetafile(result.metafile));
}
