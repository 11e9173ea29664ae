/**
 * The import graph's rules, checked by `pnpm imports` (part of `pnpm lint`, so of CI).
 * Type-only imports count: a circle of types is still a circle.
 * @type {import("dependency-cruiser").IConfiguration}
 */

const EMIT = "^packages/generator/src/emit/";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dependency-cruiser reads a CommonJS config
const { EMITTERS, KNOWN_BUILTIN_IMPORTS } = require("./scripts/import-exceptions.cjs");

const file = (names) => `${EMIT}(${names.join("|")})\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import circle in any package.",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-front-end-and-generator",
      severity: "error",
      comment: "language and generator are pure: no Node built-in (fs, path, process, …). The CLI does the I/O.",
      from: { path: "^packages/(language|generator)/src/", pathNot: KNOWN_BUILTIN_IMPORTS.map((k) => k.from) },
      to: { dependencyTypes: ["core"] },
    },
    ...KNOWN_BUILTIN_IMPORTS.map((k) => ({
      name: "pure-front-end-and-generator",
      severity: "error",
      comment: `${k.from} may import the built-in ${k.allowed} only: ${k.why}`,
      from: { path: k.from },
      to: { dependencyTypes: ["core"], pathNot: `^(node:)?${k.allowed}$` },
    })),
    {
      name: "package-layers",
      severity: "error",
      comment: "language imports no other eda package; generator imports only language; the runtime imports neither.",
      from: { path: "^packages/(language|generator|runtime)/src/" },
      to: { path: "^packages/(generator|cli|lsp|runtime|vscode)/", pathNot: "^packages/$1/" },
    },
    {
      name: "generated-file-at-the-bottom",
      severity: "error",
      comment: "The generator's shared modules (output types, names, escaping, layout, templates) import no emitter and not generate.ts.",
      from: { path: "^packages/generator/src/[^/]+\\.ts$", pathNot: "^packages/generator/src/(generate|index)\\.ts$" },
      to: { path: ["^packages/generator/src/emit/", "^packages/generator/src/generate\\.ts$"] },
    },
    {
      name: "rendering-below-the-emitters",
      severity: "error",
      comment: "The rendering (src/render/: views, their data, templates) imports no emitter and not generate.ts: emitters import its types.",
      from: { path: "^packages/generator/src/render/" },
      to: { path: ["^packages/generator/src/emit/", "^packages/generator/src/generate\\.ts$"] },
    },
    {
      name: "lowering-below-the-emitters",
      severity: "error",
      comment: "The lowering (src/lower/) decides what emitters read: it imports no emitter and not generate.ts.",
      from: { path: "^packages/generator/src/lower/" },
      to: { path: ["^packages/generator/src/emit/", "^packages/generator/src/generate\\.ts$"] },
    },
    {
      name: "emitters-are-leaves",
      severity: "error",
      comment: "An emitter imports no other emitter: names, paths and imports they share come from the GenModel (src/lower/).",
      from: { path: file(EMITTERS) },
      to: { path: file(EMITTERS) },
    },
    {
      name: "emit-helpers-at-the-bottom",
      severity: "error",
      comment: "The shared emit helpers (every emit module that is not an emitter) import no emitter.",
      from: { path: EMIT, pathNot: file(EMITTERS) },
      to: { path: file(EMITTERS) },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".json"] },
  },
};
