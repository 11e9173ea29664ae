// Bundles the CLI into dist/eda.mjs (run after `tsc -b`, which type-checks and builds
// @eda/language's dist). One file starts far faster than Node resolving and loading each module
// of the dependency graph (chevrotain alone is ~230 ms unbundled, ~14 ms bundled). Modules the
// commands load with import() — Zod for the config, tinyglobby for its globs — become chunks in
// dist/chunks, which keeps them off the start-up path of `eda check <paths>`.
//
// The bundle may be rebuilt while eda runs (tests rebuild it when it is stale), so files are
// replaced atomically: chunks (content-hashed names) first, the entry last, and chunks of
// earlier builds are removed only once no process that started before can still need them.
import { build } from "esbuild";
import { mkdir, readdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "dist");
const result = await build({
  absWorkingDir: here,
  entryPoints: { eda: "src/main.ts" },
  outdir: dist,
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
  write: false,
  logLevel: "warning",
});

const entry = join(dist, "eda.mjs");
const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of files) {
  await mkdir(dirname(file.path), { recursive: true });
  const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
  await writeFile(temp, file.contents);
  await rename(temp, file.path);
}

const current = new Set(files.map((file) => file.path));
const chunks = join(dist, "chunks");
for (const name of await readdir(chunks).catch(() => [])) {
  const path = join(chunks, name);
  if (!current.has(path) && Date.now() - (await stat(path)).mtimeMs > 60_000) await unlink(path).catch(() => {});
}

if (process.argv.includes("--analyze")) {
  const { analyzeMetafile } = await import("esbuild");
  console.log(await analyzeMetafile(result.metafile));
}
