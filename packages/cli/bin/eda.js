#!/usr/bin/env node
// Runs dist/eda.cjs — the esbuild bundle of src/main.ts, see build.mjs — from a V8 code cache
// kept beside it, as Node 22's module.enableCompileCache() would: the first run compiles the
// bundle and saves what V8 compiled; later runs start from that. The cache is keyed by the
// bundle's size and mtime and by Node's version; V8 also refuses data made by another V8 or with
// other flags, and then this run compiles normally and saves a fresh cache. If the folder is not
// writable, eda simply runs without a cache. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import * as buffer from "node:buffer";
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

// The engines field's Node, said plainly: an older one stopped inside the bundle, on whichever newer
// API it met first, with a stack naming no version (and before 18.15 at the named import of isAscii).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`eda: needs Node.js 20.19 or later; this is Node.js ${process.versions.node}\n`);
  process.exit(2);
}

const bundle = fileURLToPath(new URL("../dist/eda.cjs", import.meta.url));
const fd = openSync(bundle, "r");
const { size, mtimeMs } = fstatSync(fd);
const bytes = readFileSync(fd);
// build.mjs writes the bundle in ASCII: read as Latin-1, a copy, instead of decoding UTF-8.
const source = bytes.toString(buffer.isAscii(bytes) ? "latin1" : "utf8");
closeSync(fd);

const useCache = !process.env.NODE_DISABLE_COMPILE_CACHE;
// One cache per command: V8 caches the functions a run compiled, and `eda generate` runs code
// that `eda check` never reaches; with the check's cache a generate compiled its part again on
// every start (~80 ms of ~250).
const [command] = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const cacheKey = `${size}-${Math.round(mtimeMs * 1000)}-${process.version}-${process.arch}`;
const cacheFile = `${bundle}.${cacheKey}.${command !== undefined && /^[a-z][a-z-]{0,30}$/.test(command) ? command : "other"}.cache`;
let cachedData;
if (useCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this run makes it.
  }
}

// The CommonJS module wrapper, on the bundle's first line so that line numbers stay true.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
process.exitCode = await module.exports.main(process.argv.slice(2));

if (useCache && (cachedData === undefined || script.cachedDataRejected)) saveCache();

function saveCache() {
  try {
    // After the run, so that the functions it compiled are in the cache too.
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
    // The caches of earlier bundles (or Node versions) go; the other commands' stay.
    const prefix = `${basename(bundle)}.`;
    for (const name of readdirSync(dirname(bundle))) {
      if (name.startsWith(prefix) && name.endsWith(".cache") && !name.startsWith(`${prefix}${cacheKey}.`)) unlinkSync(join(dirname(bundle), name));
    }
  } catch {
    // A read-only install, or another eda saving the same cache: run without.
  }
}
