/**
 * What the import rules (`.dependency-cruiser.cjs`) know about the generator's modules, and the
 * exceptions they allow today. `test/import-rules.test.ts` checks that every emitter is listed
 * and that every exception is still a real import, so these lists can only shrink.
 */

/** The generator's emitters: each makes one kind of file and is called by `generate.ts` or `scaffold`. */
const EMITTERS = ["aggregates", "alerts", "app", "codec", "dashboard", "decisions", "diagrams", "index-module", "json-schema", "projections", "registry", "scaffolds", "schemas", "services", "support", "testing", "upcasters", "workflows"];

/**
 * Imports between emitters that exist today: each reads a name or a decision another emitter
 * makes (`schemasAlias`, `aggregateNames`, `contextsWithHooks`, `workflowNames`, …). They go away
 * when a lowering stage decides every name once; the list may only shrink.
 */
const KNOWN_EMITTER_IMPORTS = {
  app: ["upcasters", "workflows"],
  codec: ["schemas", "upcasters"],
  diagrams: ["workflows"],
  "index-module": ["schemas"],
  registry: ["json-schema"],
  scaffolds: ["aggregates", "projections", "services"],
  testing: ["aggregates"],
  workflows: ["schemas"],
  // Shared emit helpers that still read a name from the schema emitter.
  behaviour: ["schemas"],
  "workflow-sends": ["schemas"],
  "operations-view": ["workflows"],
  variants: ["schemas"],
};

/**
 * Node built-ins that language or generator import today, each a computation no file system or
 * process is behind; the list may only shrink.
 */
const KNOWN_BUILTIN_IMPORTS = [
  { from: "^packages/generator/src/emit/registry\\.ts$", file: "packages/generator/src/emit/registry.ts", allowed: "crypto", why: "SHA-256 of each stored shape for the registry manifest (generate is synchronous, so WebCrypto's digest does not fit)." },
];

/** Emit helpers that still read a name from an emitter (the others are at the bottom). */
const EMIT_HELPERS = ["behaviour", "workflow-sends", "operations-view", "variants"];

module.exports = { EMITTERS, EMIT_HELPERS, KNOWN_EMITTER_IMPORTS, KNOWN_BUILTIN_IMPORTS };
