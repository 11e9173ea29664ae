// Builds packages/vscode/dist/eda.vsix, offline:
//  1. copies the grammar and language configuration from grammar/ (the one source of truth)
//     into the extension folder (the copies are gitignored),
//  2. bundles the client (src/extension.ts, with vscode-languageclient) and the language server
//     (src/server.ts: `eda lsp`, with the language package) with esbuild into dist/,
//  3. checks that every file the manifest names exists (and every JSON file parses),
//  4. packs with vsce (--no-dependencies: no npm, no network) under a guard that fails the
//     build on any network access.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BLOCKED } from "./offline-guard.mjs";

const require = createRequire(import.meta.url);
const extensionDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(extensionDir, "../..");

/** Files copied from grammar/ into the extension, as [source, destination]. */
export const copies = [
  [join(repoRoot, "grammar/eda.tmLanguage.json"), join(extensionDir, "syntaxes/eda.tmLanguage.json")],
  [join(repoRoot, "grammar/language-configuration.json"), join(extensionDir, "language-configuration.json")],
];

/** Where the packed extension goes. */
export const vsixPath = join(extensionDir, "dist/eda.vsix");

function fail(message) {
  process.stderr.write(`package:vscode: ${message}\n`);
  process.exit(1);
}

function copyGrammar() {
  for (const [from, to] of copies) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
}

/** The client and the server, each one CommonJS file for VS Code's Node (20 since VS Code 1.91). */
export async function bundle() {
  const common = { absWorkingDir: extensionDir, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", sourcemap: false, minify: true };
  await build({ ...common, entryPoints: ["src/extension.ts"], outfile: join(extensionDir, "dist/extension.cjs"), external: ["vscode"] });
  await build({
    ...common,
    entryPoints: ["src/server.ts"],
    outfile: join(extensionDir, "dist/server.cjs"),
    // Only `eda generate` reaches ts-morph; the server never loads it.
    external: ["ts-morph"],
    supported: { "dynamic-import": false },
    define: { "import.meta.url": "__edaImportMetaUrl" },
    banner: { js: 'var __edaImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    alias: { "jsonc-parser": join(repoRoot, "packages/cli/node_modules/jsonc-parser/lib/esm/main.js") },
    nodePaths: [join(repoRoot, "packages/cli/node_modules"), join(repoRoot, "packages/lsp/node_modules")],
  });
}

function checkManifest() {
  const manifest = JSON.parse(readFileSync(join(extensionDir, "package.json"), "utf8"));
  const { languages = [], grammars = [], snippets = [] } = manifest.contributes ?? {};
  if (manifest.main && !existsSync(join(extensionDir, manifest.main))) fail(`the manifest's main, ${manifest.main}, does not exist`);
  const paths = [
    ...languages.map((l) => l.configuration),
    ...grammars.map((g) => g.path),
    ...snippets.map((s) => s.path),
  ];
  for (const path of paths) {
    const file = join(extensionDir, path);
    if (!existsSync(file)) fail(`the manifest names ${path}, which does not exist`);
    try {
      JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      fail(`${path} is not valid JSON: ${error.message}`);
    }
  }
}

function pack() {
  const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
  mkdirSync(dirname(vsixPath), { recursive: true });
  rmSync(vsixPath, { force: true });
  const guard = pathToFileURL(join(extensionDir, "scripts/offline-guard.mjs")).href;
  const result = spawnSync(
    process.execPath,
    [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--out", vsixPath],
    {
      cwd: extensionDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${guard}`.trim() },
    },
  );
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (`${result.stdout}${result.stderr}`.includes(BLOCKED)) fail("vsce tried to reach the network");
  if (result.status !== 0) fail(`vsce exited with ${result.status ?? result.signal}`);
  if (!existsSync(vsixPath)) fail(`vsce did not write ${vsixPath}`);
}

copyGrammar();
await bundle();
checkManifest();
pack();
process.stdout.write(`package:vscode: wrote ${vsixPath}\n`);
