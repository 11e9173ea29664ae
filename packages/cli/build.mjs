// Bundles the CLI into one CommonJS file, dist/eda.cjs, that bin/eda.js runs from a V8 code cache
// (run after `tsc -b`, which type-checks and builds @eda/language's dist).
//
// Why one file: Node resolving and evaluating chevrotain's module graph alone costs ~230 ms, the
// same code bundled ~14 ms. Why CommonJS: Node 20 has no compile cache for ES modules (22 has
// module.enableCompileCache), but vm.Script takes V8's cached data, which spares compiling the
// bundle on every start (~20–25 ms of a ~150 ms `eda check`; measured in the README).
// What only some commands need stays out of the start-up path without chunks: esbuild wraps each
// module reached only through import() — Zod for the config, tinyglobby, the generator,
// chokidar — in a lazy initialiser that runs on first import, and with a code cache its unused
// code is never even parsed. ts-morph (with the TypeScript compiler it carries, ~10 MB) stays
// external: `eda generate` requires it from node_modules only when it edits a handler file.
// Rule for code in the bundle: import() of an external package becomes require() (the cached
// script cannot run a real import() on Node 20), so externals must be loadable by require().
//
// The bundle may be rebuilt while eda runs (tests rebuild it when stale): the map is written
// first, the bundle last, each by an atomic rename; code caches are keyed by the bundle's size and
// mtime, so a stale cache is never used, and this build removes the old ones.
import { build } from "esbuild";
import { readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "dist");
const entry = join(dist, "eda.cjs");

/**
 * Two start-up costs in dependencies' sources, rewritten as the bundle reads them (the build
 * fails if a new version no longer matches):
 * - fdir (under tinyglobby) loads picomatch with a runtime require, which Node resolves and
 *   compiles from node_modules on every command that globs the model (~20 ms, outside the code
 *   cache); the same picomatch is in the bundle already (tinyglobby imports it): fdir gets that one.
 * - commander requires node:child_process (which loads net and dgram) at start-up, for
 *   executable subcommands eda does not have: it loads on the first spawn instead.
 */
const REWRITES = [
  {
    file: /[/\\]fdir[/\\]dist[/\\]index\.mjs$/,
    from: '__require.resolve("picomatch");\n\tpm = __require("picomatch");',
    to: "pm = __bundledPicomatch;",
    prefix: 'import __bundledPicomatch from "picomatch";\n',
  },
  {
    file: /[/\\]commander[/\\]lib[/\\]command\.js$/,
    from: "const childProcess = require('node:child_process');",
    to: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
    prefix: "",
  },
];

function startupRewrites() {
  return {
    name: "startup-rewrites",
    setup(b) {
      for (const { file, from, to, prefix } of REWRITES) {
        b.onLoad({ filter: file }, async ({ path }) => {
          const source = await readFile(path, "utf8");
          if (!source.includes(from)) throw new Error(`build.mjs: ${path} no longer holds \`${from}\`; see REWRITES`);
          return { contents: prefix + source.replace(from, to), loader: "js" };
        });
      }
    },
  };
}

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/main.ts"],
  outfile: entry,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // tsx (with the esbuild binary it drives) is loaded from node_modules by `eda store verify` only.
  external: ["ts-morph", "tsx"],
  // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow; its ES build bundles.
  alias: { "jsonc-parser": "./node_modules/jsonc-parser/lib/esm/main.js" },
  // import() → lazy initialiser (bundled) or require() (external); see above.
  supported: { "dynamic-import": false },
  // The one use of import.meta in the sources (main.ts finds package.json beside dist/).
  define: { "import.meta.url": "__edaImportMetaUrl" },
  banner: { js: 'var __edaImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [startupRewrites()],
  sourcemap: "linked",
  metafile: true,
  write: false,
  logLevel: "warning",
});

const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of files) {
  const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
  await writeFile(temp, file.path === entry ? asciiOnly(file.text) : file.contents);
  await rename(temp, file.path);
}

// Code caches of earlier bundles, and the ES module bundle this one replaced.
for (const name of await readdir(dist)) {
  if (/^eda\.cjs\..*\.cache$/.test(name) || /^eda\.mjs(\.map)?$/.test(name)) await unlink(join(dist, name)).catch(() => {});
}
await rm(join(dist, "chunks"), { recursive: true, force: true });

if (process.argv.includes("--analyze")) {
  const { analyzeMetafile } = await import("esbuild");
  console.log(await analyzeMetafile(result.metafile));
}

/**
 * The bundle with every non-ASCII character written as a `\u` escape (`\u2026` for "…"). esbuild leaves the
 * characters of template literals (the diagnostics' `message` templates: "…", "→") and comments
 * as they are, and one such character makes the whole 2.5 MB source a two-byte string: bin/eda.js
 * then decodes it as UTF-8 (~7 ms) and V8 hashes twice the bytes. Pure ASCII is read as Latin-1,
 * a copy. The escape means the same character in strings, cooked template strings, regular
 * expressions and identifiers; only a template's raw strings differ, so a line reading them
 * (`String.raw`) fails the build instead. Columns after an escape on its line shift in the map.
 */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (ch, at) => {
    const line = text.slice(text.lastIndexOf("\n", at) + 1, text.indexOf("\n", at));
    if (line.includes("String.raw")) throw new Error(`build.mjs: a non-ASCII character in a String.raw template: ${line.trim().slice(0, 120)}`);
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
