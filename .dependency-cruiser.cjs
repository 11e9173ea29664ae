/**
 * The import graph's rules, checked by `pnpm imports` (part of `pnpm lint`, so of CI).
 * Type-only imports count: a circle of types is still a circle.
 * @type {import("dependency-cruiser").IConfiguration}
 */

const EMIT = "^packages/generator/src/emit/";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dependency-cruiser reads a CommonJS config
const { EMITTERS, EMIT_HELPERS: helpers, KNOWN_EMITTER_IMPORTS, KNOWN_BUILTIN_IMPORTS } = require("./scripts/import-exceptions.cjs");

const file = (names) => `${EMIT}(${names.join("|")})\\.ts$`;

const emitterRules = [...EMITTERS, ...helpers].map((from) => {
  const allowed = KNOWN_EMITTER_IMPORTS[from] ?? [];
  const forbidden = EMITTERS.filter((to) => to !== from && !allowed.includes(to));
  return {
    name: `emitters-are-leaves:${from}`,
    severity: "error",
    comment: `emit/${from}.ts imports no emitter ${allowed.length > 0 ? `but ${allowed.join(", ")} (listed in KNOWN_EMITTER_IMPORTS)` : ""}: emitters import the bottom modules and the shared helpers only.`,
    from: { path: file([from]) },
    to: { path: file(forbidden) },
  };
});

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
      name: "emit-helpers-at-the-bottom",
      severity: "error",
      comment: "The shared emit helpers (zod-expr, redact, handler-templates) import no emitter.",
      from: { path: file(["zod-expr", "redact", "handler-templates"]) },
      to: { path: file(EMITTERS) },
    },
    ...emitterRules,
  ],
  options: {
    doNotFollow: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".json"] },
  },
};
